"""What a crawl's spider and stages share: its crawl mode (crawler/mode.py), found on the crawler.

The mode holds the one archive connection and the one write queue of the crawl: the archive has
a single writer in the crawl process, and the spider's frontier notes go to the file in the same
short transactions as the pages (archive/writer.py). On a worker the queue goes to Redis
(distributed/outbox.py) and there is no archive. The mode is built by the CLI and opened by one
extension (crawler/mode.py's InstallMode); this module only finds it, so the stages need not
import the crawler.
"""

from __future__ import annotations

from typing import Any, Protocol

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from archive.db import Archive


class OpenMode(Protocol):
    """An opened crawl mode as the stages see it."""

    @property
    def archive(self) -> Archive | None: ...  # None: a worker, whose pages the archiver stores

    @property
    def writer(self) -> Any: ...  # archive/writer.py's BatchWriter interface


def mode_of(crawler: Crawler) -> OpenMode:
    """The crawl mode the extension opened for this crawler."""
    for extension in getattr(crawler.extensions, "middlewares", ()):
        mode = getattr(extension, "crawl_mode", None)
        if mode is not None:
            return mode  # type: ignore[no-any-return]
    raise NotConfigured("no crawl mode: the extension crawler.mode.InstallMode is not in EXTENSIONS")


def archive_for(crawler: Crawler) -> Archive:
    """The crawl's archive (a local crawl's; a worker has none)."""
    archive = mode_of(crawler).archive
    if archive is None:
        raise NotConfigured("a distributed crawl's worker has no archive")
    return archive


def writer_for(crawler: Crawler) -> Any:
    """The crawl's write queue (KEXIE_BATCH_SIZE writes or KEXIE_BATCH_SECONDS a batch)."""
    return mode_of(crawler).writer


def batch_limits(settings: BaseSettings) -> dict[str, Any]:
    """A write queue's batch: KEXIE_BATCH_SIZE writes or KEXIE_BATCH_SECONDS seconds, whichever first."""
    return {"size": settings.getint("KEXIE_BATCH_SIZE", 100), "seconds": settings.getfloat("KEXIE_BATCH_SECONDS", 1.0)}


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
