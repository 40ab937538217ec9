"""Dedupe's Scrapy stage: the archive-free part (a page not fingerprinted in a worker).

`decide` itself (dedupe/decide.py) runs in the store stage's write transaction
(dedupe/write.py), so that its reads and the writes they lead to are one atomic step, whichever
process writes too.
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from archive.writer import immediate
from dedupe.clusters import backfill
from extract.attachment import Attachment
from extract.fingerprint import fingerprint
from extract.page import Page
from pipelines.shared import mode_of, require_archiving_spider


class DedupePipeline:
    """Fingerprints a page the workers did not (a reject made in the crawl process)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        require_archiving_spider(crawler)
        return cls(crawler)

    def open_spider(self) -> None:
        """Bring an archive written before the near-duplicate index up to date (a no-op after); a
        worker has no archive (the archiver's is brought up to date by the next local crawl)."""
        archive = mode_of(self.crawler).archive
        if archive is not None:
            with immediate(archive.db):
                backfill(archive)

    def process_item(self, item: Page | Attachment) -> Page | Attachment:
        if isinstance(item, Attachment):  # files are deduplicated by SHA-256 as they are stored
            return item
        return item if item.canonical_url else fingerprint(item)
