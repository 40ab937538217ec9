"""Dedupe's Scrapy stage: the archive-free part (a page not fingerprinted in a worker).

`decide` itself (dedupe/decide.py) runs in the store stage's write transaction
(dedupe/write.py), so that its reads and the writes they lead to are one atomic step, whichever
process writes too.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.db import Archive
from archive.writer import immediate
from dedupe.clusters import backfill
from extract.attachment import Attachment
from extract.fingerprint import fingerprint
from extract.page import Page
from pipelines.shared import archive_for, require_archiving_spider


class DedupePipeline:
    """Fingerprints a page the workers did not (a reject made in the crawl process)."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        require_archiving_spider(crawler)
        if crawler.settings.get("KEXIE_REDIS_URL"):  # a worker: the archiver fingerprints what is left
            raise NotConfigured("a distributed crawl's worker has no archive")
        return cls(archive_for(crawler))

    def open_spider(self) -> None:
        """Bring an archive written before the near-duplicate index up to date (a no-op after)."""
        with immediate(self.archive.db):
            backfill(self.archive)

    def process_item(self, item: Page | Attachment) -> Page | Attachment:
        if isinstance(item, Attachment):  # files are deduplicated by SHA-256 as they are stored
            return item
        return item if item.canonical_url else fingerprint(item)
