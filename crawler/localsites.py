"""Where a local crawl's sites come from: the selected site files, each taken with its file lock.

The other source is a Redis job queue (distributed/remotesites.py); crawler/siteruns.py runs the
sites of either the same way.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crawler.schedule import SiteLocks, due_sites
from crawler.sitestate import SiteStart, begin_site, end_site
from siteconfig.sites import SiteConfig

logger = logging.getLogger(__name__)


class LocalSites:
    """The selected sites in order; a site is taken when its lock is free (and, with --due, it is
    still due: an overlapping crawl may have done it meanwhile)."""

    poll_seconds = 0.0  # nothing arrives later: no need to look again

    def __init__(self, archive: Any, configs: Iterable[SiteConfig], full: bool, due_only: bool) -> None:
        self.archive = archive
        self.waiting: deque[SiteConfig] = deque(configs)
        self.full = full
        self.due_only = due_only
        self.locks = SiteLocks(Path(archive.path).resolve().parent / "locks")
        self.skipped: list[tuple[str, str]] = []
        self.failed = 0  # sites whose run the archive could not begin
        self.ending = False

    def take(self) -> tuple[SiteConfig, SiteStart, str] | None:
        """The next site to crawl, its start, and its job id ("" here); None when none is left."""
        while self.waiting and not self.ending:
            config = self.waiting.popleft()
            try:
                if not self.locks.take(config.key):
                    self.skip(config.key, "another crawl holds its lock")
                    continue
                if self.due_only and not due_sites([config], self.archive.db)[0].due:
                    self.locks.release(config.key)
                    self.skip(config.key, "not due any more (another crawl did it meanwhile)")
                    continue
                return config, begin_site(self.archive, config, self.full), ""
            except (sqlite3.Error, OSError) as exc:  # the archive cannot take the run (full, read-only, corrupt)
                self.locks.release(config.key)
                logger.error("%s: cannot begin its crawl: %s", config.key, exc)
                self.failed += 1
                self.skip(config.key, f"the archive failed: {exc}")
        return None

    def skip(self, key: str, why: str) -> None:
        logger.warning("%s: skipped, %s", key, why)
        self.skipped.append((key, why))

    def exhausted(self) -> bool:
        return self.ending or not self.waiting

    def end(self, run: Any, counts: dict[str, Any]) -> None:
        end_site(self.archive, run.run_id, run.key, counts)

    def release(self, key: str) -> None:
        self.locks.release(key)

    def stop(self) -> None:
        self.ending = True

    def close(self) -> None:
        self.locks.release_all()
