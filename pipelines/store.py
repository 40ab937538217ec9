"""Store stage: the single writer. Each page's write (dedupe/write.py) waits in memory and the
writes go to the file together, one short BEGIN IMMEDIATE transaction every KEXIE_BATCH_SIZE
pages or KEXIE_BATCH_SECONDS seconds (archive/writer.py), so another process writing the same
archive waits milliseconds, never fails. A killed crawl loses at most the waiting batch, which
the next run fetches again (nothing of it was recorded as known); a batch that cannot be
written (disk full) is counted as lost, never as stored.
"""

from __future__ import annotations

import logging
import sqlite3
from functools import partial

from scrapy.crawler import Crawler
from twisted.internet import task

from archive.outcomes import Outcome
from archive.writer import BatchWriter, fatal
from dedupe.writes import AttachmentWrite, PageWrite
from extract.attachment import Attachment
from extract.attachment_text import EXTRACTOR_VERSION as ATTACHMENT_EXTRACTOR
from extract.page import Page
from pipelines.shared import require_archiving_spider, writer_for

logger = logging.getLogger(__name__)


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

    def process_item(self, item: Page | Attachment) -> Page | Attachment:
        if isinstance(item, Attachment):
            self.writer.add(AttachmentWrite(item, ATTACHMENT_EXTRACTOR),
                            partial(self.attachment_written, item))
        else:
            self.writer.add(PageWrite(item), partial(self.written, item))
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

    def written(self, page: Page, result: Outcome | str | None, error: BaseException | None) -> None:
        """A page's write reached the file (its Outcome; "sent" on a worker: the archiver counts it) or not."""
        stats = self.crawler.stats
        assert stats is not None
        outcome = Outcome.LOST if error is not None else result
        if error is not None and not _fatal_for_batch(error):
            logger.error("could not store %s: %s: %s", page.url, type(error).__name__, error)
        for prefix in ("kexie", f"kexie/site/{page.site}"):
            stats.inc_value(f"{prefix}/fetched")
            stats.inc_value(f"{prefix}/{outcome}")
            if page.reject_reason and error is None:
                stats.inc_value(f"{prefix}/rejected/{page.reject_reason}")
        self.crawler.signals.send_catch_log(page_written, page=page, outcome=outcome, error=error)

    def attachment_written(self, item: Attachment, outcome: str | None, error: BaseException | None) -> None:
        """Attachments are counted apart from pages (kexie/attachments/…): a run's page counts stay pages."""
        stats = self.crawler.stats
        assert stats is not None
        if error is not None:
            outcome = "lost"
            if not _fatal_for_batch(error):
                logger.error("could not store attachment %s: %s: %s", item.url, type(error).__name__, error)
        for prefix in ("kexie", f"kexie/site/{item.site}"):
            stats.inc_value(f"{prefix}/attachments/{outcome}")
            if outcome == "lost":  # counted with the lost pages: the crawl exits 1, the frontier asks again
                stats.inc_value(f"{prefix}/lost")
        item.body = b""  # stored: the file need not stay in memory while Scrapy finishes the item
        self.crawler.signals.send_catch_log(page_written, page=item, outcome=outcome, error=error)

    def close_spider(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.flush()


def _fatal_for_batch(error: BaseException) -> bool:
    """Errors that lost the whole batch are logged once by `flush`, not once per page."""
    return isinstance(error, OSError) or (isinstance(error, sqlite3.Error) and fatal(error))
