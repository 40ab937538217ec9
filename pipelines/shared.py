"""The one archive connection, and its write queue, that a crawl's spider and stages share.

One connection and one queue per crawler: the archive has a single writer in the crawl
process, and the spider's frontier notes go to the file in the same short transactions as
the pages (archive/writer.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.db import Archive
from archive.search import update_index
from archive.writer import BatchWriter

_OPEN: WeakKeyDictionary[Crawler, Archive] = WeakKeyDictionary()
_WRITERS: WeakKeyDictionary[Crawler, BatchWriter] = WeakKeyDictionary()
_HOOKS: WeakKeyDictionary[Crawler, list[Callable[[Any], object]]] = WeakKeyDictionary()


def archive_for(crawler: Crawler) -> Archive:
    """The crawler's archive, opened on first use from the KEXIE_DB setting."""
    if crawler not in _OPEN:
        archive = _OPEN[crawler] = Archive(crawler.settings.get("KEXIE_DB") or None)
        # closed once everything is done (after spider_closed), so SQLite merges the WAL into the file
        crawler.signals.connect(archive.close, signal=signals.engine_stopped)
    return _OPEN[crawler]


def writer_for(crawler: Crawler) -> BatchWriter:
    """The crawler's write queue (KEXIE_BATCH_SIZE writes or KEXIE_BATCH_SECONDS a batch); each
    batch also brings the search index up to date, so readers never see a stale index, and runs the
    hooks given to `after_each_batch`. A distributed crawl's worker sets its own first (`use_writer`):
    its batches go to Redis."""
    if crawler not in _WRITERS:
        _WRITERS[crawler] = BatchWriter(archive_for(crawler), **batch_limits(crawler),
                                        after=partial(_after_batch, crawler))
    return _WRITERS[crawler]


def after_each_batch(crawler: Crawler, hook: Callable[[Any], object]) -> None:
    """Run `hook(db)` inside each batch's transaction, after its writes (crawler/livecounts.py)."""
    _HOOKS.setdefault(crawler, []).append(hook)


def _after_batch(crawler: Crawler, db: Any) -> None:
    update_index(db)
    for hook in _HOOKS.get(crawler, ()):
        hook(db)


def batch_limits(crawler: Crawler) -> dict[str, Any]:
    """A write queue's batch: KEXIE_BATCH_SIZE writes or KEXIE_BATCH_SECONDS seconds, whichever first."""
    return {"size": crawler.settings.getint("KEXIE_BATCH_SIZE", 100),
            "seconds": crawler.settings.getfloat("KEXIE_BATCH_SECONDS", 1.0)}


def use_writer(crawler: Crawler, writer: Any) -> None:
    """Give the crawl another write queue with BatchWriter's interface (crawler/outbox.py), before
    the spider and the stages ask for theirs."""
    _WRITERS[crawler] = writer


def require_archiving_spider(crawler: Crawler) -> None:
    """The pipelines are global settings, but only a spider that archives pages (the site spider sets
    `archives_pages = True`) should reach the archive: `scrapy shell`, `scrapy fetch` and other
    spiders run without them (NotConfigured disables a component quietly)."""
    if not getattr(crawler.spidercls, "archives_pages", False):
        raise NotConfigured(f"{crawler.spidercls.__name__} does not archive pages")
    if run_by_parse_command(crawler.spidercls):  # it extracts in-process and writes nothing
        raise NotConfigured("`scrapy parse` shows pages, it does not archive them")


def run_by_parse_command(spidercls: type) -> bool:
    """True under `scrapy parse`, which makes its one request by putting its own `start` on the spider class."""
    return getattr(getattr(spidercls, "start", None), "__module__", "") == "scrapy.commands.parse"
