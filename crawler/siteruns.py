"""The sites one crawl works on: each site's run begins when the crawl gets to it and ends once its
last page is written, with the site's lock held only in between.

Why per site: one crawl process crawls many sites at once (thousands in a backfill), at most
KEXIE_ACTIVE_SITES at a time. A site's lock is taken when its turn comes, so an overlapping run
(cron) crawls the sites this one has not reached yet, and is released when the site is done. The
site's crawl_runs row is finished then, with the counts of what really reached the file, and
with `complete` set only when nothing is left to resume (archive/frontier.py).

A run ends when nothing of its site is outstanding: every request it made answered (callback
or errback, or dropped as a duplicate request) and every page it yielded written or lost. Each of
those is a token (crawler/work.py) held when the request or item is made and released in `settle`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from scrapy import Request, signals
from scrapy.crawler import Crawler

from crawler.runstats import run_counts
from crawler.sitestate import SiteStart
from crawler.work import Work, work_of
from dedupe.writes import ContainerNote
from extract.attachment import Attachment
from extract.learning import ContainerLearning
from extract.page import Page
from pipelines.pool import page_extracted
from pipelines.shared import writer_for
from pipelines.store import page_written
from siteconfig.sites import SiteConfig

logger = logging.getLogger(__name__)

# Scrapy signals of this module: site_started(run), site_finished(run, counts)
site_started = object()
site_finished = object()


@dataclass
class SiteRun:
    """One site's part of the crawl."""

    config: SiteConfig
    run_id: int | None  # None: a response no run asked for (scrapy parse)
    known: set[str]
    last_run: str | None
    boilerplate: tuple[str, ...]
    stop_early: bool  # incremental pagination may stop at known articles
    resume: list[tuple[str, str]] = field(default_factory=list)  # (url, kind) left by an earlier crawl
    job: str = ""  # the Redis job it came from (distributed crawls)
    known_attachments: set[str] | None = None  # a worker's, from its job (None: the archive is asked)
    linked: dict[str, tuple[str, str]] = field(default_factory=dict)  # a worker's: resumed attachments' links
    started: float = field(default_factory=time.monotonic)
    list_pages: int = 0
    list_failures: int = 0
    seen_lists: set[str] = field(default_factory=set)
    frontier_urls: set[str] = field(default_factory=set, init=False)  # the resume URLs
    parked: int = 0  # requests left in the frontier, not sent, because the crawl is stopping (crawler/stopping.py)
    open: int = 0  # tokens not released yet (crawler/work.py): outstanding requests and pages
    seeding: Work | None = None  # held until its first requests are all made
    done: bool = False
    # the site's main-content container, learned from its pages as they come back from the workers
    # (extract/learning.py); a run starts with the one its site's last crawls kept (SiteStart.container)
    containers: ContainerLearning = field(default_factory=ContainerLearning)

    def __post_init__(self) -> None:
        # a page found again on a list page before its frontier request was made (start requests are
        # read lazily) is still the frontier's: its row goes once the page is written
        self.frontier_urls = {url for url, _ in self.resume}

    @property
    def key(self) -> str:
        return self.config.key

    def learn(self, page: Page) -> bool:
        """A page back from the extract stage: count the container its extraction agreed on; True
        when the container in use changed (learned, dropped or replaced)."""
        before = self.containers.learned
        self.containers.observe(page.extracted_by, page.container)
        after = self.containers.learned
        if after is not None and before is None:
            logger.info("%s: main text from %s from now on (its pages agree on it)", self.key, after.xpath)
        elif before is not None and after is None:
            logger.info("%s: %s dropped after %s (%s): both extractors again", self.key, before.xpath, page.url,
                        page.extracted_by)
        return before != after


class SiteSource(Protocol):
    """Where a crawl's sites come from: the local site files (crawler/localsites.py) or a Redis job
    queue (distributed/remotesites.py). `take` returns None when no site can be begun now."""

    poll_seconds: float  # 0: nothing arrives later; else look again this often while there is room
    skipped: list[tuple[str, str]]
    failed: int

    def take(self) -> tuple[SiteConfig, SiteStart, str] | None: ...
    def exhausted(self) -> bool: ...
    def end(self, run: SiteRun, counts: dict[str, Any]) -> None: ...
    def release(self, key: str) -> None: ...
    def stop(self) -> None: ...  # the crawl is closing: begin no more sites
    def close(self) -> None: ...


