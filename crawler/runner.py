"""Run site crawls in this process, one site after another, and summarise what they stored.

Sites run in sequence so the archive has one writer at a time; each crawl is the same `site`
spider that `scrapy crawl site -a site=KEY` runs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerRunner
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_f_from_coro_f
from scrapy.utils.log import configure_logging
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import install_reactor
from twisted.internet.task import react

from crawler.spiders.site import SiteSpider

# what the local sample web can take: no delay, no throttling, many requests at a time
LOCAL_POLITENESS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


def crawl_settings(db: str | None, overrides: Mapping[str, Any] | None = None, log_level: str = "WARNING") -> Settings:
    settings = get_project_settings()
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    if db:
        settings.set("KEXIE_DB", db, priority="cmdline")
        # list pages are revalidated with conditional requests from a cache kept beside the archive
        settings.set("HTTPCACHE_DIR", str(Path(db).resolve().parent / "httpcache"), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawls(jobs: Sequence[Mapping[str, str]], settings: Settings) -> None:
    """Crawl each job (spider arguments: site, base_url, sites_dir, full) in turn; blocks until done."""
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    configure_logging(settings)
    # Scrapy leaves the root logger at NOTSET and filters in its handler, so every page's DEBUG
    # records ("Crawled", "Scraped from") are built and then dropped; not built at all below the level.
    logging.root.setLevel(settings.get("LOG_LEVEL") or logging.DEBUG)

    @deferred_f_from_coro_f
    async def main(reactor: Any) -> None:
        runner = AsyncCrawlerRunner(settings)
        for job in jobs:
            await runner.crawl(SiteSpider, **job)

    try:
        react(main)
    except SystemExit as stop:  # react() always exits; a crawl failure is a non-zero code
        if stop.code:
            raise


def summary(db: Any, after_run_id: int) -> list[dict[str, Any]]:
    """crawl_runs rows newer than `after_run_id`, for the per-site report."""
    rows = db.execute(
        "SELECT site, fetched, stored, duplicates, unchanged, rejected, rejects_by_reason, errors, requests,"
        " finish_reason FROM crawl_runs WHERE id > ? ORDER BY id",
        [after_run_id],
    ).fetchall()
    keys = ("site", "fetched", "stored", "duplicates", "unchanged", "rejected", "rejects_by_reason", "errors",
            "requests", "finish_reason")
    out = [dict(zip(keys, row, strict=True)) for row in rows]
    for row in out:
        row["rejects_by_reason"] = json.loads(row["rejects_by_reason"] or "{}")
    return out


def format_summary(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'site':14} {'fetched':>7} {'stored':>6} {'dupes':>5} {'known':>5} {'rejected':>8} {'errors':>6}"
             "  reject reasons"]
    for r in rows:
        reasons = ", ".join(f"{k}={v}" for k, v in sorted(r["rejects_by_reason"].items())) or "-"
        lines.append(f"{r['site']:14} {r['fetched'] or 0:>7} {r['stored'] or 0:>6} {r['duplicates'] or 0:>5}"
                     f" {r['unchanged'] or 0:>5} {r['rejected'] or 0:>8} {r['errors'] or 0:>6}  {reasons}")
    return "\n".join(lines)
