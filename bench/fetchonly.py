"""The bare-Scrapy baseline (a): fetch every page of the synthetic web and do nothing with it.

Same Scrapy, reactor and concurrency as `kexie crawl` with local politeness, but no item
pipelines, no HTTP cache, no robots.txt, no link extraction: what fetching alone costs.
Run in its own process by bench/throughput.py:

    python -m bench.fetchonly URLS_FILE [SETTINGS_JSON]   # one URL a line; prints one JSON line of stats

The local politeness comes in as JSON from the caller (crawler.runner.LOCAL_POLITENESS):
importing crawler.runner here would load the spider, the pipelines and numpy, and charge
their start-up and memory to the baseline.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

from crawler import settings as project


class FetchOnly(scrapy.Spider):
    name = "fetchonly"

    def __init__(self, urls_file: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls_file = urls_file

    async def start(self) -> AsyncIterator[scrapy.Request]:
        with open(self.urls_file, encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield scrapy.Request(line.strip(), callback=self.parse)

    def parse(self, response: Response, **kwargs: Any) -> None:
        """Nothing: the body has been downloaded, which is all this baseline measures."""


def settings(politeness: dict[str, Any]) -> dict[str, Any]:
    """The crawl's concurrency (project settings plus the local politeness the bench passes)."""
    return {
        "CONCURRENT_REQUESTS": project.CONCURRENT_REQUESTS,
        "DOWNLOAD_TIMEOUT": project.DOWNLOAD_TIMEOUT,
        "COOKIES_ENABLED": project.COOKIES_ENABLED,
        "USER_AGENT": project.USER_AGENT,
        **politeness,
        "ROBOTSTXT_OBEY": False,
        "HTTPCACHE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }


def main(urls_file: str, politeness: dict[str, Any]) -> None:
    process = CrawlerProcess(settings(politeness), install_root_handler=True)
    crawler = process.create_crawler(FetchOnly)
    process.crawl(crawler, urls_file=str(Path(urls_file).resolve()))
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    keep = ("response_received_count", "downloader/response_status_count/200", "elapsed_time_seconds",
            "downloader/request_count", "log_count/ERROR")
    print(json.dumps({k: stats.get(k, 0) for k in keep}))


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})
