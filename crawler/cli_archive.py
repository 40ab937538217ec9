"""`kexie` commands on the archive: search, sql, export, report and serve read it; index and reextract rework it.

`register(main)` adds them to the CLI group. The reading commands open the file read-only (SQLite
mode=ro, Datasette --immutable); `serve` first brings the search index up to date.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import click

from archive.db import Archive, default_db_path
from archive.queries import SORTS, ArchiveMissing, Filters, connect_read_only, day, run_sql, search_conn

DB = click.option("--db", envvar="KEXIE_DB", default=None, show_default=f"{default_db_path()} (or $KEXIE_DB)",
                  help="Archive file.")
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


@contextmanager
def reading(db: str | None) -> Iterator[sqlite3.Connection]:
    """A read-only connection to an archive that has its search index."""
    try:
        conn = connect_read_only(db or default_db_path())
    except ArchiveMissing as exc:
        raise click.ClickException(str(exc)) from exc
    with closing(conn):
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_queue'").fetchone():
            raise click.ClickException("this archive has no search index yet: run `kexie index` once")
        yield conn


@click.command(name="search")
@click.argument("text")
@with_filters
@click.option("--sort", type=click.Choice(list(SORTS)), default="rank", show_default=True,
              help="rank (bm25, title hits first), newest or oldest.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1), help="Articles a page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line (snippet match in <mark>).")
@DB
def search_cmd(text: str, sort: str, limit: int, page: int, as_json: bool, db: str | None, **filters: Any) -> None:
    """Articles whose title or text contains TEXT, like Ctrl-F: one character or many, Chinese, Latin or digits
    (case and full width ignored). Near copies hidden; the count goes to stderr.

    \b
    Examples:
      kexie search 科普示范县 --level city --region 湖南 --since 2022
      kexie search 院士 --site cdkx --json --page 2
    """
    if not text.strip():
        raise click.BadParameter("give some text to search for")
    with reading(db) as conn:
        result = search_conn(conn, text, filters_of(**filters), sort, limit, (page - 1) * limit)
        queued = conn.execute("SELECT count(*) FROM search_queue").fetchone()[0]
    for hit in result.hits:
        if as_json:
            click.echo(json.dumps(hit, ensure_ascii=False))
            continue
        snippet = hit["snippet"].replace("<mark>", "\x1b[1;33m").replace("</mark>", "\x1b[0m")
        click.echo(f"{(hit['published_at'] or '?')[:10]}  {hit['site']}  #{hit['id']}  {hit['title']}\n"
                   f"    {snippet}\n    {hit['url']}")
    note = f"; {queued} articles not yet indexed were scanned (kexie index indexes them)" if queued else ""
    click.echo(f"{result.total} articles contain {text!r} (page {page} of {max(1, -(-result.total // limit))})"
               f"{note}", err=True)


@click.command(name="sql")
@click.argument("query")
@DB
def sql_cmd(query: str, db: str | None) -> None:
    """Run one read-only SQL statement against the archive (tab-separated output). The file is opened
    read-only; the search functions are there: kexie_fts_query(text), kexie_snippet(text, query).

    \b
    Example:
      kexie sql "SELECT site, count(*) FROM articles GROUP BY site"
    """
    try:
        columns, rows = run_sql(db or default_db_path(), query)
    except (ArchiveMissing, sqlite3.Error) as exc:  # bad SQL or a write attempt
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo("\t".join(columns))
    for row in rows:
        click.echo("\t".join("" if v is None else str(v) for v in row))


@click.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--query", "-q", default="", help="Only articles containing this text (as kexie search).")
@with_filters
@click.option("-o", "--output", default="-", show_default=True, help="File to write; - for standard output.")
@DB
def export_cmd(fmt: str, query: str, output: str, db: str | None, **filters: Any) -> None:
    """Export articles with all their fields, streamed (any archive size). CSV carries a UTF-8 BOM so Excel
    shows Chinese; JSON lines are UTF-8 without escapes.

    \b
    Examples:
      kexie export --format csv --level county --since 2023 -o county-2023.csv
      kexie export -q 院士 --region 湖南 > academicians.jsonl
    """
    from archive.export import WRITERS, open_output, rows

    chosen = filters_of(**filters)
    with reading(db) as conn, open_output(output) as out:
        count = WRITERS[fmt](rows(conn, chosen, query), out)
    click.echo(f"{count} articles exported" + ("" if output == "-" else f" to {output}"), err=True)


@click.command(name="report")
@click.option("-o", "--output", default=None, help="HTML file to write [default: beside the archive].")
@DB
def report_cmd(output: str | None, db: str | None) -> None:
    """Write one self-contained HTML page: a chart of articles per site per month and crawl health per site.
    Opens offline (inline SVG, no script).

    \b
    Example:
      kexie report -o /tmp/report.html
    """
    from archive.report import render

    path = Path(db or default_db_path())
    target = Path(output) if output else path.with_name(f"{path.stem}-report.html")
    with reading(db) as conn:
        target.write_text(render(conn), encoding="utf-8")
    click.echo(f"report: {target}")


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--live", is_flag=True, help="Follow a crawl that is writing the file (read-only, not immutable).")
@click.option("--metadata", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Datasette metadata [default: config/datasette.yaml].")
@DB
def serve_cmd(host: str, port: int, live: bool, metadata: str | None, db: str | None) -> None:
    """Browse the archive in Datasette, read-only: descriptions, facets (site, region, level, year), canned
    queries, and a search box that finds what kexie search finds. The search index is brought up to date first.

    \b
    Example:
      kexie serve --port 8001   # then open http://127.0.0.1:8001/
    """
    from archive.datasette_plugin import run_datasette
    from crawler.sites import CONFIG_DIR

    path = Path(db or default_db_path())
    if not path.exists():
        raise click.ClickException(f"no archive at {path} (run `kexie crawl` or `make demo` first, or pass --db)")
    from archive.search import up_to_date

    with closing(connect_read_only(path)) as conn:
        current = up_to_date(conn)
    try:
        if not current:  # otherwise the file is not even opened for writing
            click.echo(_index(path, rebuild=False), err=True)
    except sqlite3.OperationalError as exc:  # a read-only file: serve what is there
        click.echo(f"warning: search index not brought up to date ({exc})", err=True)
    run_datasette(path, host, port, live, Path(metadata) if metadata else CONFIG_DIR / "datasette.yaml")


@click.command(name="index")
@click.option("--rebuild", is_flag=True, help="Index every article again (after a tokenizer change).")
@DB
def index_cmd(rebuild: bool, db: str | None) -> None:
    """Create the search index or bring it up to date (the crawl leaves changed articles queued).

    \b
    Example:
      kexie index
    """
    click.echo(_index(Path(db or default_db_path()), rebuild))


def _index(path: Path, rebuild: bool) -> str:
    from archive.search import ensure_search_index, pending, rebuild_index, update_index

    started, archive = time.monotonic(), Archive(path)
    try:
        waiting = pending(archive.db) if "search_queue" in archive.db.table_names() else None
        ensure_search_index(archive.db)
        if rebuild:
            rebuild_index(archive.db)
            waiting = update_index(archive.db)
        total = archive.db.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        archive.close()
    done = "all" if waiting is None else waiting
    return f"search index up to date: {total} articles, {done} (re)indexed in {time.monotonic() - started:.1f} s"


@click.command(name="reextract")
@click.option("--site", default=None, metavar="KEY", help="Only this site's articles.")
@click.option("--since", default="", metavar="DATE", help="Only articles published on or after YYYY[-MM[-DD]].")
@click.option("--dry-run", is_flag=True, help="Show what would change, write nothing.")
@DB
def reextract_cmd(site: str | None, since: str, dry_run: bool, db: str | None) -> None:
    """Run extraction again on the stored raw pages (never refetches) and update title, text, dates and
    bylines, the search index and extractor_version; prints each change.

    \b
    Example:
      kexie reextract --site xyast --since 2023 --dry-run
    """
    from pipelines.extract import EXTRACTOR_VERSION
    from pipelines.reextract import articles_to_check, reextract

    start = filters_of((), (), "", since, "", True).since or None
    archive = Archive(db)
    try:
        ids = articles_to_check(archive.db, site, start)
        changed = skipped = 0
        for outcome in reextract(archive.db, site_hints(archive.db), ids, dry_run):
            click.echo(outcome.describe())
            changed, skipped = changed + (not outcome.skipped), skipped + bool(outcome.skipped)
    finally:
        archive.close()
    click.echo(f"{len(ids)} articles re-extracted with {EXTRACTOR_VERSION}: {changed} changed, {skipped} left as is"
               + (" (dry run: nothing written)" if dry_run else ""))


def site_hints(db: Any) -> dict[str, Any]:
    """Extraction hints per site from each site's config file, as the crawl used them."""
    from crawler.sites import SAMPLE_SITES_DIR, SITES_DIR, ConfigError, load_site
    from pipelines.reextract import SiteHints

    hints: dict[str, Any] = {}
    for key, name, config_path in db.execute("SELECT key, name, config_path FROM sites").fetchall():
        hints[key] = SiteHints(name=name or "")
        files = [Path(config_path)] if config_path else []
        files += [SITES_DIR / f"{key}.toml", SAMPLE_SITES_DIR / f"{key}.toml"]
        for file in files:
            try:
                config = load_site(file)
            except (ConfigError, OSError):
                continue
            hints[key] = SiteHints(config.name, config.encoding, config.boilerplate, config.content_xpath)
            break
    return hints


def register(group: click.Group) -> None:
    """Add search, sql, export, report, serve, index and reextract to the `kexie` group."""
    for command in (search_cmd, sql_cmd, export_cmd, report_cmd, serve_cmd, index_cmd, reextract_cmd):
        group.add_command(command)
