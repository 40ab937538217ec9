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
        self.list_pages = 0
        self.links = LinkExtractor(unique=True)  # off-site links are dropped by OffsiteMiddleware

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SiteSpider:
        spider: SiteSpider = super().from_crawler(crawler, *args, **kwargs)
        config = spider.site_config
        crawler.settings.set("DOWNLOAD_DELAY", config.delay, priority="spider")
        crawler.settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", config.concurrency, priority="spider")
        if not spider.full:
            spider.known = archive_for(crawler).known_urls(config.key)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        config = self.site_config
        for ref in config.start_urls:
            self.list_pages += 1
            yield scrapy.Request(config.url(ref), callback=self.parse_list)
        for ref in config.sitemap_urls:
            yield scrapy.Request(config.url(ref), callback=self.parse_sitemap)
        for ref in config.feed_urls:
            yield scrapy.Request(config.url(ref), callback=self.parse_feed)

    def article_request(self, url: str) -> scrapy.Request | None:
        if not self.full and canonical_url(url) in self.known:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("kexie/skipped_known")
            return None
        return scrapy.Request(url, callback=self.parse_article)

    def _follow(self, urls: Iterator[str]) -> Iterator[scrapy.Request]:
        for url in urls:
            if self.site_config.is_article(url):
                request = self.article_request(url)
                if request is not None:
                    yield request
            elif self.site_config.is_list_page(url) and self.list_pages < self.site_config.max_list_pages:
                self.list_pages += 1
                yield scrapy.Request(url, callback=self.parse_list)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):  # a PDF or image behind a list link
            return
        yield from self._follow(link.url for link in self.links.extract_links(response))

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        sitemap = Sitemap(response.body)
        urls = [response.urljoin(entry["loc"]) for entry in sitemap]
        if sitemap.type == "sitemapindex":
            yield from (scrapy.Request(url, callback=self.parse_sitemap) for url in urls)
        else:
            yield from self._follow(iter(urls))

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
            boilerplate=config.boilerplate,
            site_name=config.name,
            content_xpath=config.content_xpath,
        )
