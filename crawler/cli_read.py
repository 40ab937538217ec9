"""`kexie` commands that read the archive: sql, search."""

from __future__ import annotations

import json

import click

from archive.db import default_db_path
from archive.queries import ArchiveMissing, run_sql, search
from crawler.cli_common import DB_OPTION, fail


@click.command()
@click.argument("query")
@DB_OPTION
def sql(query: str, db: str | None) -> None:
    """Run one read-only SQL statement against the archive (tab-separated output).

    \b
    Example:
      kexie sql "SELECT site, count(*) FROM articles GROUP BY site"
    """
    try:
        columns, rows = run_sql(db or default_db_path(), query)
    except (ArchiveMissing, Exception) as exc:  # sqlite3 errors: bad SQL or a write attempt
        fail(str(exc))
    click.echo("\t".join(columns))
    for row in rows:
        click.echo("\t".join("" if v is None else str(v) for v in row))


@click.command(name="search")
@click.argument("text")
@click.option("--site", default=None, help="Only this site.")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON lines output.")
@DB_OPTION
def search_cmd(text: str, site: str | None, limit: int, as_json: bool, db: str | None) -> None:
    """Find articles containing TEXT (substring match, like Ctrl-F).

    \b
    Example:
      kexie search 科普示范县 --site cdkx
    """
    try:
        hits = search(db or default_db_path(), text, site, limit)
    except ArchiveMissing as exc:
        fail(str(exc))
    for hit in hits:
        if as_json:
            click.echo(json.dumps(hit, ensure_ascii=False))
        else:
            click.echo(f"{hit['published_at'] or '?':25} {hit['site']:12} {hit['title']}\n    …{hit['snippet']}…")
