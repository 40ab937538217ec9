"""Which sites are due, and a per-site lock so overlapping cron runs never crawl a site twice.

A site is due when it has never finished a crawl, or when its last finished crawl started
more than `interval_hours` ago. Locks are `flock`s on files beside the archive: the kernel
drops them when the holder dies, so a killed crawl never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from archive.runs import last_finished_runs
from siteconfig.sites import SiteConfig


@dataclass(frozen=True)
class Due:
    site: str
    due: bool
    last_started: str | None
    next_due: str | None


def due_sites(sites: Iterable[SiteConfig], db: Any, now: datetime | None = None) -> list[Due]:
    """Every site with whether it is due now and when it last ran."""
    now = now or datetime.now(UTC)
    sites = list(sites)
    last = last_finished_runs(db, [s.key for s in sites] if len(sites) < 20 else None)
    out = []
    for site in sites:
        started = last.get(site.key)
        if started is None:
            out.append(Due(site.key, True, None, None))
            continue
        next_due = datetime.fromisoformat(started) + timedelta(hours=site.interval_hours)
        out.append(Due(site.key, next_due <= now, started, next_due.isoformat(timespec="seconds")))
    return out


def lock_held(directory: Path, site: str) -> bool:
    """Whether a live process holds the site's lock now (its crawl is running, not killed: the
    kernel drops the lock of a dead process)."""
    try:
        handle = open(directory / f"{site}.lock", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


class SiteLocks:
    """Exclusive, non-blocking locks on `<dir>/<site>.lock`; `take` says which it got."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.held: dict[str, IO[str]] = {}

    def take(self, site: str) -> bool:
        self.directory.mkdir(parents=True, exist_ok=True)
        handle = open(self.directory / f"{site}.lock", "a+", encoding="utf-8")  # noqa: SIM115 - held open
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self.held[site] = handle
        return True

    def release(self, site: str) -> None:
        handle = self.held.pop(site, None)
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def release_all(self) -> None:
        for handle in self.held.values():
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        self.held.clear()

    def __enter__(self) -> SiteLocks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release_all()
