"""`kexie` commands that present or rework the archive: report and serve; index and reextract.

`serve` opens the file read-only (Datasette --immutable, or mode=ro with --live) after bringing the
search index up to date; `index` and `reextract` write.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import click

from archive.db import Archive
from archive.runs import archived_sites, totals
from cli.common import DB_OPTION as DB
from cli.common import check_filters, check_folder, existing_archive, fail, read_archive
from cli.query import filters_of, reading


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

    path = existing_archive(db)
    target = Path(output) if output else path.with_name(f"{path.stem}-report.html")
    check_folder(target)
    with reading(db) as conn:
        html = render(conn)
    try:
        target.write_text(html, encoding="utf-8")
    except OSError as exc:  # e.g. beside an archive on read-only media
        fail(f"cannot write {target}: {exc.strerror or exc} (choose another file with -o)")
    click.echo(f"report: {target}")


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
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
    from siteconfig.sites import CONFIG_DIR

    path = existing_archive(db)
    from archive.search import up_to_date

    with read_archive(db) as conn:
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
    click.echo(_index(existing_archive(db), rebuild))  # a new archive has nothing to index: a typo in --db


def _index(path: Path, rebuild: bool) -> str:
    from archive.search import ensure_search_index, pending, rebuild_index, update_index

    started, archive = time.monotonic(), Archive(path)
    try:
        waiting = pending(archive.db) if "search_queue" in archive.db.table_names() else None
        ensure_search_index(archive.db)
        if rebuild:
            rebuild_index(archive.db)
            waiting = update_index(archive.db)
        total = totals(archive.db)[0]
    finally:
        archive.close()
    done = "all" if waiting is None else waiting
    return f"search index up to date: {total} articles, {done} (re)indexed in {time.monotonic() - started:.1f} s"


@click.command(name="reextract")
@click.option("--site", default=None, metavar="KEY", help="Only this site's articles.")
@click.option("--since", default="", metavar="DATE", help="Only articles published on or after YYYY[-MM[-DD]].")
@click.option("--dry-run", is_flag=True, help="Show what would change, write nothing.")
@click.option("--workers", default=-1, show_default=True, metavar="N", type=click.IntRange(-1, 1024),
              help="Extraction processes: -1 one per core, 0 none (all in this process).")
@DB
def reextract_cmd(site: str | None, since: str, dry_run: bool, workers: int, db: str | None) -> None:
    """Run extraction again on the stored raw pages (never refetches) and update title, text, dates and
    bylines, the search index and extractor_version; then read the stored attachments' texts again (all
    of them, or those fetched from --site; --since is for articles). Prints each change.

    \b
    Example:
      kexie reextract --site xyast --since 2023 --dry-run
    """
    from extract.extractor import EXTRACTOR_VERSION
    from pipelines.reextract import articles_to_check, reextract

    start = filters_of((), (), "", since, "", True).since or None
    path = existing_archive(db)
    if site:
        with read_archive(db) as conn:
            check_filters(conn, (site,))
    archive = Archive(path)
    try:
        ids = articles_to_check(archive.db, site, start)
        changed = skipped = 0
        for outcome in reextract(archive, site_hints(archive.db), ids, dry_run, workers):
            click.echo(outcome.describe())
            changed, skipped = changed + (not outcome.skipped), skipped + bool(outcome.skipped)
    finally:
        archive.close()
    _reextract_attachments(db, site, dry_run, workers)  # its lines before the articles' summary, which ends
    click.echo(f"{len(ids)} articles re-extracted with {EXTRACTOR_VERSION}: {changed} changed, {skipped} left as is"
               + (" (dry run: nothing written)" if dry_run else ""))


def _reextract_attachments(db: str | None, site: str | None, dry_run: bool, workers: int) -> None:
    """The attachments' texts read again too (pipelines/reextract_attachments.py)."""
    from extract.attachment_text import EXTRACTOR_VERSION
    from pipelines.reextract_attachments import reextract_attachments

    archive = Archive(existing_archive(db))
    try:
        changed = 0
        for outcome in reextract_attachments(archive, site, dry_run, workers):
            click.echo(outcome.describe())
            changed += 1
    finally:
        archive.close()
    click.echo(f"attachments re-read with {EXTRACTOR_VERSION}: {changed} changed"
               + (" (dry run: nothing written)" if dry_run else ""))


def site_hints(db: Any) -> dict[str, Any]:
    """Extraction hints per site as the crawl gives them: each site file's, and the boilerplate of
    crawler/learned.py's site_boilerplate (the file's patterns and the lines learned for the site)."""
    from crawler.learned import site_boilerplate
    from pipelines.reextract import SiteHints
    from siteconfig.sites import SAMPLE_SITES_DIR, SITES_DIR, ConfigError, load_site

    hints: dict[str, Any] = {}
    for key, name, config_path in archived_sites(db):
        hints[key] = SiteHints(name=name or "", boilerplate=site_boilerplate(db, key, ()))
        files = [Path(config_path)] if config_path else []
        files += [SITES_DIR / f"{key}.toml", SAMPLE_SITES_DIR / f"{key}.toml"]
        for file in files:
            try:
                config = load_site(file)
            except (ConfigError, OSError):
                continue
            hints[key] = SiteHints(config.name, config.encoding, site_boilerplate(db, key, config.boilerplate),
                                   config.content_xpath)
            break
    return hints
