"""Per-site politeness when one crawl works on many sites: Scrapy's own download slots, one per host.

Scrapy already keeps a queue, a delay and a concurrency per download slot (keyed by hostname),
and its DownloaderAwarePriorityQueue hands out requests slot by slot; all a many-site crawl
needs is each site's delay and concurrency in DOWNLOAD_SLOTS, enough total concurrency for
every active site to have its turn, and an AutoThrottle that never goes below a slot's own
delay (stock AutoThrottle's floor is the one global DOWNLOAD_DELAY).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response
from scrapy.settings import Settings

from siteconfig.sites import SiteConfig

_OVERRIDE = 40  # settings priority of `-s NAME=VALUE` on the command line ("cmdline")


def apply_politeness(settings: Settings, configs: Sequence[SiteConfig]) -> None:
    """DOWNLOAD_SLOTS from the site files, CONCURRENT_REQUESTS sized to the active sites.

    A DOWNLOAD_DELAY or CONCURRENT_REQUESTS_PER_DOMAIN given on the command line applies to every
    site instead (the local sample web and the tests take no delay)."""
    if not configs:
        return
    delay_set, concurrency_set = _overridden(settings)
    slots: dict[str, dict[str, Any]] = dict(settings.getdict("DOWNLOAD_SLOTS"))
    for config in configs:
        _add_slots(slots, config, delay_set, concurrency_set)
    settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
    if not delay_set:
        settings.set("DOWNLOAD_DELAY", min(config.delay for config in configs), priority="spider")
    if (settings.getpriority("CONCURRENT_REQUESTS") or 0) < _OVERRIDE:
        active = min(len(configs), settings.getint("KEXIE_ACTIVE_SITES", 500))
        per_site = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") if concurrency_set else \
            max(config.concurrency for config in configs)
        wanted = max(settings.getint("CONCURRENT_REQUESTS"), active * per_site)
        settings.set("CONCURRENT_REQUESTS", min(wanted, settings.getint("KEXIE_MAX_CONCURRENCY", 2000)),
                     priority="spider")


def _overridden(settings: Settings) -> tuple[bool, bool]:
    """Whether DOWNLOAD_DELAY / CONCURRENT_REQUESTS_PER_DOMAIN were given on the command line."""
    return ((settings.getpriority("DOWNLOAD_DELAY") or 0) >= _OVERRIDE,
            (settings.getpriority("CONCURRENT_REQUESTS_PER_DOMAIN") or 0) >= _OVERRIDE)


def _add_slots(slots: dict[str, dict[str, Any]], config: SiteConfig, delay_set: bool, concurrency_set: bool) -> None:
    for host in {urlsplit(config.base_url).hostname or "", *config.allowed_domains} - {""}:
        slot = dict(slots.get(host, {}))
        if not delay_set:  # a host two sites share gets the politer of their settings
            slot["delay"] = max(config.delay, slot.get("delay", 0.0))
        if not concurrency_set:
            slot["concurrency"] = min(config.concurrency, slot.get("concurrency", config.concurrency))
        if slot:
            slots[host] = slot


def add_site_politeness(crawler: Crawler, config: SiteConfig) -> None:
    """A site that joins a running crawl (a worker's next job): its slots go straight to the
    downloader, whose DOWNLOAD_SLOTS were read at its start, and to SiteAutoThrottle's floors."""
    assert crawler.engine is not None
    downloader = crawler.engine.downloader
    _add_slots(downloader.per_slot_settings, config, *_overridden(crawler.settings))
    delay_set, _ = _overridden(crawler.settings)
    for extension in crawler.extensions.middlewares:
        if isinstance(extension, SiteAutoThrottle):
            extension.floors.update({key: float(slot.get("delay", 0.0))
                                     for key, slot in downloader.per_slot_settings.items()})
            if not delay_set:  # the global floor (DOWNLOAD_DELAY, 1 s) must not hold a faster site back
                extension.floor = min(extension.floor, config.delay)


class SiteAutoThrottle(AutoThrottle):
    """AutoThrottle whose floor is each slot's own delay from DOWNLOAD_SLOTS (a site's [politeness])."""

    def _spider_opened(self, spider: Spider) -> None:
        super()._spider_opened(spider)
        self.floor = self.mindelay
        self.floors = {key: float(slot.get("delay", 0.0))
                       for key, slot in self.crawler.settings.getdict("DOWNLOAD_SLOTS").items()}

    def _response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        self.mindelay = max(self.floor, self.floors.get(request.meta.get("download_slot", ""), 0.0))
        super()._response_downloaded(response, request, spider)
