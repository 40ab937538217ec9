"""Progress of a crawl on the terminal: one updating line per site, silent when not a TTY.

Cron and scrapyd capture output into mail and log files, where a progress line every few
seconds is noise; a person at a terminal wants to see that a long crawl is alive.
"""

from __future__ import annotations

import sys
from typing import TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class Progress:
    """Scrapy extension (EXTENSIONS setting); KEXIE_PROGRESS_INTERVAL seconds between updates."""

    def __init__(self, crawler: Crawler, stream: TextIO, interval: float) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self.loop: task.LoopingCall | None = None
        self.site = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        stream = sys.stderr
        if not (stream.isatty() or crawler.settings.getbool("KEXIE_PROGRESS_FORCE")):
            raise NotConfigured  # silent: no message, so Scrapy logs nothing
        ext = cls(crawler, stream, crawler.settings.getfloat("KEXIE_PROGRESS_INTERVAL", 2.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        return (f"{self.site}: {stats.get('downloader/request_count', 0)} requests,"
                f" {stats.get('kexie/fetched', 0)} article pages, {stats.get('kexie/stored', 0)} new,"
                f" {stats.get('kexie/duplicate', 0)} duplicates, {stats.get('kexie/rejected', 0)} rejected")

    def show(self) -> None:
        self.stream.write("\r\033[K" + self.line())
        self.stream.flush()

    def spider_opened(self, spider: Spider) -> None:
        config = getattr(spider, "site_config", None)
        self.site = getattr(config, "key", spider.name)
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self.stream.write("\r\033[K" + self.line() + f" ({reason})\n")
        self.stream.flush()
