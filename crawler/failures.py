"""What a failed request means for the crawl: a short reason for the log and the run's counts, and
whether asking again later may succeed (the frontier keeps it) or never will (forgotten)."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

# statuses a server gives when it is busy or broken for a while, not because the page is gone
_PASSING = {408, 425, 429}


def describe(failure: Failure) -> tuple[str, bool]:
    """(reason, transient): reason "" for a request the crawl chose not to make (robots.txt, off site)."""
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        return str(status), status >= 500 or status in _PASSING
    if isinstance(error, IgnoreRequest):
        return "", False
    # timeouts, refused or dropped connections, DNS failures, truncated bodies
    return type(error).__name__, True
