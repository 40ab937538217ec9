"""`kexie`: crawl association sites into the archive, and read the archive back."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from archive.db import Archive, default_db_path
from archive.queries import ArchiveMissing, run_sql, search
from crawler.sites import SAMPLE_SITES_DIR, SITES_DIR, ConfigError, find_site, load_sites

DB_OPTION = click.option("--db", envvar="KEXIE_DB", default=None, show_default=f"{default_db_path()} (or $KEXIE_DB)",
                         help="Archive file.")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _base_urls(values: tuple[str, ...], keys: tuple[str, ...]) -> dict[str, str]:
    """--base-url values as {key: url}; a bare URL is allowed when one site is crawled."""
    moved: dict[str, str] = {}
    for value in values:
        key, sep, url = value.partition("=")
        if not sep or "://" in key:
            key, url = (keys[0] if len(keys) == 1 else ""), value
        if key not in keys:
            _fail(f"--base-url {value}: give KEY=URL for a site being crawled (or a plain URL for one site)")
        moved[key] = url
    return moved


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Archive news of China's science and technology associations (科协).

    \b
    Example:
      kexie demo && kexie search 科普
    """


@main.command()
@click.option("--sample", is_flag=True, help="List the bundled sample sites instead.")
@click.option("--sites-dir", type=click.Path(file_okay=False), default=None, help="Another folder of site files.")
def sites(sample: bool, sites_dir: str | None) -> None:
    """List the configured sites.

    \b
    Example:
      kexie sites --sample
    """
    try:
        configs = load_sites(sites_dir or (SAMPLE_SITES_DIR if sample else SITES_DIR))
    except ConfigError as exc:
        _fail(str(exc))
    for c in configs.values():
        flags = ("official " if c.official else "") + ("spam " if c.spam else "") + ("" if c.verified else "unverified")
        click.echo(f"{c.key:14} {c.level:10} {c.name}  {c.region}  {c.base_url}  {flags.strip()}")


@main.command()
@click.argument("keys", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Crawl every site in the sites folder.")
@click.option("--sites-dir", type=click.Path(file_okay=False), default=None, help="Another folder of site files.")
@click.option("--base-url", "base_urls", multiple=True, metavar="[KEY=]URL",
              help="Fetch a site from another address (a mirror, a staging copy); KEY= when crawling several.")
@click.option("--full", is_flag=True, help="Fetch known articles again too.")
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting.")
@DB_OPTION
def crawl(keys: tuple[str, ...], all_sites: bool, sites_dir: str | None, base_urls: tuple[str, ...], full: bool,
          overrides: tuple[str, ...], db: str | None) -> None:
    """Crawl sites into the archive, one after another.

    \b
    Examples:
      kexie crawl xyast
      kexie crawl --all --db /srv/kexie/archive.db
      kexie crawl --sites-dir config/sample-sites xyast --base-url http://127.0.0.1:8601
    """
    from crawler.runner import crawl_settings, format_summary, run_crawls, summary

    try:
        keys = tuple(load_sites(sites_dir)) if all_sites else keys
        if not keys:
            _fail("name at least one site key (see `kexie sites`) or use --all")
        for key in keys:
            find_site(key, sites_dir)
    except ConfigError as exc:
        _fail(str(exc))
    moved = _base_urls(base_urls, keys)
    settings = dict(item.split("=", 1) for item in overrides if "=" in item)
    jobs = [{"site": k, "base_url": moved.get(k, ""), "sites_dir": sites_dir or "", "full": "1" if full else ""}
            for k in keys]
    archive = Archive(db)
    last = archive.db.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()[0]
    archive.close()
    run_crawls(jobs, crawl_settings(str(archive.path), settings))
    archive = Archive(db)
    click.echo(format_summary(summary(archive.db, last)))
    click.echo(f"archive: {archive.path}")
    archive.close()


@main.command()
@click.option("--port-base", default=8601, show_default=True,
              help="Sample site i listens on port-base + i (fixed, so a second demo finds its articles known).")
@DB_OPTION
def demo(port_base: int, db: str | None) -> None:
    """Serve the bundled sample sites on 127.0.0.1, crawl them all, print what was stored.

    \b
    Example:
      kexie demo --db /tmp/demo.db
    """
    from crawler.runner import LOCAL_POLITENESS, crawl_settings, format_summary, run_crawls, summary
    from crawler.sampleweb.server import SampleWeb

    archive = Archive(db)
    last = archive.db.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()[0]
    archive.close()
    try:
        web = SampleWeb(port_base=port_base).start()
    except OSError as exc:
        _fail(f"cannot serve the sample web from port {port_base}: {exc} (try --port-base)")
    with web:
        configs = load_sites(SAMPLE_SITES_DIR)
        jobs = [{"site": key, "base_url": web.base_urls[key], "sites_dir": str(SAMPLE_SITES_DIR)} for key in configs]
        run_crawls(jobs, crawl_settings(str(archive.path), LOCAL_POLITENESS))
    archive = Archive(db)
    click.echo(format_summary(summary(archive.db, last)))
    articles, copies, rejects = (archive.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                                 for t in ("articles", "duplicates", "rejects"))
    click.echo(f"\narchive: {archive.path}  ({articles} articles, {copies} duplicate copies, {rejects} rejects)")
    click.echo(f"try: kexie sql \"SELECT site, published_at, title FROM articles ORDER BY published_at DESC\""
               f" --db {archive.path}")
    archive.close()


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--jsonl", is_flag=True, help="One JSON object per file (the default output).")
@click.option("--url", default=None, help="The page's address (helps dates found in URLs); one file only.")
def extract(files: tuple[str, ...], jsonl: bool, url: str | None) -> None:
    """Extract title, text, date and bylines from saved HTML files, offline.

    \b
    Example:
      kexie extract page.html --url http://www.xyast.example/xwdt/1.htm --jsonl
    """
    from pipelines.process import process_html

    for name in files:
        result = process_html(Path(name).read_bytes(), url=url if len(files) == 1 else None)
        click.echo(json.dumps({"file": name, **result}, ensure_ascii=False))


@main.command()
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
        _fail(str(exc))
    click.echo("\t".join(columns))
    for row in rows:
        click.echo("\t".join("" if v is None else str(v) for v in row))


@main.command(name="search")
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
        _fail(str(exc))
    for hit in hits:
        if as_json:
            click.echo(json.dumps(hit, ensure_ascii=False))
        else:
            click.echo(f"{hit['published_at'] or '?':25} {hit['site']:12} {hit['title']}\n    …{hit['snippet']}…")
