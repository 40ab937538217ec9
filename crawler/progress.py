"""Progress of a crawl on the terminal: a line per site as it ends and a live total, silent when not a TTY.

Cron and scrapyd capture output into mail and log files, where a progress line every few
seconds is noise; a person at a terminal wants to see that a long crawl is alive.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.siteruns import site_finished, site_started


class Progress:
    """Scrapy extension (EXTENSIONS setting); KEXIE_PROGRESS_INTERVAL seconds between updates.

    A line for each site as it ends, under a live line of the whole crawl's totals."""

    def __init__(self, crawler: Crawler, stream: TextIO, interval: float) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self.loop: task.LoopingCall | None = None
        self.active: set[str] = set()
        self.ended = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        stream = sys.stderr
        if not (stream.isatty() or crawler.settings.getbool("KEXIE_PROGRESS_FORCE")):
            raise NotConfigured  # silent: no message, so Scrapy logs nothing
        ext = cls(crawler, stream, crawler.settings.getfloat("KEXIE_PROGRESS_INTERVAL", 2.0))
        for handler, signal in ((ext.spider_opened, signals.spider_opened), (ext.spider_closed, signals.spider_closed),
                                (ext.site_started, site_started), (ext.site_finished, site_finished)):
            crawler.signals.connect(handler, signal=signal)
        return ext

    def line(self) -> str:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        return (f"{len(self.active)} sites crawling, {self.ended} done: {stats.get('downloader/request_count', 0)}"
                f" requests, {stats.get('kexie/fetched', 0)} article pages, {stats.get('kexie/stored', 0)} new,"
                f" {stats.get('kexie/duplicate', 0)} duplicates, {stats.get('kexie/rejected', 0)} rejected")

    def show(self) -> None:
        self.stream.write("\r\033[K" + self.line())
        self.stream.flush()

    def spider_opened(self, spider: Spider) -> None:
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=True)

    def site_started(self, run: Any) -> None:
        self.active.add(run.key)

    def site_finished(self, run: Any, counts: dict[str, Any]) -> None:
        self.active.discard(run.key)
        self.ended += 1
        lost = f", {counts['lost']} NOT STORED" if counts.get("lost") else ""
        self.stream.write(f"\r\033[K{run.key}: {counts['requests']} requests, {counts['fetched']} article pages,"
                          f" {counts['stored']} new, {counts['duplicates']} duplicates, {counts['rejected']} rejected"
                          f"{lost} ({counts['finish_reason']})\n")
        self.show()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self.stream.write("\r\033[K" + self.line() + f" ({reason})\n")
        self.stream.flush()
