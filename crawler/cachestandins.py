"""List pages, sitemaps and feeds the HTTP cache answered because their own fetch failed.

List pages are revalidated through Scrapy's HTTP cache (conditional requests). When the server
is down or answers 5xx, the cache's error recovery (HttpCacheMiddleware.process_exception, and
RFC2616Policy for a 5xx) hands the spider the stored copy flagged "cached", exactly as it does
for a 304: the crawl would see no failure, and a dead site would look healthy run after run.
This downloader middleware sits between the cache and the network (DOWNLOADER_MIDDLEWARES, above
HttpCacheMiddleware's 900), so it sees the failure before the cache hides it and notes it on the
request; the spider still reads the cached copy for its links, but counts the failure as an
error of its run and keeps the page in the frontier (crawler/spiders/links.py).
"""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Response

FAILED = "kexie_fetch_failed"  # request meta: why this attempt's own fetch failed


class CacheStandIns:
    """Downloader middleware: notes a failed fetch of a cached request (list pages, sitemaps, feeds)."""

    def process_request(self, request: Request) -> None:
        request.meta.pop(FAILED, None)  # a new attempt (a retry) starts clean

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 500 and not request.meta.get("dont_cache"):
            request.meta[FAILED] = str(response.status)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not request.meta.get("dont_cache"):
            request.meta[FAILED] = type(exception).__name__


def stood_in(response: Response) -> str:
    """Why the fetch failed, when the cache's stored copy stands in for it ("" for a real answer
    or a 304 revalidation)."""
    if "cached" not in response.flags:
        return ""
    return str(response.meta.get(FAILED, ""))
