"""What a failed request means for the crawl: a short reason for the log and the run's counts,
whether asking again later may succeed (the frontier keeps it) or never will (forgotten), and
whether an article page is kept aside as a reject (a page the crawl refused, not one that was
missing: a 404 is an error of the run, not a page)."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

# statuses a server gives when it is busy or broken for a while, not because the page is gone
_PASSING = {408, 425, 429}
# an article link whose page is not there: kept aside as `missing` (not known: asked again next crawl)
_GONE = {404, 410}
# what Scrapy's middlewares say when they refuse a request or response (IgnoreRequest messages)
_REFUSED = (("max redirections", "redirect_loop"), ("redirect loop", "redirect_loop"),
            ("redirect off the site", "offsite_redirect"), ("offsite", "offsite_redirect"),
            ("download_maxsize", "too_large"))


@dataclass(frozen=True)
class Failed:
    reason: str  # "" for a request the crawl chose not to make (robots.txt)
    transient: bool  # may succeed later: the frontier asks again next crawl
    reject: str | None = None  # an article page refused for good: kept aside with this reason


def describe(failure: Failure) -> Failed:
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        return Failed(str(status), status >= 500 or status in _PASSING, "missing" if status in _GONE else None)
    if isinstance(error, DownloadCancelledError):  # DOWNLOAD_MAXSIZE: bigger than any article page
        return Failed("too_large", False, "too_large")
    if isinstance(error, IgnoreRequest):
        text = str(error).lower()
        for words, reason in _REFUSED:
            if words in text:
                return Failed(reason, False, reason)
        return Failed("", False)
    # timeouts, refused or dropped connections, DNS failures, truncated bodies
    return Failed(type(error).__name__, True)
