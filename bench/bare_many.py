"""The bare-Scrapy baseline of bench/many_sites.py: every site at once, same politeness as kexie.

One spider starts from every site's first list page (read from the generated kexie site files, so
both sides crawl exactly the same URLs), follows pagination and article links on the same host
with the site's own patterns, and only counts responses: no pipelines, no HTTP cache, no archive.
Politeness is what `kexie crawl` uses: the project's DOWNLOAD_DELAY handling (AutoThrottle with
the project's settings, never below the delay) at the sites' delay, one request at a time per
host, robots.txt obeyed, and the downloader-aware queue so no host's backlog starves the others.
The proxy comes from http_proxy in the environment (bench/hostweb.py). Importing crawler.settings
loads nothing else of kexie, so its start-up and memory stay out of the baseline.

    python -m bench.bare_many SITES_DIR DELAY            # prints one JSON line of counts
    python -m bench.bare_many SITES_DIR DELAY extract    # the same, trafilatura.extract in the callback
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from crawler import settings as project


class BareMany(scrapy.Spider):
    name = "bare_many"

    def __init__(self, sites_dir: str = "", extract: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.extract = extract  # trafilatura.extract on each article, in the callback (one core, blocking)
        self.sites = [tomllib.loads(p.read_text("utf-8")) for p in sorted(Path(sites_dir).glob("*.toml"))]
        self.links = LinkExtractor(unique=True)
        self.counts = {"articles": 0, "lists": 0, "extracted": 0}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for site in self.sites:
            for ref in site["start_urls"]:
                yield scrapy.Request(site["base_url"] + ref, callback=self.parse_list, cb_kwargs={"site": site})

    def parse_list(self, response: Response, site: dict[str, Any]) -> Iterator[scrapy.Request]:
        self.counts["lists"] += 1
        if not isinstance(response, TextResponse):
            return
        host = urlsplit(site["base_url"]).hostname
        for link in self.links.extract_links(response):
            split = urlsplit(link.url)
            if split.hostname != host:
                continue
            if re.search(site["article_pattern"], split.path):
                yield scrapy.Request(link.url, callback=self.parse_article)
            elif re.search(site.get("pagination_pattern") or "$^", split.path):
                yield scrapy.Request(link.url, callback=self.parse_list, cb_kwargs={"site": site})

    def parse_article(self, response: Response) -> None:
        self.counts["articles"] += 1
        if self.extract:
            import trafilatura

            self.counts["extracted"] += trafilatura.extract(response.body) is not None


def settings(sites: int, delay: float) -> dict[str, Any]:
    return {
        "DOWNLOAD_DELAY": delay,
        "AUTOTHROTTLE_ENABLED": project.AUTOTHROTTLE_ENABLED,
        "AUTOTHROTTLE_START_DELAY": project.AUTOTHROTTLE_START_DELAY,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": project.AUTOTHROTTLE_TARGET_CONCURRENCY,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "CONCURRENT_REQUESTS": max(sites, project.CONCURRENT_REQUESTS),
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "ROBOTSTXT_OBEY": True,
        "USER_AGENT": project.USER_AGENT,
        "DOWNLOAD_TIMEOUT": project.DOWNLOAD_TIMEOUT,
        "COOKIES_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }


def main(sites_dir: str, delay: float, extract: bool = False) -> None:
    sites = len(list(Path(sites_dir).glob("*.toml")))
    process = CrawlerProcess(settings(sites, delay))
    crawler = process.create_crawler(BareMany)
    process.crawl(crawler, sites_dir=sites_dir, extract=extract)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    spider = crawler.spider
    counts = spider.counts if isinstance(spider, BareMany) else {}
    keep = ("downloader/request_count", "response_received_count", "robotstxt/request_count", "log_count/ERROR",
            "elapsed_time_seconds")
    print(json.dumps({**counts, "sites": sites, **{k: stats.get(k, 0) for k in keep}}))


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), sys.argv[3:] == ["extract"])