class SiteRuns:
    """Begins and ends site runs for one crawler; `open`/`close` track what each has outstanding."""

    def __init__(self, crawler: Crawler, source: SiteSource, configs: Iterable[SiteConfig] = ()) -> None:
        self.crawler = crawler
        self.source = source
        self.configs = list(configs)  # for `scrapy parse` of a URL no run asked for
        self.active: dict[str, SiteRun] = {}
        self.limit = max(1, crawler.settings.getint("KEXIE_ACTIVE_SITES", 500))
        self.begin_failures = 0
        self.connect()

    def connect(self) -> None:
        """What else ends a site's outstanding work, besides its spider callbacks and errbacks."""
        for handler, signal in ((self.dropped, signals.request_dropped),
                                (self.reached, signals.request_reached_downloader),
                                (self.page_done, page_written), (self.extracted, page_extracted),
                                (self.item_failed, signals.item_dropped),
                                (self.item_failed, signals.item_error), (self.spider_closed, signals.spider_closed)):
            self.crawler.signals.connect(handler, signal=signal)

    def dropped(self, request: Request, **_: Any) -> None:
        """A request the scheduler dropped as already seen in this crawl."""
        self.settle(work_of(request))

    def reached(self, request: Request, **_: Any) -> None:
        if "kexie_site" in request.meta:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(f"kexie/site/{request.meta['kexie_site']}/requests")

    def extracted(self, page: Page, **_: Any) -> None:
        """A page back from the extract stage: its run learns how its text was found."""
        run = self.active.get(page.site)
        if run is not None and run.learn(page) and run.run_id is not None:  # kept for the site's next crawl
            writer_for(self.crawler).add(ContainerNote(run.key, run.run_id, run.containers.learned))

    def page_done(self, page: Page, **_: Any) -> None:
        self.settle(work_of(page))

    def item_failed(self, item: Any, **_: Any) -> None:
        if isinstance(item, (Page, Attachment)):
            self.settle(work_of(item))

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.finish_all(reason)

    def watch(self) -> None:
        """Safety net while sites wait for room: if nothing at all is in flight, the active sites
        are done whatever their counts say, so waiting sites are never held up by a miscount."""
        engine = self.crawler.engine
        scheduler = getattr(getattr(engine, "_slot", None), "scheduler", None)
        scraper = getattr(getattr(engine, "scraper", None), "slot", None)
        if (engine is None or engine.downloader.active or scheduler is None or scheduler.has_pending_requests()
                or scraper is None or not scraper.is_idle() or len(writer_for(self.crawler))):
            return
        for run in list(self.active.values()):
            logger.warning("%s: nothing in flight but %d things outstanding; ending its run", run.key, run.open)
            self.finish(run, "finished")

    def has_room(self) -> bool:
        return len(self.active) < self.limit

    def exhausted(self) -> bool:
        return self.source.exhausted()

    def begin_next(self) -> SiteRun | None:
        """The next site the source gives (its lock taken), begun; None when none can begin now."""
        taken = self.source.take()
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("kexie/skipped_sites", list(self.source.skipped))
        if self.source.failed > self.begin_failures:  # sites whose run the archive could not begin
            self.crawler.stats.inc_value("kexie/lost_runs", self.source.failed - self.begin_failures)
            self.begin_failures = self.source.failed
        if taken is None:
            return None
        config, start, job = taken
        run = SiteRun(config=config, run_id=start.run_id, stop_early=start.stop_early, known=start.known,
                      last_run=start.last_run, boilerplate=start.boilerplate, resume=start.resume, job=job,
                      known_attachments=start.known_attachments, linked=start.linked,
                      containers=ContainerLearning(learned=start.container))
        self.active[config.key] = run
        run.seeding = self.hold(run)
        self.crawler.stats.set_value("kexie/run_ids", [*self.crawler.stats.get_value("kexie/run_ids", []),
                                                       run.run_id])
        self.crawler.signals.send_catch_log(site_started, run=run)
        return run

    def detached(self, url: str) -> SiteRun | None:
        """A run of no crawl, for a response no run asked for (`scrapy parse`): the site whose
        domains hold the URL, nothing known, nothing recorded."""
        for config in self.configs:
            if config.holds(url):
                return SiteRun(config=config, run_id=None, known=set(), last_run=None,
                               boilerplate=config.boilerplate, stop_early=False)
        return None

    def hold(self, run: SiteRun) -> Work:
        """A token of the run's open work, for a request or an item about to be made."""
        run.open += 1
        return Work(run)

    def settle(self, work: Work | None) -> None:
        """The one place open work ends: a request answered, dropped or parked, an item written or
        failed. A token is released once; the run ends when its last one is."""
        if work is None or work.released:
            return
        work.released = True
        run: SiteRun = work.run
        run.open -= 1
        if run.open <= 0 and self.active.get(run.key) is run:
            self.finish(run, "finished")

    def finish(self, run: SiteRun, reason: str) -> None:
        if run.done or run.run_id is None:
            return
        run.done = True
        if run.parked and reason == "finished":  # its last requests were parked, not answered
            reason = "shutdown"
        writer = writer_for(self.crawler)
        writer.flush()  # the site's last frontier notes
        assert self.crawler.stats is not None
        counts = run_counts(self.crawler.stats.get_stats(), run.key, reason, time.monotonic() - run.started)
        counts["complete"] = int(reason == "finished" and not counts["lost"] and not run.list_failures)
        try:
            self.source.end(run, counts)
        except Exception as exc:  # noqa: BLE001 - the site still ends and its lock goes
            logger.error("%s: could not record the end of its crawl: %s", run.key, exc)
            self.crawler.stats.inc_value("kexie/lost_runs")
        self.active.pop(run.key, None)
        self.source.release(run.key)
        self.crawler.signals.send_catch_log(site_finished, run=run, counts=counts)

    def finish_all(self, reason: str) -> None:
        """The crawl is closing: sites still open end with its reason (a killed crawl never gets here)."""
        self.source.stop()
        for run in list(self.active.values()):
            self.finish(run, reason)
        self.source.close()
