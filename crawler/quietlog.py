"""Routine network failures in one log line: no traceback below DEBUG.

A scheduled crawl of the real web meets timeouts, refused connections, DNS failures and cut
bodies every day. Scrapy logs some of them (robots.txt downloads, above all) with a 30-line
traceback, which buries cron mail. The line itself already names the URL and the reason; the
traceback says nothing a person can act on, so it is dropped unless LOG_LEVEL is DEBUG.
Anything else keeps its traceback: that is a bug to see.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler

# exceptions whose module says they come from the network, not from our code
_NETWORK_MODULES = ("twisted.internet.error", "twisted.web._newclient", "twisted.internet.defer", "h2.")
_NETWORK_NAMES = ("CannotResolveHostError", "DownloadConnectionRefusedError", "DownloadFailedError",
                  "DownloadTimeoutError", "DownloadCancelledError", "ResponseDataLossError", "TunnelError",
                  "TimeoutError", "ConnectionRefusedError", "ConnectionResetError", "ConnectionAbortedError")


def is_network_error(error: BaseException | None) -> bool:
    """The error, or one it was raised from, is a network failure."""
    seen = 0
    while error is not None and seen < 10:
        kind = type(error)
        if kind.__name__ in _NETWORK_NAMES or kind.__module__.startswith(_NETWORK_MODULES):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


# Scrapy's one-off hints that the spider's own failure line already covers
_HINTS = ("Got data loss in",)


class NetworkErrorsInOneLine(logging.Filter):
    """Drops the traceback of a record about a network failure (the message stays)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(_HINTS):
            return False
        if record.exc_info and is_network_error(record.exc_info[1]):
            record.exc_info, record.exc_text = None, None
        return True


class QuietNetworkErrors:
    """Scrapy extension (EXTENSIONS): puts the filter on the root handlers once the engine starts
    (Scrapy replaces its root handler after the extensions are built)."""

    def __init__(self, crawler: Crawler) -> None:
        self.debug = logging.getLevelName(str(crawler.settings.get("LOG_LEVEL"))) == logging.DEBUG
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietNetworkErrors:
        return cls(crawler)

    def engine_started(self) -> None:
        if self.debug:
            return
        for handler in logging.root.handlers:
            if not any(isinstance(f, NetworkErrorsInOneLine) for f in handler.filters):
                handler.addFilter(NetworkErrorsInOneLine())
