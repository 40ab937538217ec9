"""Progress of a crawl: on a terminal a live line, elsewhere a plain line to stderr every few seconds.

A person at a terminal wants to see that a long crawl is alive: a line per site as it ends under
a live line of the totals, redrawn in place. Output going to a file or a pipe (cron, systemd,
`kexie crawl … 2> crawl.log`) cannot be redrawn, and silence there looks like a hang: a whole
line every KEXIE_PROGRESS_EVERY seconds instead. `kexie crawl --quiet` (KEXIE_PROGRESS = False)
silences both.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.siteruns import site_finished, site_started


class Progress:
    """Scrapy extension (EXTENSIONS setting): KEXIE_PROGRESS_INTERVAL seconds between redraws on a
    terminal (or with KEXIE_PROGRESS_FORCE), KEXIE_PROGRESS_EVERY seconds between lines elsewhere."""

    def __init__(self, crawler: Crawler, stream: TextIO, interval: float, live: bool = True) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self.live = live
        self.loop: task.LoopingCall | None = None
        self.active: set[str] = set()
        self.ended = 0
        self.began = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        settings = crawler.settings
        if not settings.getbool("KEXIE_PROGRESS", True):
            raise NotConfigured  # --quiet: no message, so Scrapy logs nothing
        stream = sys.stderr
        live = stream.isatty() or settings.getbool("KEXIE_PROGRESS_FORCE")
        interval = (settings.getfloat("KEXIE_PROGRESS_INTERVAL", 2.0) if live
                    else settings.getfloat("KEXIE_PROGRESS_EVERY", 10.0))
        ext = cls(crawler, stream, interval, live)
        for handler, signal in ((ext.spider_opened, signals.spider_opened), (ext.spider_closed, signals.spider_closed),
                                (ext.site_started, site_started), (ext.site_finished, site_finished)):
            crawler.signals.connect(handler, signal=signal)
        return ext

    def line(self) -> str:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        if self.live:
            return (f"{len(self.active)} sites crawling, {self.ended} done: {stats.get('downloader/request_count', 0)}"
                    f" requests, {stats.get('kexie/fetched', 0)} article pages, {stats.get('kexie/stored', 0)} new,"
                    f" {stats.get('kexie/duplicate', 0)} duplicates, {stats.get('kexie/rejected', 0)} rejected")
        errors = sum(v for k, v in stats.items() if k.startswith("kexie/site/") and "/errors/" in k)
        return (f"progress {time.monotonic() - self.began:.0f} s: {self.ended} sites done, {len(self.active)}"
                f" crawling; {stats.get('kexie/fetched', 0)} pages fetched, {stats.get('kexie/stored', 0)} stored,"
                f" {stats.get('kexie/rejected', 0)} rejected, {errors} errors")

    def _write(self, text: str, end: str = "") -> None:
        self.stream.write(("\r\033[K" if self.live else "") + text + end)
        self.stream.flush()

    def show(self) -> None:
        self._write(self.line(), "" if self.live else "\n")

    def spider_opened(self, spider: Spider) -> None:
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=True)  # at once: the crawl has begun

    def site_started(self, run: Any) -> None:
        self.active.add(run.key)

    def site_finished(self, run: Any, counts: dict[str, Any]) -> None:
        self.active.discard(run.key)
        self.ended += 1
        lost = f", {counts['lost']} NOT STORED" if counts.get("lost") else ""
        self._write(f"{run.key}: {counts['requests']} requests, {counts['fetched']} article pages, {counts['stored']}"
                    f" new, {counts['duplicates']} duplicates, {counts['rejected']} rejected{lost}"
                    f" ({counts['finish_reason']})", "\n")
        if self.live:
            self.show()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self._write(self.line() + f" ({reason})", "\n")
