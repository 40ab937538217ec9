"""Run one crawl of many sites in this process, and summarise what it stored.

All selected sites go to one `site` spider (the one `scrapy crawl site -a site=KEY` runs), which
crawls them side by side, each at its own pace; the archive keeps one writer.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.mode import ModeSpec
from crawler.spiders.site import SiteSpider
from crawler.stopping import Stopper
from siteconfig.sites import SiteConfig

# what the local sample web can take: no delay, no throttling, many requests at a time
LOCAL_POLITENESS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


def crawl_settings(db: str | None, overrides: Mapping[str, Any] | None = None, log_level: str = "WARNING") -> Settings:
    """The project's settings from any working directory (cron, systemd): not found through a
    scrapy.cfg beside the caller, which would silently give Scrapy's bare defaults elsewhere."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    if db:
        settings.set("KEXIE_DB", db, priority="cmdline")
        # list pages are revalidated with conditional requests from a cache kept beside the archive
        settings.set("HTTPCACHE_DIR", str(Path(db).resolve().parent / "httpcache"), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


@dataclass
class CrawlResult:
    """What one crawl did, from its stats: its crawl_runs rows and what went wrong."""

    run_ids: list[int] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    lost: int = 0
    failed_runs: int = 0
    reason: str = ""
    redis_lost: str = ""
    refused: list[str] = field(default_factory=list)  # sites that answered with a challenge or the wrong kind

    def refusals(self) -> list[str]:
        """Sites that answered with an anti-bot challenge or the wrong kind of response: `kexie crawl`
        exits 1 for them (a worker does not: its run rows carry them to the archive and health)."""
        return [f"{line} (crawl_runs.errors_by_status)" for line in self.refused]

    def problems(self) -> list[str]:
        """Why the crawl must exit non-zero: work it found and could not keep, or an interruption."""
        out = []
        if self.lost:
            out.append(f"{self.lost} fetched pages could not be stored or sent (see the errors above); the next"
                       " crawl fetches them again")
        if self.failed_runs:
            out.append(f"{self.failed_runs} sites' crawls could not be begun or recorded in the archive (see the"
                       " errors above)")
        if self.redis_lost:
            out.append(f"lost Redis ({self.redis_lost}); the worker stopped, its jobs go to another worker")
        if self.reason and self.reason != "finished":
            out.append(f"the crawl did not finish ({self.reason}); the next crawl resumes it")
        return out


def run_crawl(configs: Sequence[SiteConfig], settings: Settings, full: bool = False,
              due: bool = False, mode: ModeSpec | None = None) -> CrawlResult:
    """Crawl all these sites in one process, side by side (on a worker, its RedisWorker mode: the sites
    of the jobs it takes); blocks until done.

    Ctrl-C or SIGTERM (systemd, a timeout) stops the crawl within seconds (crawler/stopping.py):
    what is on the wire is fetched and written, the rest parked in the frontier, the interruption
    recorded (and said); a second one stops at once."""
    if mode is not None:  # built once by the CLI; opened by the crawl-mode extension (crawler/mode.py)
        settings.set("KEXIE_CRAWL_MODE", mode, priority="cmdline")
    process = AsyncCrawlerProcess(settings)
    # Scrapy leaves the root logger at NOTSET and filters in its handler, so every page's DEBUG
    # records ("Crawled", "Scraped from") are built and then dropped; not built at all below the level.
    logging.root.setLevel(settings.get("LOG_LEVEL") or logging.DEBUG)
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, configs=list(configs), full="1" if full else "", due="1" if due else "")
    stopper = Stopper(process, crawler)  # held here: Scrapy's signals keep only weak references
    stopper.install()  # Ctrl-C: park what is not on the wire, stop in seconds
    process.start(install_signal_handlers=False)
    try:
        stats = crawler.stats.get_stats() if crawler.stats else {}
    except RuntimeError:  # the crawl never started (Scrapy 2.19 raises for stats not set yet)
        stats = {}
    reason = str(stats.get("finish_reason", ""))
    if process.bootstrap_failed and not reason:
        reason = "failed to start (see the errors above)"
    return CrawlResult(run_ids=list(stats.get("kexie/run_ids", [])), skipped=list(stats.get("kexie/skipped_sites", [])),
                       lost=int(stats.get("kexie/lost", 0)), failed_runs=int(stats.get("kexie/lost_runs", 0)),
                       reason=reason, redis_lost=str(stats.get("kexie/redis_lost", "")),
                       refused=list(stats.get("kexie/refused", [])))


_COLUMNS = ("fetched", "stored", "duplicates", "unchanged", "rejected", "errors", "lost")


def format_summary(rows: list[dict[str, Any]]) -> str:
    """One line per site (stored = what reached the archive file), then the totals."""
    lines = [f"{'site':14} {'fetched':>7} {'stored':>6} {'dupes':>5} {'known':>5} {'rejected':>8} {'errors':>6}"
             f" {'lost':>5}  reject reasons"]
    total = dict.fromkeys(_COLUMNS, 0)
    for r in rows:
        reasons = ", ".join(f"{k}={v}" for k, v in sorted(r["rejects_by_reason"].items())) or "-"
        if r["finish_reason"] != "finished":
            reasons += f"  ({r['finish_reason'] or 'did not finish'})"
        values = [r[c] or 0 for c in _COLUMNS]
        total = {c: total[c] + v for c, v in zip(_COLUMNS, values, strict=True)}
        lines.append(f"{r['site']:14} {values[0]:>7} {values[1]:>6} {values[2]:>5} {values[3]:>5} {values[4]:>8}"
                     f" {values[5]:>6} {values[6]:>5}  {reasons}")
    label = f"total ({len(rows)} sites)"
    lines.append(f"{label:14} {total['fetched']:>7} {total['stored']:>6} {total['duplicates']:>5}"
                 f" {total['unchanged']:>5} {total['rejected']:>8} {total['errors']:>6} {total['lost']:>5}")
    return "\n".join(lines)
