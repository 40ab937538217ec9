"""Ctrl-C and SIGTERM: stop within seconds, say so at once, lose nothing.

Scrapy's own graceful stop lets the downloader send every request it already holds: with a polite
delay per site and CONCURRENT_REQUESTS sized to the sites, that is tens of seconds of fetching
after Ctrl-C, in silence (a crawl logs warnings only). Here the first signal prints one line and
parks every request not yet on the wire in the archive's frontier (pending): those waiting in the
scheduler, in the downloader's per-site queues, and those the pages still being parsed yield. The
pages in flight are finished and written, and the sites' runs end as `shutdown` (not complete, so
the next crawl walks their list pages again and takes the parked requests first).

A second signal stops at once: the requests on the wire are parked too, the pending writes
committed, the runs recorded, the reactor stopped. Pages that were being extracted are not
written; the next crawl finds them again (the run is not complete, and none of them is known).
"""

from __future__ import annotations

import logging
import signal
import sys
from collections import deque
from typing import Any, TextIO

from scrapy import Request, signals
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.ossignal import install_shutdown_handlers
from twisted.python.failure import Failure

from crawler.work import work_of
from pipelines.pool import stop_pools
from pipelines.shared import writer_for

logger = logging.getLogger(__name__)


class Parked(IgnoreRequest):
    """A request not sent because the crawl is stopping: it waits in the frontier for the next crawl."""


def _reactor() -> Any:
    from twisted.internet import reactor  # the one Scrapy installed (importing it at the top would install another)

    return reactor


class Stopper:
    """The crawl process's SIGINT/SIGTERM handlers (run_crawl starts Scrapy without its own)."""

    def __init__(self, process: AsyncCrawlerProcess, crawler: Crawler, stream: TextIO = sys.stderr) -> None:
        self.process = process
        self.crawler = crawler
        self.stream = stream
        self.stopping = False
        crawler.signals.connect(self.scheduled, signal=signals.request_scheduled)

    def install(self) -> None:
        _reactor().callWhenRunning(install_shutdown_handlers, self.first)

    # the handlers only hand over to the reactor's thread: no I/O inside a signal handler
    def first(self, signum: int, _frame: Any) -> None:
        install_shutdown_handlers(self.second)
        _reactor().callFromThread(self.stop_soon, signum)

    def second(self, signum: int, _frame: Any) -> None:
        install_shutdown_handlers(signal.SIG_IGN)
        _reactor().callFromThread(self.stop_now)

    def say(self, line: str) -> None:
        self.stream.write("\r\033[K" * self.stream.isatty() + line + "\n")
        self.stream.flush()

    def stop_soon(self, signum: int) -> None:
        """Finish what is on the wire or being written; park the rest; then Scrapy's graceful stop."""
        self.stopping = True
        engine, spider = self.crawler.engine, self.crawler.spider
        if engine is not None and spider is not None and hasattr(spider, "runs"):
            again = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
            self.say(f"stopping: {self.in_flight()} pages in flight are finished, the rest stays in the frontier;"
                     f" {again} again to stop now")
            parked = self.park_scheduled()
            for slot in engine.downloader.slots.values():  # a site's requests go to its errback as Parked
                waiting, slot.queue = slot.queue, deque()
                for request, deferred in waiting:
                    if "kexie_site" not in request.meta:  # robots.txt: fetched, others may wait for it
                        slot.queue.append((request, deferred))
                        continue
                    parked += 1
                    deferred.errback(Failure(Parked(f"not sent, the crawl is stopping: {request.url}")))
            logger.info("stopping: %d requests parked in the frontier", parked)
        deferred_from_coro(self.process.stop())  # the crawl's end then stops the reactor (process.start)

    def stop_now(self) -> None:
        """Park what is on the wire, commit what is written, record the runs, stop the reactor."""
        self.say("stopping now: what was not written stays in the frontier or is found again by the next crawl")
        engine, spider = self.crawler.engine, self.crawler.spider
        if engine is not None and spider is not None and hasattr(spider, "runs"):
            self.park_scheduled()
            for slot in engine.downloader.slots.values():
                for request in [*slot.transferring, *(r for r, _ in slot.queue)]:
                    self.park(request)
            assert self.crawler.stats is not None
            if not self.crawler.stats.get_value("finish_reason"):
                self.crawler.stats.set_value("finish_reason", "shutdown")
            spider.runs.finish_all("shutdown")  # flushes the writes, records each run, releases the locks
            writer_for(self.crawler).flush()
        stop_pools()
        reactor = _reactor()
        if reactor.running:
            reactor.stop()

    def in_flight(self) -> int:
        """Requests on the wire and responses being parsed, extracted or written."""
        engine = self.crawler.engine
        assert engine is not None
        wire = sum(len(slot.transferring) for slot in engine.downloader.slots.values())
        scraper = getattr(engine.scraper, "slot", None)
        return wire + (len(scraper.active) if scraper is not None else 0)

    def park_scheduled(self) -> int:
        engine = self.crawler.engine
        scheduler = getattr(getattr(engine, "_slot", None), "scheduler", None)
        parked = 0
        while scheduler is not None and (request := scheduler.next_request()) is not None:
            if self.park(request):
                parked += 1
                self.crawler.spider.runs.settle(work_of(request))  # type: ignore[union-attr]
        return parked

    def park(self, request: Request) -> bool:
        """Note a request of a site's run in the frontier as pending; False for one of no run."""
        spider: Any = self.crawler.spider
        run = spider.runs.active.get(request.meta.get("kexie_site", "")) if spider is not None else None
        if run is None:
            return False
        run.parked += 1
        spider.note(run, "visiting", url=request.meta.get("kexie_url", request.url),
                    kind=request.meta.get("kexie_kind", "article"))
        return True

    def scheduled(self, request: Request, **_: Any) -> None:
        """While stopping, what the pages being parsed still yield goes to the frontier, not the network."""
        if self.stopping and self.park(request):
            self.crawler.spider.runs.settle(work_of(request))  # type: ignore[union-attr]
            raise Parked(f"not sent, the crawl is stopping: {request.url}")
