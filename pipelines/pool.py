"""Run the CPU stages (extract → clean → date) in worker processes, off Scrapy's event loop.

trafilatura costs ~10 ms a page and would block the reactor, leaving the second core idle.
Here `process` runs in a process pool while the reactor keeps fetching; dedupe and store still
run one item at a time in the crawl process, so the archive keeps a single writer and a copy
is always linked to the first one stored.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

from scrapy.crawler import Crawler

from extract.attachment import Attachment
from extract.attachment_text import attachment_fields, process_attachment
from extract.fingerprint import fingerprint
from extract.page import Extracted, Page
from extract.process import process
from pipelines.shared import require_archiving_spider

logger = logging.getLogger(__name__)


def safe_process(page: Page) -> Page:
    """`process`, but a failing stage rejects the page with the error instead of losing it."""
    try:
        return process(page)
    except Exception as exc:  # noqa: BLE001 - any stage failure must still reach the store
        logger.exception("extraction failed for %s", page.url)
        page.metadata = None
        page.reject("extract_error", f"{type(exc).__name__}: {exc}")
        with contextlib.suppress(Exception):  # its canonical URL, as every page leaves a worker with one
            fingerprint(page)
        return page


def merged(item: Attachment, results: dict[str, Any]) -> Attachment:
    """The crawl process's attachment with a worker's results set on it."""
    for name, value in results.items():
        setattr(item, name, value)
    return item


def processed_fields(page: Page) -> Extracted:
    """Run in a worker: what extraction returns (extract/page.py's Extracted) and nothing else, so the
    page body does not cross the pipe twice; the crawl process's page takes it (`Page.take`)."""
    return safe_process(page).extracted()


def _warm() -> None:
    """Load trafilatura, OpenCC, the rules and the codec scores' tables (a page that is no UTF-8)
    before forking, so every worker starts warm and shares them."""
    html = "<html><body><p>科協工作會議召開。</p></body></html>"
    safe_process(Page(url="http://warm.up/", body=html.encode()))
    safe_process(Page(url="http://warm.up/gb", body=html.encode("gb18030")))


def _die_with_parent(parent: int) -> None:
    """Worker initializer: a crawl killed with SIGKILL must not leave workers behind.

    Forked workers inherit the crawl's open files, including its per-site lock files; an
    orphaned worker would keep those locks, and every later `kexie crawl --due` would skip
    the sites. Linux's PR_SET_PDEATHSIG has the kernel kill the worker when the crawl dies.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the crawl died before the line above took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1
_POOLS: dict[int, Executor] = {}


def shared_pool(workers: int) -> Executor:
    """One pool per process and size, shared by every site of a crawl and by re-extraction batches.

    Workers are forked from the warmed crawl process: no re-import, no second warm-up.
    """
    if workers not in _POOLS:
        _warm()
        # What exists now (modules, rules, OpenCC's tables) is shared with the forked workers; the
        # collector must not touch it there, or every page it visits becomes a private copy.
        gc.collect()
        gc.freeze()
        _POOLS[workers] = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork"),
            initializer=_die_with_parent, initargs=(os.getpid(),),
        )
        atexit.register(_POOLS[workers].shutdown, wait=True)
    return _POOLS[workers]


def stop_pools() -> None:
    """A crawl stopped at once (a second Ctrl-C): pages not yet extracted are dropped, not awaited
    at exit (the next crawl finds them again)."""
    for pool in _POOLS.values():
        pool.shutdown(wait=False, cancel_futures=True)


def _workers(workers: int) -> int:
    return (os.cpu_count() or 1) if workers < 0 else workers


Results = Callable[[], Iterator[Page]]


def submit_all(pages: list[Page], workers: int = -1) -> Results:
    """Start processing pages in the pool now; the returned function yields them done, in order.

    For batch work outside Scrapy (re-extraction): with workers=0 the pages are processed in
    this process, when the results are asked for.
    """
    count = _workers(workers)
    if count == 0:
        return lambda: (safe_process(page) for page in pages)
    futures = [shared_pool(count).submit(processed_fields, page) for page in pages]

    def results() -> Iterator[Page]:
        return (page.take(future.result()) for page, future in zip(pages, futures, strict=True))
    return results


# Scrapy signal, sent with each page back from the extract stage (page=Page)
page_extracted = object()


class PooledProcessPipeline:
    """Scrapy stage: KEXIE_WORKERS processes (default: one per core; 0 runs in the crawl process)."""

    def __init__(self, workers: int, crawler: Crawler | None = None) -> None:
        self.workers = workers
        self.crawler = crawler
        self.pool: Executor | None = shared_pool(workers) if workers > 0 else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PooledProcessPipeline:
        require_archiving_spider(crawler)
        return cls(_workers(crawler.settings.getint("KEXIE_WORKERS", -1)), crawler)

    async def process_item(self, item: Page | Attachment) -> Page | Attachment:
        if isinstance(item, Attachment):  # its text, in a worker too (extract/attachment_text.py)
            if self.pool is None:
                return process_attachment(item)
            fields = await asyncio.get_running_loop().run_in_executor(self.pool, attachment_fields, item)
            return merged(item, fields)
        if self.pool is None:
            done = safe_process(item)
        else:
            done = item.take(await asyncio.get_running_loop().run_in_executor(self.pool, processed_fields, item))
        self.learn(done)
        return done

    def learn(self, page: Page) -> None:
        """Say how the page's text was found, at once (the archive write comes a batch later): its
        site run learns the site's container from it (page_extracted; crawler/siteruns.py)."""
        if self.crawler is None:
            return
        if page.extracted_by:
            self.crawler.stats.inc_value(f"kexie/extracted_by/{page.extracted_by}")  # type: ignore[union-attr]
        self.crawler.signals.send_catch_log(page_extracted, page=page)
