"""`kexie` commands that fetch: crawl, sites."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from archive.db import Archive
from cli.common import (
    DB_OPTION,
    check_folder,
    exit_if_skipped,
    fail,
    open_archive,
    read_archive,
    usable_sites,
)
from siteconfig.sites import ConfigError, find_site

if TYPE_CHECKING:
    from crawler.runner import CrawlResult
    from siteconfig.sites import SiteConfig


def _base_urls(values: tuple[str, ...], keys: tuple[str, ...], known: tuple[str, ...] = ()) -> dict[str, str]:
    """--base-url values as {key: url}; a bare URL is allowed when one site is crawled. KEY= may also
    name a `known` site not crawled this time (not due, or its file is broken): cron keeps one command."""
    moved: dict[str, str] = {}
    for value in values:
        key, sep, url = value.partition("=")
        if not sep or "://" in key:
            key, url = (keys[0] if len(keys) == 1 else ""), value
        if key not in keys and key not in known:
            fail(f"--base-url {value}: give KEY=URL for a site being crawled (or a plain URL for one site)")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            fail(f"--base-url {value}: {url!r} is not an http(s) URL with a host")
        moved[key] = url
    return moved


@click.command()
@click.argument("keys", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Crawl every site in the sites folder.")
@click.option("--due", is_flag=True, help="Crawl the sites whose schedule interval has passed (for cron).")
@click.option("--dry-run", is_flag=True, help="List what would be crawled (with --due: what is due) and when each"
              " site last ran; fetch nothing.")
@click.option("--sites-dir", type=click.Path(file_okay=False), default=None, help="Another folder of site files.")
@click.option("--base-url", "base_urls", multiple=True, metavar="[KEY=]URL",
              help="Fetch a site from another address (a mirror, a staging copy); KEY= when crawling several.")
@click.option("--full", is_flag=True, help="Fetch known articles again too.")
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting.")
@click.option("--redis", "redis_url", metavar="URL", default=None,
              help="Queue the sites for `kexie worker`s through this Redis server instead of crawling here.")
@click.option("--quiet", "-q", is_flag=True, help="No progress (a live line on a terminal, else a line to stderr"
              " every 10 s: -s KEXIE_PROGRESS_EVERY=N); the summary and errors still show.")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Append Scrapy's log to FILE, at INFO level (-s LOG_LEVEL=… for another), instead of its"
                   " warnings on stderr.")
@DB_OPTION
def crawl(keys: tuple[str, ...], all_sites: bool, due: bool, dry_run: bool, sites_dir: str | None,
          base_urls: tuple[str, ...], full: bool, overrides: tuple[str, ...], redis_url: str | None,
          quiet: bool, log_file: str | None, db: str | None) -> None:
    """Crawl sites into the archive, all at once, each at its own polite pace.

    A site another crawl is working on (its lock is held) is skipped, so overlapping cron runs
    are safe. Articles already archived are not fetched again unless --full. Exits 1 when a
    fetched page could not be stored or the crawl was interrupted (the next run resumes it), and
    when a broken site file was skipped (the other sites are crawled).

    \b
    Examples:
      kexie crawl xyast
      kexie crawl --all --db /srv/kexie/archive.db
      kexie crawl --due --dry-run
      kexie crawl --sites-dir config/sample-sites xyast --base-url http://127.0.0.1:8601
      kexie crawl --due --redis redis://queue.lan:6379/0
    """
    from crawler.mode import LocalArchive
    from crawler.runner import crawl_settings, run_crawl
    from crawler.schedule import due_sites

    if redis_url and overrides:
        fail("-s settings apply where the crawl runs: give them to `kexie worker`, not to --redis")
    if keys and (all_sites or due):
        fail(f"name site keys ({' '.join(keys)}) or use --all or --due, not both")
    for item in overrides:
        if "=" not in item or not item.partition("=")[0].strip():
            fail(f"-s {item}: give a Scrapy setting as NAME=VALUE")
    if log_file:
        check_folder(Path(log_file))
    errors: list[ConfigError] = []
    if all_sites or due:
        configs, errors = usable_sites(sites_dir)
    else:
        try:
            configs = {k: find_site(k, sites_dir) for k in keys}
        except ConfigError as exc:
            fail(str(exc))
    if not configs:
        fail("name at least one site key (see `kexie sites`), or use --all or --due")
    loaded = (*configs, *(e.path.stem for e in errors if e.path))
    if dry_run:  # what this command would crawl, and when each site last ran; nothing is fetched or created
        with read_archive(db) as conn:
            for d in due_sites(configs.values(), conn):
                status = ("DUE" if d.due else "not due") if due else "crawl"
                click.echo(f"{d.site:14} {status:8} last run {d.last_started or 'never':26}"
                           f" next {d.next_due or 'now'}")
        exit_if_skipped(errors)
        return
    archive = open_archive(db)
    schedule = due_sites(configs.values(), archive.db)
    if due:
        configs = {d.site: configs[d.site] for d in schedule if d.due}
    moved = _base_urls(base_urls, tuple(configs), known=loaded)
    chosen = [config.with_base_url(moved[key]) if key in moved else config for key, config in configs.items()]
    if redis_url:
        _enqueue(redis_url, archive, chosen, full)
        exit_if_skipped(errors)
        return
    archive.close()
    overrides_map = {**_output_settings(quiet, log_file),
                     **dict(item.split("=", 1) for item in overrides if "=" in item)}
    result = run_crawl(chosen, crawl_settings(str(archive.path), overrides_map), full=full, due=due,
                       mode=LocalArchive(str(archive.path))) if chosen else None
    report(archive.path, result)
    exit_if_skipped(errors)


def _output_settings(quiet: bool, log_file: str | None) -> dict[str, object]:
    """--quiet and --log-file as Scrapy settings (crawler/progress.py reads KEXIE_PROGRESS)."""
    out: dict[str, object] = {"KEXIE_PROGRESS": False} if quiet else {}
    if log_file:
        out |= {"LOG_FILE": log_file, "LOG_LEVEL": "INFO"}
    return out


def _enqueue(redis_url: str, archive: Archive, configs: list[SiteConfig], full: bool) -> None:
    """Queue the sites' jobs for the workers; one line per site."""
    from distributed.enqueue import enqueue_sites
    from distributed.queue import QueueError, RedisQueue

    try:
        queue = RedisQueue(redis_url)
        for key, what in enqueue_sites(queue, archive, configs, full):
            click.echo(f"{key:14} {what}")
        if not configs:
            click.echo("nothing to queue: no site is due")
    except QueueError as exc:
        fail(str(exc))
    finally:
        archive.close()


def kexie_command() -> str:
    """How to run kexie from here: plain `kexie` when it is on PATH, else the virtualenv's own."""
    here = Path(sys.executable).parent / "kexie"
    return "kexie" if shutil.which("kexie") == str(here) or not here.exists() else str(here)


def report(path: Path, result: CrawlResult | None, demo: bool = False) -> None:
    """The per-site summary of what reached the archive; exit 1 when work was lost or interrupted."""
    from archive.runs import run_summary, totals
    from crawler.runner import format_summary

    for key, why in result.skipped if result else []:
        click.echo(f"{key}: skipped, {why}", err=True)
    archive = Archive(path)
    click.echo(format_summary(run_summary(archive.db, result.run_ids if result else [])))
    if demo:
        articles, copies, rejects = totals(archive.db)
        click.echo(f"\narchive: {archive.path}  ({articles} articles, {copies} duplicate copies, {rejects} rejects)")
        click.echo(f"try: {kexie_command()} sql \"SELECT site, published_at, title FROM articles ORDER BY"
                   f" published_at DESC\" --db {archive.path}")
    else:
        click.echo(f"archive: {archive.path}")
    archive.close()
    problems = [*result.problems(), *result.refusals()] if result else []
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        sys.exit(1)
