"""Which links of a site become requests, and the requests themselves.

Every request carries its site (`kexie_site`) so its answer is counted to that site's run, and a
token of the run's open work (crawler/work.py), released once it is answered;
list pages, sitemaps and feeds are noted in the archive's frontier until parsed, so a crawl
that dies first leaves them for the next one; known articles are not asked for again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from archive.writer import WriteQueue
from crawler.cachestandins import stood_in
from crawler.siteruns import SiteRun, SiteRuns
from crawler.work import META
from dedupe.writes import Change, FrontierNote
from extract.fingerprint import canonical_url


class SiteRequests:
    """The request side of the site spider (crawler/spiders/site.py)."""

    crawler: Any
    logger: Any
    full: bool
    runs: SiteRuns  # set by the spider's from_crawler: they need the crawler
    writer: WriteQueue
    # the spider's callbacks and errback
    parse_list: Callable[..., Any]
    parse_sitemap: Callable[..., Any]
    parse_feed: Callable[..., Any]
    parse_article: Callable[..., Any]
    failed: Callable[..., Any]
    refused_by: Callable[[SiteRun], str]  # crawler/spiders/guards.py: a site that answered with a challenge

    def note(self, run: SiteRun, change: Change, url: str, kind: str = "", reason: str = "") -> None:
        """A frontier change, written with the next batch; none for a response no run asked for
        (`scrapy parse URL -c parse_list` shows what the spider would do, and writes nothing)."""
        if run.run_id is not None:
            self.writer.add(FrontierNote(change, run.key, url, kind, reason, run.run_id))

    def _run(self, response: Response) -> SiteRun | None:
        if "kexie_site" not in response.meta:  # not asked for by a run: `scrapy parse URL -c parse_list`
            return self.runs.detached(response.url)
        return self.runs.active.get(response.meta["kexie_site"])

    def _answered(self, response: Response, run: SiteRun) -> None:
        """A list page, sitemap or feed parsed: done, unless only the HTTP cache's copy came back
        (crawler/cachestandins.py): then its fetch failed, an error of the run, asked again next crawl."""
        url = response.meta.get("kexie_url", response.url)
        reason = stood_in(response)
        if reason:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(f"kexie/site/{run.key}/errors/{reason}")
            self.logger.warning("%s: %s %s failed: %s; links read from its copy in the HTTP cache (retried next"
                                " crawl)", run.key, response.meta.get("kexie_kind", "list"), url, reason)
            run.list_failures += 1
            self.note(run, "failed", url=url, kind=response.meta.get("kexie_kind", "list"),
                      reason=f"{reason} (answered from the HTTP cache)")
        else:
            self.note(run, "visited", url=url)

    def list_request(self, run: SiteRun, url: str, kind: str, depth: int = 0) -> scrapy.Request:
        """List pages, sitemaps and feeds are always revalidated (conditional GET via the HTTP cache)
        and noted in the frontier until parsed."""
        run.seen_lists.add(url)
        run.list_pages += kind == "list"
        self.note(run, "visiting", url=url, kind=kind)
        callback = {"list": self.parse_list, "sitemap": self.parse_sitemap, "feed": self.parse_feed}[kind]
        return scrapy.Request(url, callback=callback, errback=self.failed, headers={"Cache-Control": "max-age=0"},
                              meta={"kexie_site": run.key, "kexie_kind": kind, "kexie_url": url, "kexie_depth": depth,
                                    META: self.runs.hold(run)})

    def is_known(self, run: SiteRun, url: str) -> bool:
        return not self.full and canonical_url(url) in run.known

    def article_request(self, run: SiteRun, url: str, refresh: bool = False, known: bool | None = None,
                        from_frontier: bool = False) -> scrapy.Request | None:
        """A request for an article page, or None for one already archived (`known`, if the caller
        has already looked it up)."""
        if self.refused_by(run):  # it answers with a challenge: no more requests this crawl
            return None
        if (self.is_known(run, url) if known is None else known) and not refresh:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("kexie/skipped_known")
            return None
        from_frontier = from_frontier or url in run.frontier_urls
        # articles are archived raw in the pages table; no second copy in the HTTP cache
        return scrapy.Request(url, callback=self.parse_article, errback=self.failed,
                              meta={"dont_cache": True, "kexie_site": run.key, "kexie_kind": "article",
                                    "kexie_url": url, "kexie_frontier": from_frontier, META: self.runs.hold(run)})

    def follow(self, run: SiteRun, urls: Iterator[str], paginate: bool = True,
               known: dict[str, bool] | None = None) -> Iterator[scrapy.Request]:
        config = run.config
        for url in urls:
            if not config.holds(url) or self.refused_by(run):
                continue
            if config.is_article(url):
                request = self.article_request(run, url, known=(known or {}).get(url))
                if request is not None:
                    yield request
            elif (paginate and config.is_list_page(url) and url not in run.seen_lists
                  and run.list_pages < config.max_list_pages):
                yield self.list_request(run, url, "list")
