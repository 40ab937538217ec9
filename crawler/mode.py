"""The crawl mode: where a crawl's sites come from and where its writes go, built once by the CLI and
installed by one Scrapy extension (`InstallMode`, in EXTENSIONS).

Two modes: `LocalArchive` (kexie crawl, scrapy crawl site: the selected site files, writes into the
archive file) and distributed/worker_mode.py's `RedisWorker` (kexie worker: site jobs from Redis,
writes to its pages stream). A mode is a small frozen description the CLI puts in the
KEXIE_CRAWL_MODE setting (Scrapy copies settings, so no open connection travels there); the
extension opens it when the crawler is built, before the spider and the stages ask for it
(pipelines/shared.py's `mode_of`). Nothing else looks at a setting to know which mode it is in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from scrapy import signals
from scrapy.crawler import Crawler

from archive.db import Archive
from archive.search import update_index
from archive.writer import BatchWriter
from crawler.localsites import LocalSites
from crawler.siteruns import SiteSource
from pipelines.shared import OpenMode, batch_limits, mode_of
from siteconfig.sites import SiteConfig


class ModeSpec(Protocol):
    """What the CLI builds: opened once per crawler by `InstallMode`."""

    def open(self, crawler: Crawler) -> CrawlMode: ...


class CrawlMode(OpenMode, Protocol):
    """An opened mode: its archive (None on a worker), its write queue and its sites."""

    def sites(self, crawler: Crawler, configs: Sequence[SiteConfig], full: bool, due_only: bool) -> SiteSource: ...


@dataclass(frozen=True)
class LocalArchive:
    """A crawl into an archive file on this machine (None: KEXIE_DB's or the default one)."""

    db: str | None = None

    def open(self, crawler: Crawler) -> LocalMode:
        return LocalMode(crawler, self.db or crawler.settings.get("KEXIE_DB") or None)


class LocalMode:
    """The archive, opened on first use (closed once the engine stopped, so SQLite merges the WAL into
    the file), and one write queue into it whose batches also bring the search index up to date."""

    def __init__(self, crawler: Crawler, db: str | None) -> None:
        self.crawler = crawler
        self.db = db
        self._archive: Archive | None = None
        self._writer: BatchWriter | None = None
        self._hooks: list[Callable[[Any], object]] = []

    @property
    def archive(self) -> Archive:
        if self._archive is None:
            self._archive = Archive(self.db)
            self.crawler.signals.connect(self._archive.close, signal=signals.engine_stopped)
        return self._archive

    @property
    def writer(self) -> BatchWriter:
        if self._writer is None:
            self._writer = BatchWriter(self.archive, **batch_limits(self.crawler.settings), after=self._after_batch)
        return self._writer

    def after_each_batch(self, hook: Callable[[Any], object]) -> None:
        """Run `hook(db)` inside each batch's transaction, after its writes (crawler/livecounts.py)."""
        self._hooks.append(hook)

    def _after_batch(self, db: Any) -> None:
        update_index(db)
        for hook in self._hooks:
            hook(db)

    def sites(self, crawler: Crawler, configs: Sequence[SiteConfig], full: bool, due_only: bool) -> SiteSource:
        return LocalSites(self.archive, configs, full, due_only)


class InstallMode:
    """The Scrapy extension that opens the crawl's mode (KEXIE_CRAWL_MODE, else a local archive)."""

    def __init__(self, mode: CrawlMode) -> None:
        self.crawl_mode = mode  # the name pipelines/shared.py's mode_of looks for

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InstallMode:
        spec: Any = crawler.settings.get("KEXIE_CRAWL_MODE") or LocalArchive()
        return cls(spec.open(crawler))


def crawl_mode(crawler: Crawler) -> CrawlMode:
    """The crawler's opened mode, with its sites (pipelines/shared.py's mode_of, for the crawler)."""
    return mode_of(crawler)  # type: ignore[return-value]
