"""What `kexie sites` says of each site's last crawl: running now, killed, or when it ran and how it ended.

A crawl_runs row without finished_at is either a crawl at work (its process holds the site's lock;
its counts grow at each batch it commits) or one whose process died (the kernel dropped the lock).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archive.runs import recent_runs
from crawler.schedule import lock_held


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
