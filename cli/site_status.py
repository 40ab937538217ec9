"""`kexie sites`: the configured sites, each with its last crawl: running now, killed, or when it ran and how it ended.

A crawl_runs row without finished_at is either a crawl at work (its process holds the site's lock;
its counts grow at each batch it commits) or one whose process died (the kernel dropped the lock).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from archive.db import default_db_path
from archive.runs import recent_runs
from cli.common import DB_OPTION, existing_archive, exit_if_skipped, read_archive, usable_sites
from crawler.schedule import lock_held
from siteconfig.sites import SAMPLE_SITES_DIR, SITES_DIR


@click.command()
@click.option("--sample", is_flag=True, help="List the bundled sample sites instead.")
@click.option("--sites-dir", type=click.Path(file_okay=False), default=None, help="Another folder of site files.")
@DB_OPTION
def sites(sample: bool, sites_dir: str | None, db: str | None) -> None:
    """List the configured sites, each with its last crawl in the archive: running now, killed (its
    process is gone), or when it last ran and how it ended.

    \b
    Example:
      kexie sites --sample
    """
    configs, errors = usable_sites(sites_dir or (SAMPLE_SITES_DIR if sample else SITES_DIR))
    status = dict.fromkeys(configs, "")
    if db or Path(default_db_path()).is_file():  # an archive named but missing is an error; none at all is not
        with read_archive(db) as conn:
            status = site_status(conn, existing_archive(db), list(configs))
    for c in configs.values():
        flags = ("official " if c.official else "") + ("spam " if c.spam else "") + ("" if c.verified else "unverified")
        click.echo(f"{c.key:14} {c.level:10} {c.name}  {c.region}  {c.base_url}  {flags.strip()}".rstrip()
                   + (f"  [{status[c.key]}]" if status[c.key] else ""))
    exit_if_skipped(errors)


def site_status(conn: Any, archive: Path, sites: list[str]) -> dict[str, str]:
    """A short status for each site, "" for a site the archive never crawled."""
    locks = archive.resolve().parent / "locks"
    out: dict[str, str] = {}
    for site in sites:
        runs = recent_runs(conn, site, limit=1)
        out[site] = describe(runs[0], lock_held(locks, site)) if runs else "never crawled"
    return out


def describe(run: dict[str, Any], locked: bool) -> str:
    counts = f"{run['fetched'] or 0} article pages, {run['stored'] or 0} new"
    if run["finished_at"]:
        return f"last crawl {run['started_at']}: {run['finish_reason']}, {counts}"
    if locked:
        return f"running since {run['started_at']}: {counts} so far"
    return f"killed: the crawl of {run['started_at']} did not finish and no process holds the site now ({counts})"
