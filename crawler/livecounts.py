"""A running crawl's counts in its crawl_runs rows, written with each batch while the crawl goes.

Without them a run's row is empty (NULL counts) until the site's crawl ends, so `kexie health` and
`kexie sites` cannot tell a crawl at work from one that was killed, and a killed run leaves no
trace of what it did. The counts come from the crawl's stats (crawler/runstats.py), as at the end.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from archive.runs import note_running
from crawler.runstats import run_counts
from pipelines.shared import mode_of

logger = logging.getLogger(__name__)


class LiveCounts:
    """Scrapy extension (EXTENSIONS setting): each batch the store writes also updates the rows of the
    runs still going. Inside the batch's transaction, with the counts of the batches before it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LiveCounts:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)  # the crawl mode is open by then
        return ext

    def opened(self, spider: Any) -> None:
        """A local crawl's write queue runs `note` with each batch; a worker has no archive to note in
        (the archiver counts its runs when they end)."""
        hook = getattr(mode_of(self.crawler), "after_each_batch", None)
        if hook is not None:
            hook(self.note)

    def note(self, db: Any) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        run_ids = stats.get("kexie/run_ids", [])
        if not run_ids:
            return
        try:
            note_running(db, run_ids, lambda site: run_counts(stats, site, "", 0.0))
        except sqlite3.Error:
            raise  # the file failed: the batch reports it
        except Exception:  # a bug here must not lose the batch's pages: the counts wait for the run's end
            logger.exception("could not note the running crawls' counts")
