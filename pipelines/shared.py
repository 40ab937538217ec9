"""The one archive connection a crawl's dedupe and store stages share.

Dedupe must see what store wrote earlier in the same, still open, batch; one connection
per crawler gives that without committing per item.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from scrapy.crawler import Crawler

from archive.db import Archive

_OPEN: WeakKeyDictionary[Crawler, Archive] = WeakKeyDictionary()


def archive_for(crawler: Crawler) -> Archive:
    """The crawler's archive, opened on first use from the KEXIE_DB setting."""
    if crawler not in _OPEN:
        _OPEN[crawler] = Archive(crawler.settings.get("KEXIE_DB") or None)
    return _OPEN[crawler]
