"""Store stage: the single writer. Raw page always, then an article, a copy link, a new version or
a reject; every stored article's MinHash sketch goes into the near-duplicate index as it is written.

Writes wait in memory and go to the file together, one short BEGIN IMMEDIATE transaction every
KEXIE_BATCH_SIZE pages or KEXIE_BATCH_SECONDS seconds (archive/writer.py), so another process
writing the same archive waits milliseconds, never fails. A killed crawl loses at most the
waiting batch, which the next run fetches again (nothing of it was recorded as known); a batch
that cannot be written (disk full) is counted as lost, never as stored.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import asdict
from functools import partial
from typing import Any

from scrapy.crawler import Crawler
from twisted.internet import task

from archive import frontier
from archive.db import Archive
from archive.writer import BatchWriter, fatal
from pipelines import near
from pipelines.clusters import attach, refresh, restand
from pipelines.dedupe import decide
from pipelines.extract import EXTRACTOR_VERSION
from pipelines.page import Page
from pipelines.shared import require_archiving_spider, writer_for

logger = logging.getLogger(__name__)


def site_row(config: Any) -> dict[str, Any]:
    """The `sites` row for a SiteConfig."""
    fields = asdict(config)
    return {
        "key": fields["key"], "name": fields["name"], "level": fields["level"], "region": fields["region"],
        "official": int(fields["official"]), "spam": int(fields["spam"]), "verified": int(fields["verified"]),
        "base_url": fields["base_url"], "config_path": fields["path"],
    }


def store(page: Page, archive: Archive, run_id: int | None) -> str:
    """Write one page as `decide` classified it; returns what happened: stored, duplicate (an exact
    copy), near (stored and linked as a near copy), unchanged, changed (a new version), rejected."""
    if page.reject_reason:
        page_id = archive.add_page(page, run_id) if page.status else None  # status 0: refused before its body came
        archive.add_reject(page, page_id, run_id)
        return "rejected"
    page_id = archive.add_page(page, run_id)
    action = page.dedupe_action
    if action == "unchanged":
        return action
    if action == "changed":
        assert page.duplicate_of is not None
        _, current = archive.add_version(page.duplicate_of, page, page_id, EXTRACTOR_VERSION)
        if current:
            refresh(archive, page.duplicate_of, page.sketch)
        return action
    archive.detach_copy(page.canonical_url)  # a copy URL whose text changed leaves its old article
    if action in ("new", "near", "near_original"):
        article_id = archive.add_article(page, page_id, EXTRACTOR_VERSION)
        mine = page.sketch
        near.index(archive, article_id, mine)
        if action == "new" or mine is None:
            return "stored"
        assert page.duplicate_of is not None
        attach(archive, article_id, page.duplicate_of, action == "near_original", mine)
        return "near"
    assert page.duplicate_of is not None
    if action == "exact":
        archive.add_copy(page.duplicate_of, page, page_id, "exact")
    elif action == "promote":
        archive.promote(page.duplicate_of, page, page_id, EXTRACTOR_VERSION)
        restand(archive, page.duplicate_of)
    else:
        raise ValueError(f"page {page.url} has no dedupe decision ({action!r}): run decide() first")
    return "duplicate"


def write_page(page: Page, archive: Archive) -> str:
    """The store stage's write of one page, run inside the batch's write transaction: the dedupe
    decision is taken there too, so it sees everything written before it, by any process."""
    decide(page, archive)
    outcome = store(page, archive, page.run_id)
    if page.from_frontier:
        frontier.visited(archive, page.site, page.url)
    return outcome


# Scrapy signal, sent once a page's write reached the file (error None) or could not (error set)
page_written = object()


class StorePipeline:
    """Scrapy stage: queues each page's write; the batch goes to the file in one short transaction
    every KEXIE_BATCH_SIZE pages or KEXIE_BATCH_SECONDS seconds, and counts only what reached it."""

    def __init__(self, crawler: Crawler, writer: BatchWriter) -> None:
        self.crawler = crawler
        self.writer = writer
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        require_archiving_spider(crawler)
        return cls(crawler, writer_for(crawler))

    def open_spider(self) -> None:
        self.loop = task.LoopingCall(self.flush_if_due)
        self.loop.start(max(0.05, self.writer.seconds / 2), now=False)

    def process_item(self, item: Page) -> Page:
        self.writer.add(partial(write_page, item), partial(self.written, item))
        if self.writer.due():
            self.flush()
        return item

    def flush_if_due(self) -> None:
        if self.writer.due():
            self.flush()

    def flush(self) -> None:
        pages = len(self.writer)
        error = self.writer.flush()
        if error is not None:
            logger.error("could not store %d pages: %s (they were not recorded as known: the next crawl fetches"
                         " them again)", pages, error)

    def written(self, page: Page, outcome: str | None, error: BaseException | None) -> None:
        stats = self.crawler.stats
        assert stats is not None
        if error is not None:
            outcome = "lost"
            if not _fatal_for_batch(error):
                logger.error("could not store %s: %s: %s", page.url, type(error).__name__, error)
        for prefix in ("kexie", f"kexie/site/{page.site}"):
            stats.inc_value(f"{prefix}/fetched")
            stats.inc_value(f"{prefix}/{outcome}")
            if page.reject_reason and error is None:
                stats.inc_value(f"{prefix}/rejected/{page.reject_reason}")
        self.crawler.signals.send_catch_log(page_written, page=page, outcome=outcome, error=error)

    def close_spider(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.flush()


def _fatal_for_batch(error: BaseException) -> bool:
    """Errors that lost the whole batch are logged once by `flush`, not once per page."""
    return isinstance(error, OSError) or (isinstance(error, sqlite3.Error) and fatal(error))
