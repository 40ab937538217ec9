"""The one generic spider: any number of sites described by config files, crawled side by side.

`scrapy crawl site -a site=KEY[,KEY…] [-a base_url=URL] [-a full=1]`; `kexie crawl` runs the
same spider over every selected site in one process. Each site keeps its own politeness
(a download slot per host, crawler/throttle.py) and its own run (crawler/siteruns.py). List
pages (start URLs and pagination), sitemaps and feeds lead to article pages; article pages
become Page items for the pipelines. Articles already archived are not fetched again unless
full=1. What is still to visit is noted in the archive's frontier as the crawl goes, so an
interrupted or failed crawl is resumed by the next one.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.failures import describe
from crawler.incremental import stop_paginating
from crawler.mode import crawl_mode
from crawler.platforms import trs
from crawler.siteruns import SiteRun, SiteRuns, site_finished
from crawler.spiders.attachments import AttachmentRequests
from crawler.spiders.guards import ResponseGuards
from crawler.spiders.parsing import NoSites, ParseCommand, parse_sites
from crawler.spiders.platform_lists import PlatformLists
from crawler.stopping import Parked
from crawler.throttle import apply_politeness
from crawler.work import answers, carry
from dedupe.writes import FrontierNote
from extract.page import Page
from pipelines.shared import run_by_parse_command, writer_for
from siteconfig.sites import SiteConfig, find_site

_KINDS = ("list", "sitemap", "feed")
WATCH_SECONDS = 30.0


def _later(seconds: float, call: Any) -> Any:
    from twisted.internet import reactor  # the one Scrapy installed (importing it at the top would install another)

    return reactor.callLater(seconds, call)  # type: ignore[attr-defined,arg-type]


def _truthy(value: str) -> bool:
    return str(value).lower() in ("1", "true", "yes")


class SiteSpider(ParseCommand, ResponseGuards, PlatformLists, AttachmentRequests, scrapy.Spider):
    name = "site"
    archives_pages = True  # the item pipelines (extract … store) run for this spider only

    def __init__(self, site: str = "", base_url: str = "", sites_dir: str = "", full: str = "", due: str = "",
                 configs: list[SiteConfig] | None = None, **kwargs: Any) -> None:
        if configs is None:
            keys = [key.strip() for key in site.split(",") if key.strip()]
            if not keys and run_by_parse_command(type(self)):  # `scrapy parse URL`: the site that holds it
                keys = [config.key for config in parse_sites(sites_dir)]
            if not keys:
                raise ValueError("the site spider needs a site key: scrapy crawl site -a site=KEY (see `kexie sites`)")
            configs = [find_site(key, sites_dir or None) for key in keys]
            if base_url:
                if len(configs) != 1:
                    raise ValueError("base_url moves one site: give one site key with it")
                configs = [configs[0].with_base_url(base_url)]
        super().__init__(name=self.name, **kwargs)
        self.configs = list(configs)
        self.allowed_domains = sorted({domain for config in self.configs for domain in config.domains})
        self.full = _truthy(full)
        self.due_only = _truthy(due)
        self.links = LinkExtractor(unique=True)
        self.room: Deferred[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SiteSpider:
        spider: SiteSpider = super().from_crawler(crawler, *args, **kwargs)
        apply_politeness(crawler.settings, spider.configs)
        if run_by_parse_command(cls):  # `scrapy parse URL`: no run, no archive (crawler/spiders/parsing.py)
            spider.parsing = True
            spider.runs = SiteRuns(crawler, NoSites(), spider.configs)
            return spider
        # the crawl mode's extension is built after the spider: the runs begin once the spider opens
        crawler.signals.connect(spider.open_runs, signal=signals.spider_opened)
        crawler.signals.connect(spider.site_done, signal=site_finished)
        return spider

    def open_runs(self, spider: Any) -> None:
        """The site runs, from the crawl mode's sites (local site files or Redis jobs), and its write queue."""
        mode = crawl_mode(self.crawler)
        self.runs = SiteRuns(self.crawler, mode.sites(self.crawler, self.configs, self.full, self.due_only),
                             self.configs)
        self.writer = writer_for(self.crawler)

    # --- beginning sites -------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Sites begin as room frees up (KEXIE_ACTIVE_SITES at a time), each with its lock; a
        job queue is asked again every few seconds while there is room (new jobs, a dead
        worker's jobs to take over)."""
        while True:
            while self.runs.has_room():
                run = self.runs.begin_next()
                if run is None:
                    break
                for request in self.seeds(run):
                    yield request
                self.runs.settle(run.seeding)  # its first requests are all made
            if self.runs.exhausted():
                return
            self.room = Deferred()
            watch = task.LoopingCall(self.runs.watch)
            watch.start(WATCH_SECONDS, now=False)
            poll = self.runs.source.poll_seconds
            timer = _later(poll, self.site_done) if poll and self.runs.has_room() else None
            try:
                await maybe_deferred_to_future(self.room)
            finally:
                watch.stop()
                if timer is not None and timer.active():
                    timer.cancel()

    def site_done(self, run: SiteRun | None = None, counts: dict[str, Any] | None = None) -> None:
        if self.room is not None and not self.room.called:
            self.room.callback(None)

    def seeds(self, run: SiteRun) -> Iterator[scrapy.Request]:
        """Start pages, sitemaps and feeds, then whatever an earlier crawl left to visit."""
        config = run.config
        for kind, refs in (("list", config.start_urls), ("sitemap", config.sitemap_urls),
                           ("feed", config.feed_urls)):
            for ref in refs:
                yield self.list_request(run, config.url(ref), kind)
        for url, kind in run.resume:
            if not config.holds(url):  # the site moved: its old addresses are gone
                self.writer.add(FrontierNote("visited", run.key, url))
            elif kind == "article":
                request = self.article_request(run, url, refresh=True, from_frontier=True)
                if request is not None:
                    yield request
            elif kind == "attachment":
                if self.attachments_enabled():
                    yield self.attachment_request(run, url, from_frontier=True)
            elif url not in run.seen_lists:
                yield self.list_request(run, url, kind)

    # --- callbacks: each answers one request of its site ---------------------------------
    @answers
    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        run = self._run(response)
        if run is None:
            return
        try:
            # not a PDF or image behind a list link, nor a challenge (crawler/spiders/guards.py)
            if isinstance(response, TextResponse) and not self.challenge_page(run, response):
                listed = self.listed(run, response)  # data islands, proxy and API pages (crawler/platforms/)
                if listed is None and self.wrong_kind(run, response):  # JSON where a list page should be
                    return
                if listed is None and (shell := self.shell_requests(run, response, "list")) is not None:
                    yield from shell
                    return
                urls = [] if listed and listed.only else [link.url for link in self.links.extract_links(response)]
                urls = (listed.articles if listed else []) + urls
                urls += trs.page_urls(response.text, response.url)  # a TRS pager written by a script
                known = {u: self.is_known(run, u) for u in urls if run.config.is_article(u)}
                paginate = not run.stop_early or not stop_paginating(list(known.values()), run.config.known_run)
                yield from self.follow(run, iter(urls), paginate, known)
                if paginate:
                    yield from self.more_lists(run, listed)
        finally:
            self._answered(response, run)

    @answers
    def parse_article(self, response: Response) -> Iterator[Page | scrapy.Request]:
        run = self._run(response)
        if run is None:
            return
        if self.unusable(run, response):  # a challenge, or JSON (crawler/spiders/guards.py)
            return
        if (shell := self.shell_requests(run, response, "article")) is not None:
            yield from shell  # a redirect shell: its target is the article
        else:
            page = self.page(run, response.url, response.body, response.status,
                             {str(k): str(v) for k, v in response.headers.to_unicode_dict().items()},
                             bool(response.meta.get("kexie_frontier")))
            page.list_date = self.list_date(response.meta.get("kexie_url", response.url))
            if self.parsing:  # under `scrapy parse`: its extracted fields, nothing written
                yield self.shown(page)
            else:
                yield carry(page, self.runs.hold(run))  # until it is written (page_written) or fails in a stage
            yield from self.attachment_requests(run, response)  # its 附件 (crawler/spiders/attachments.py)

    def page(self, run: SiteRun, url: str, body: bytes, status: int, headers: dict[str, str],
             from_frontier: bool) -> Page:
        """The page item, with the site's learned container once its first pages agree on one
        (extract/learning.py; KEXIE_LEARN_CONTAINERS=0 turns that off); a content_xpath wins anyway."""
        config = run.config
        learned, find = None, False
        if body and not config.content_xpath and self.crawler.settings.getbool("KEXIE_LEARN_CONTAINERS", True):
            learned, find = run.containers.next_page()
        return Page(url=url, body=body, site=config.key, status=status, headers=headers,
                    fetched_at=datetime.now(UTC).isoformat(timespec="seconds"), encoding_hint=config.encoding,
                    boilerplate=run.boilerplate, site_name=config.name, content_xpath=config.content_xpath,
                    learned_container=learned, find_container=find, run_id=run.run_id, from_frontier=from_frontier)

    @answers
    def failed(self, failure: Failure) -> Iterator[Page]:
        """A request that got no usable response: noted in the frontier to retry, or forgotten if it
        can never succeed (404, robots.txt); an article page refused for good (too large, a redirect
        loop or off the site) is kept aside as a reject. One log line, never a traceback."""
        request = failure.request  # type: ignore[attr-defined]
        run = self.runs.active.get(request.meta.get("kexie_site", ""))
        if run is None:
            return
        if self.challenged(run, failure):  # a 412 with a script to run: said once, not retried
            return
        kind, url = request.meta.get("kexie_kind", "article"), request.meta.get("kexie_url", request.url)
        if isinstance(failure.value, Parked):  # not sent: the crawl is stopping (crawler/stopping.py)
            run.parked += 1
            self.note(run, "visiting", url=url, kind=kind)
            return
        failed = describe(failure)
        if failed.reason:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(f"kexie/site/{run.key}/errors/{failed.reason}")
            self.logger.log(logging.WARNING if failed.transient else logging.INFO, "%s: %s %s failed: %s%s",
                            run.key, kind, request.url, failure.getErrorMessage() or failed.reason,
                            " (retried next crawl)" if failed.transient else "")
        if failed.transient:
            run.list_failures += kind in _KINDS
            self.note(run, "failed", url=url, kind=kind, reason=failed.reason)
        elif kind in _KINDS or request.meta.get("kexie_frontier"):
            self.note(run, "visited", url=url)
        if kind == "article" and failed.reject:
            detail = (f"HTTP {failed.reason}" if failed.reject == "missing" else failure.getErrorMessage()
                      or f"no article page is larger than DOWNLOAD_MAXSIZE"
                      f" ({self.crawler.settings.getint('DOWNLOAD_MAXSIZE')} bytes)")
            page = self.page(run, url, b"", 0, {}, bool(request.meta.get("kexie_frontier")))
            yield carry(page.reject(failed.reject, detail[:500]), self.runs.hold(run))
