"""The one generic spider: any site described by a config file in config/sites.

`scrapy crawl site -a site=KEY [-a base_url=URL] [-a full=1]`. List pages (start URLs and
pagination), sitemaps and feeds lead to article pages; article pages become Page items for
the pipelines. Articles already in the archive are not fetched again unless full=1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap

from crawler.incremental import known_urls, modified_since, stop_paginating
from crawler.learned import as_patterns, repeated_lines
from crawler.schedule import last_finished_runs
from crawler.sites import SiteConfig, find_site
from pipelines.dedupe import canonical_url
from pipelines.page import Page
from pipelines.shared import archive_for


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, site: str = "", base_url: str = "", sites_dir: str = "", full: str = "",
                 **kwargs: Any) -> None:
        if not site:
            raise ValueError("the site spider needs a site key: scrapy crawl site -a site=KEY (see `kexie sites`)")
        config = find_site(site, sites_dir or None)
        self.site_config: SiteConfig = config.with_base_url(base_url) if base_url else config
        super().__init__(name=self.name, **kwargs)
        self.allowed_domains = self.site_config.domains
        self.full = full.lower() in ("1", "true", "yes")
        self.known: set[str] = set()
        self.last_run: str | None = None
        self.boilerplate = self.site_config.boilerplate
        self.list_pages = 0
        self.links = LinkExtractor(unique=True)  # off-site links are dropped by OffsiteMiddleware

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SiteSpider:
        spider: SiteSpider = super().from_crawler(crawler, *args, **kwargs)
        config = spider.site_config
        crawler.settings.set("DOWNLOAD_DELAY", config.delay, priority="spider")
        crawler.settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", config.concurrency, priority="spider")
        db = archive_for(crawler).db
        spider.boilerplate = config.boilerplate + as_patterns(repeated_lines(db, config.key))
        if not spider.full:
            spider.known = known_urls(db, config.key, config.refresh_days)
            spider.last_run = last_finished_runs(db).get(config.key)
        return spider

    def list_request(self, url: str, callback: Any) -> scrapy.Request:
        """List pages, sitemaps and feeds are always revalidated (conditional GET via the HTTP cache)."""
        return scrapy.Request(url, callback=callback, headers={"Cache-Control": "max-age=0"})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        config = self.site_config
        for ref in config.start_urls:
            self.list_pages += 1
            yield self.list_request(config.url(ref), self.parse_list)
        for ref in config.sitemap_urls:
            yield self.list_request(config.url(ref), self.parse_sitemap)
        for ref in config.feed_urls:
            yield self.list_request(config.url(ref), self.parse_feed)

    def is_known(self, url: str) -> bool:
        return not self.full and canonical_url(url) in self.known

    def article_request(self, url: str, refresh: bool = False, known: bool | None = None) -> scrapy.Request | None:
        """A request for an article page, or None for one already archived (`known`, if the caller
        has already looked it up)."""
        if (self.is_known(url) if known is None else known) and not refresh:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("kexie/skipped_known")
            return None
        # articles are archived raw in the pages table; no second copy in the HTTP cache
        return scrapy.Request(url, callback=self.parse_article, meta={"dont_cache": True})

    def _follow(self, urls: Iterator[str], paginate: bool = True,
                known: dict[str, bool] | None = None) -> Iterator[scrapy.Request]:
        for url in urls:
            if self.site_config.is_article(url):
                request = self.article_request(url, known=(known or {}).get(url))
                if request is not None:
                    yield request
            elif paginate and self.site_config.is_list_page(url) and self.list_pages < self.site_config.max_list_pages:
                self.list_pages += 1
                yield self.list_request(url, self.parse_list)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):  # a PDF or image behind a list link
            return
        urls = [link.url for link in self.links.extract_links(response)]
        known = {u: self.is_known(u) for u in urls if self.site_config.is_article(u)}
        paginate = self.full or not stop_paginating(list(known.values()), self.site_config.known_run)
        yield from self._follow(iter(urls), paginate, known)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        sitemap = Sitemap(response.body)
        entries = [(response.urljoin(e["loc"]), e.get("lastmod")) for e in sitemap]
        if sitemap.type == "sitemapindex":
            yield from (self.list_request(url, self.parse_sitemap) for url, _ in entries)
            return
        for url, lastmod in entries:
            if self.site_config.is_article(url):
                request = self.article_request(url, refresh=modified_since(lastmod, self.last_run))
                if request is not None:
                    yield request

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        selector = scrapy.Selector(text=response.body.decode("utf-8", "replace"), type="xml")
        selector.remove_namespaces()
        links = selector.xpath("//item/link/text() | //entry/link/@href").getall()
        yield from self._follow(response.urljoin(link.strip()) for link in links)

    def parse_article(self, response: Response) -> Iterator[Page]:
        config = self.site_config
        yield Page(
            url=response.url,
            body=response.body,
            site=config.key,
            status=response.status,
            headers={str(k): str(v) for k, v in response.headers.to_unicode_dict().items()},
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            encoding_hint=config.encoding,
            boilerplate=self.boilerplate,
            site_name=config.name,
            content_xpath=config.content_xpath,
        )
