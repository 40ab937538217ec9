"""Store stage: the single writer. Raw page always, then an article, a copy link, a new version or
a reject; every stored article's MinHash sketch goes into the near-duplicate index as it is written.

Writes go into one open transaction that is committed every KEXIE_BATCH_SIZE items and at the
end of the crawl, so a killed crawl loses at most one uncommitted batch (which the next run
fetches again, because nothing of it was recorded as known).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from archive.db import Archive
from archive.search import update_index
from pipelines import near
from pipelines.clusters import attach, refresh, restand
from pipelines.extract import EXTRACTOR_VERSION
from pipelines.page import Page
from pipelines.shared import archive_for


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
    page_id = archive.add_page(page, run_id)
    if page.reject_reason:
        archive.add_reject(page, page_id, run_id)
        return "rejected"
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


class StorePipeline:
    """Scrapy stage: batches writes, records the crawl run with its counts."""

    def __init__(self, crawler: Crawler, archive: Archive) -> None:
        self.crawler = crawler
        self.archive = archive
        self.batch_size = crawler.settings.getint("KEXIE_BATCH_SIZE", 100)
        self.pending = 0
        self.run_id: int | None = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler, archive_for(crawler))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        config = getattr(spider, "site_config", None)
        if config is not None:
            self.archive.upsert_site(site_row(config))
        self.run_id = self.archive.start_run(getattr(config, "key", spider.name if spider else "?"))
        self.archive.begin()

    def process_item(self, item: Page) -> Page:
        outcome = store(item, self.archive, self.run_id)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("kexie/fetched")
        stats.inc_value(f"kexie/{outcome}")
        if item.reject_reason:
            stats.inc_value(f"kexie/rejected/{item.reject_reason}")
        self.pending += 1
        if self.pending >= self.batch_size:
            update_index(self.archive.db)  # Datasette --live and other readers see a complete index
            self.archive.commit()
            self.archive.begin()
            self.pending = 0
        return item

    def close_spider(self) -> None:
        update_index(self.archive.db)
        self.archive.commit()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Record the run once Scrapy says why it ended, then release the file."""
        if self.run_id is not None:
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            counts = run_counts(stats, reason, time.monotonic() - self.started)
            self.archive.finish_run(self.run_id, counts)
            self.archive.commit()
        self.archive.close()


def run_counts(stats: dict[str, Any], reason: str, duration_s: float) -> dict[str, Any]:
    """crawl_runs columns from Scrapy's stats."""
    rejects = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("kexie/rejected/")}
    errors = {k.rsplit("/", 1)[1]: v for k, v in stats.items()
              if k.startswith("downloader/response_status_count/") and not k.endswith(("/200", "/304"))}
    return {
        "finish_reason": reason,
        "requests": stats.get("downloader/request_count", 0),
        "fetched": stats.get("kexie/fetched", 0),
        # a near copy is both: a stored article and a row of the duplicates view
        "stored": stats.get("kexie/stored", 0) + stats.get("kexie/near", 0),
        "duplicates": stats.get("kexie/duplicate", 0) + stats.get("kexie/near", 0),
        "unchanged": stats.get("kexie/unchanged", 0) + stats.get("kexie/changed", 0),
        "rejected": stats.get("kexie/rejected", 0),
        "errors": sum(errors.values()) + stats.get("log_count/ERROR", 0),
        "rejects_by_reason": json.dumps(rejects, ensure_ascii=False),
        "errors_by_status": json.dumps(errors),
        "duration_s": round(duration_s, 3),
    }
