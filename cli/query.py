"""`kexie` commands that query the archive, read-only (SQLite mode=ro): search, sql, export.

"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from archive.db import default_db_path
from archive.queries import SORTS, ArchiveMissing, Filters, day, run_sql, search_conn
from archive.search import has_index, pending
from archive.search_syntax import QuerySyntaxError, parse
from cli.common import DB_OPTION as DB
from cli.common import archive_fault, check_filters, check_folder, existing_archive, fail, read_archive

FILTERS = [
    click.option("--site", "sites", multiple=True, metavar="KEY", help="Only this site (repeatable)."),
    click.option("--level", "levels", multiple=True, metavar="LEVEL",
                 help="Only sites of this level: national, provincial, city, county, newspaper, portal (repeatable)."),
    click.option("--region", default="", help="Only sites whose region contains this, e.g. 湖南."),
    click.option("--since", default="", metavar="DATE", help="Published on or after YYYY[-MM[-DD]]."),
    click.option("--until", default="", metavar="DATE", help="Published on or before YYYY[-MM[-DD]]."),
    click.option("--with-duplicates", is_flag=True, help="Show near copies too (hidden by default)."),
]


def with_filters(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(FILTERS):
        command = option(command)
    return command


def filters_of(sites: tuple[str, ...], levels: tuple[str, ...], region: str, since: str, until: str,
               with_duplicates: bool) -> Filters:
    try:
        return Filters(sites, levels, region, day(since) if since else "", day(until, True) if until else "",
                       with_duplicates)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


# bounds that keep (page - 1) * limit inside SQLite's 64-bit integers
MAX_LIMIT, MAX_PAGE = 100_000, 1_000_000_000


@contextmanager
def reading(db: str | None) -> Iterator[sqlite3.Connection]:
    """A read-only connection to an archive that has its search index."""
    with read_archive(db) as conn:
        if not has_index(conn):
            fail("this archive has no search index yet: run `kexie index` once")
        yield conn


@click.command(name="search")
@click.argument("text")
@with_filters
@click.option("--sort", type=click.Choice(list(SORTS)), default="rank", show_default=True,
              help="rank (bm25, title hits first), newest or oldest.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, MAX_LIMIT), help="Articles a page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, MAX_PAGE))
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line (snippet match in <mark>).")
@click.option("--attachments", type=click.Choice(["also", "only", "none"]), default="also", show_default=True,
              help="Also find articles whose attachments (PDF, Word, Excel) contain TEXT, only those, or none.")
@DB
def search_cmd(text: str, sort: str, limit: int, page: int, as_json: bool, attachments: str, db: str | None,
               **filters: Any) -> None:
    """Articles whose title and text match TEXT. Each word is found like Ctrl-F: one character or many,
    Chinese, Latin or digits (traditional or simplified script, case and full width ignored). Near copies
    hidden; the count goes to stderr.

    \b
    Syntax (as in a web search engine; quote TEXT for the shell):
      科协 院士          both words occur (in the title or the text)
      院士 OR 专家       either occurs (OR in capitals binds tighter than
                         the spaces: 科协 院士 OR 专家 = 科协 and either)
      科协 -通知         科协 occurs, 通知 does not (NOT 通知 is the same)
      "科协 工作"        the exact phrase, space included
    A malformed query (an unclosed quote, OR or NOT with no word beside it,
    or only words to exclude) is an error (exit 2). A query that starts
    with -word goes after --, as in: kexie search -- "-通知 科协"

    \b
    Examples:
      kexie search 科普示范县 --level city --region 湖南 --since 2022
      kexie search "科协 院士 OR 专家 -通知" --site cdkx --json --page 2
      kexie search 获奖名单 --attachments only
    """
    checked_query(text)
    with reading(db) as conn:
        check_filters(conn, filters["sites"], filters["levels"], filters["region"])
        result = search_conn(conn, text, filters_of(**filters), sort, limit, (page - 1) * limit,
                             attachments=attachments)
        queued = pending(conn)  # type: ignore[arg-type]
    pages = max(1, -(-result.total // limit))
    if page > pages:
        fail(f"--page {page} is past the last page: {result.total} articles contain {text!r}, {pages} page"
             f"{'s' * (pages > 1)} of {limit}")
    for hit in result.hits:
        if as_json:
            click.echo(json.dumps(hit, ensure_ascii=False))
            continue
        click.echo(f"{(hit['published_at'] or '?')[:10]}  {hit['site']}  #{hit['id']}  {hit['title']}\n"
                   f"    {_marked(hit['snippet'])}\n    {hit['url']}")
        for found in hit.get("attachments", []):
            click.echo(f"    in attachment {found['name']}: {_marked(found['snippet'])}\n      {found['url']}")
    note = f"; {queued} articles not yet indexed were scanned (kexie index indexes them)" if queued else ""
    click.echo(f"{result.total} articles contain {text!r} (page {page} of {pages})"
               f"{note}", err=True)


def checked_query(text: str) -> None:
    """A malformed query is bad input: `error: …`, exit 2 (archive/search_syntax.py says what is wrong)."""
    try:
        parse(text)
    except QuerySyntaxError as exc:
        fail(str(exc))


def _marked(snippet: str) -> str:
    return snippet.replace("<mark>", "\x1b[1;33m").replace("</mark>", "\x1b[0m")


@click.command(name="sql")
@click.argument("query")
@click.option("-t", "--table", "fmt", flag_value="table", help="Aligned text table, NULL shown as NULL.")
@click.option("--tsv", "fmt", flag_value="tsv", help="Tab-separated; tab, newline and \\ escaped, NULL as \\N.")
@click.option("--csv", "fmt", flag_value="csv", help="CSV (RFC 4180 quoting), NULL as an empty cell.")
@click.option("--json", "fmt", flag_value="json", help="One JSON array of objects, NULL as null.")
@click.option("--nl", "fmt", flag_value="nl", help="One JSON object a line.")
@DB
def sql_cmd(query: str, fmt: str | None, db: str | None) -> None:
    """Run one read-only SQL statement against the archive. Prints a table on a terminal and TSV into a pipe or
    file, unless a format is chosen. The file is opened read-only; the search functions are there:
    kexie_fts_query(query), kexie_match(query, title, text), kexie_snippet(text, query).

    \b
    Examples:
      kexie sql "SELECT site, count(*) FROM articles GROUP BY site"
      kexie sql --csv "SELECT id, title, url FROM articles" > articles.csv
    """
    import sys  # here, not at the top: the module's imports are being edited for export at the same time

    from archive.readonly import render

    try:
        columns, rows = run_sql(existing_archive(db), query)
    except ArchiveMissing as exc:
        fail(str(exc))
    except sqlite3.Error as exc:  # bad SQL, a write attempt, or a damaged file (the group names the archive)
        if archive_fault(exc):
            raise
        fail(str(exc))
    chosen = fmt or ("table" if sys.stdout.isatty() else "tsv")  # people read a table; scripts split TSV
    for line in render(columns, rows, chosen):
        click.echo(line)


@click.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "warc"]), default="jsonl", show_default=True,
              help="warc: the raw pages (not articles) as X.warc.gz, offsets in X.offsets.csv.")
@click.option("--query", "-q", default="", help="Only articles matching this query (the syntax of kexie search:"
              ' 科协 院士, 院士 OR 专家, -通知, "a phrase").')
@with_filters
@click.option("-o", "--output", default="-", show_default=True, help="File to write; - for standard output.")
@click.option("--attachment-files", "files", default="", metavar="PATH",
              help="Also write the exported articles' attachment files, as ARTICLE_ID/NAME, into this folder"
                   " (or this zip, when PATH ends in .zip).")
@DB
def export_cmd(fmt: str, query: str, output: str, files: str, db: str | None, **filters: Any) -> None:
    """Export articles with all their fields, streamed (any archive size). CSV carries a UTF-8 BOM so Excel
    shows Chinese; JSON lines are UTF-8 without escapes. WARC holds every stored raw page (one response
    record each, gzip per record) and needs -o; there --since/--until select by the day a page was fetched.

    \b
    Examples:
      kexie export --format csv --level county --since 2023 -o county-2023.csv
      kexie export -q 院士 --region 湖南 > academicians.jsonl
      kexie export --format warc --site xyast -o xyast.warc.gz
      kexie export -q 获奖名单 --attachment-files notices.zip -o notices.jsonl
    """
    from archive.export import WRITERS, open_output, rows

    chosen = filters_of(**filters)
    if query and fmt != "warc":
        checked_query(query)
    if fmt == "warc":
        _export_warc(chosen, query, output, db)
        return
    if output != "-":
        check_folder(Path(output))
    with reading(db) as conn:
        check_filters(conn, chosen.sites, chosen.levels, chosen.region)
    with reading(db) as conn, open_output(output) as out:
        count = WRITERS[fmt](rows(conn, chosen, query), out)
    click.echo(f"{count} articles exported" + ("" if output == "-" else f" to {output}"), err=True)
    if files:
        _export_files(chosen, query, Path(files), db)


def _export_files(chosen: Filters, query: str, target: Path, db: str | None) -> None:
    """`export --attachment-files`: the files of the articles just exported, one at a time."""
    from archive.attachment_export import write_files
    from archive.export import exported_ids

    check_folder(target)
    with reading(db) as conn:
        count = write_files(conn, exported_ids(conn, chosen, query), target)
    click.echo(f"{count} attachment files written to {target}", err=True)


def _export_warc(chosen: Filters, query: str, output: str, db: str | None) -> None:
    """`export --format warc`: raw pages need no search index, so the archive is opened plainly read-only."""
    from archive.warc import sidecar_path, write_warc

    if query or output == "-":
        raise click.UsageError("--format warc writes a file and its offsets sidecar: give -o FILE.warc.gz"
                               + (" (and no --query: it exports raw pages, not articles)" if query else ""))
    target = Path(output)
    check_folder(target)
    path = db or default_db_path()
    about = {"isPartOf": Path(path).name, "kexie-filters": json.dumps(chosen.__dict__, ensure_ascii=False)}
    files: list[int] = []
    with read_archive(db) as conn:
        check_filters(conn, chosen.sites, chosen.levels, chosen.region)
        count = write_warc(conn, chosen, target, about, files)
    click.echo(f"{count} pages exported to {target} (offsets in {sidecar_path(target)})"
               + (f", and {files[0]} attachment files" if files and files[0] else ""), err=True)

