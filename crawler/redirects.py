"""Redirects of a site's pages: followed on the site, refused off it or in a loop, with a reason.

Scrapy's RedirectMiddleware follows any Location; its off-site check then drops a redirect that
leaves the site without calling the request's errback, and its duplicate filter drops a loop
back to a page already asked for, both silently. So an article that redirects elsewhere or in
circles would leave nothing behind. This downloader middleware sees the 3xx response first
(EXTENSIONS order: above RedirectMiddleware's 600) and refuses such a redirect with an
IgnoreRequest that says why; the spider's errback keeps the page aside as a reject.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response


class SiteRedirects:
    """Downloader middleware (DOWNLOADER_MIDDLEWARES) for requests of the site spider."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteRedirects:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        location = response.headers.get("Location")
        site = request.meta.get("kexie_site")
        if not (300 <= response.status < 400 and location and site):
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        runs = getattr(self.crawler.spider, "runs", None)
        run = runs.active.get(site) if runs is not None else None
        if run is not None and not run.config.holds(target):
            raise IgnoreRequest(f"redirect off the site to {target}")
        if target in (*request.meta.get("redirect_urls", ()), request.url):
            raise IgnoreRequest(f"redirect loop back to {target}")
        return response
