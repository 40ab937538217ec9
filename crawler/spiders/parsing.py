"""`scrapy parse URL` with the site spider: what the crawl would make of one page, archive untouched.

Scrapy's parse command calls the spider's callbacks directly and skips the item pipelines, where
a crawl extracts pages (pipelines/pool.py). So under parse the spider extracts in-process and
shows the fields the archive would store; it begins no run, opens no archive (a reading command
never creates one) and writes no frontier note (its runs are detached: crawler/siteruns.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.siteruns import SiteRun
from crawler.sitestate import SiteStart
from extract.page import Page
from extract.process import process
from siteconfig.schema import ConfigError
from siteconfig.sites import SAMPLE_SITES_DIR, SITES_DIR, SiteConfig, load_sites_checked

# what `scrapy parse` prints of an article page: the stored fields, not the raw body
SHOWN = ("url", "site", "title", "published_at", "date_source", "author", "editor", "source", "encoding",
         "reject_reason", "reject_detail", "text")


def parse_sites(sites_dir: str = "") -> list[SiteConfig]:
    """The sites a URL given to `scrapy parse --spider site` without -a site=KEY may belong to: a folder's, or the
    real and the sample ones (a broken site file is left out here; `kexie sites` names it)."""
    configs: dict[str, SiteConfig] = {}
    for folder in [sites_dir] if sites_dir else [SAMPLE_SITES_DIR, SITES_DIR]:  # real sites win a shared key
        try:
            configs.update(load_sites_checked(folder)[0])
        except ConfigError:
            continue
    return list(configs.values())


class NoSites:
    """The site source of a parse: it begins no site (the parse command makes its one request)."""

    poll_seconds = 0.0
    failed = 0

    def __init__(self) -> None:
        self.skipped: list[tuple[str, str]] = []

    def take(self) -> tuple[SiteConfig, SiteStart, str] | None:
        return None

    def exhausted(self) -> bool:
        return True

    def end(self, run: SiteRun, counts: dict[str, Any]) -> None:
        """No run is begun, so none ends."""

    def release(self, key: str) -> None:
        """No site is locked."""

    def stop(self) -> None:
        """Nothing to stop."""

    def close(self) -> None:
        """Nothing was opened."""


class ParseCommand:
    """The spider's default callback, and the in-process extraction that parse needs."""

    parsing = False  # set by the spider's from_crawler when Scrapy's parse command runs it
    parse_list: Callable[..., Iterator[Any]]
    parse_article: Callable[..., Iterator[Any]]
    _run: Callable[[Response], SiteRun | None]
    logger: Any

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """A page no callback was named for (`scrapy parse URL`): an article page if its site's
        article_pattern matches it, else a list page."""
        run = self._run(response)
        if run is None:
            self.logger.error("no site file holds %s (give -a site=KEY, -a base_url=URL or -a sites_dir=DIR)",
                              response.url)
            return
        callback = self.parse_article if run.config.is_article(response.url) else self.parse_list
        yield from callback(response)

    def shown(self, item: Page | scrapy.Request) -> Any:
        """Under parse, a page item is extracted here and shown as the archive's fields; the rest as is."""
        if not self.parsing or not isinstance(item, Page):
            return item
        page = process(item)
        return {name: getattr(page, name) for name in SHOWN}
