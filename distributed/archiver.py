"""`kexie archiver`: the one writer of a distributed crawl's archive.

It reads the workers' pages stream from Redis, runs dedupe and store exactly as a local crawl
does (dedupe/write.py's write_page, inside one short transaction per batch), and
acknowledges the messages only after the commit. The stream position is committed with the
batch, so a batch redelivered after a crash (committed, not yet acknowledged) is skipped, and
a batch the crash cut short is simply applied again: nothing lost, nothing doubled.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import time
import uuid
from collections import defaultdict
from typing import Any

from archive import frontier, remote_runs
from archive.search import update_index
from archive.writer import fatal, immediate
from dedupe.write import write_page
from distributed.queue import Entry, RedisQueue
from distributed.wire import FRONTIER_OPS, decode_page

logger = logging.getLogger(__name__)
STREAM = "pages"
_KNOWN = {"stored", "near", "duplicate", "unchanged", "changed"}  # outcomes that make a URL known


def _newer(entry_id: str, than: str) -> bool:
    return tuple(map(int, entry_id.split("-"))) > tuple(map(int, than.split("-")))


class Archiver:
    def __init__(self, queue: RedisQueue, archive: Any, batch: int = 100, name: str = "archiver") -> None:
        self.queue = queue
        self.archive = archive
        self.batch = max(1, batch)
        self.name = name  # its consumer name: the same after a restart, to read what it had not acknowledged
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"  # this process, in the lease
        self.position = remote_runs.stream_position(archive.db, STREAM)
        self.applied = 0
        self.lost = 0

    def run(self, exit_when_done: bool = False, block_ms: int = 1000) -> int:
        """Apply messages until stopped (or, with exit_when_done, until no site is queued or crawling
        and nothing waits). Exit status 1 when the archive could not take a batch."""
        if not self.queue.hold("archiver", self.token, wait=2 * self.queue.lease_ms / 1000):
            raise RuntimeError(f"another archiver ({self.queue.holder('archiver')}) is running on this Redis")
        pending = True  # first the messages read before a crash and never acknowledged
        try:
            while True:
                if not self.queue.renew("archiver", self.token):
                    raise RuntimeError("the archiver lost its lease in Redis (stalled longer than the lease?)")
                entries = self.queue.read_pages(self.name, self.batch, block_ms, pending)
                if pending and entries:
                    logger.info("taking up %d+ messages read before a restart (those already committed are"
                                " skipped)", len(entries))
                if not entries:
                    if pending:
                        pending = False
                        continue
                    if exit_when_done and not self.queue.active_sites() and not self.queue.pages_left():
                        return 1 if self.lost else 0
                    continue
                self.apply(entries)
        finally:
            self.queue.release("archiver", self.token)

    def apply(self, entries: list[Entry]) -> None:
        """One batch: written in one transaction, then acknowledged."""
        known, finished = self.commit(entries)
        self.queue.done_pages([i for i, _ in entries], known, finished)
        for site in finished:
            logger.info("%s: its run ended (%d messages stored so far)", site, self.applied)

    def commit(self, entries: list[Entry]) -> tuple[dict[str, set[str]], list[str]]:
        """Write the messages not applied yet in one transaction, with the new stream position;
        returns the URLs now known per site and the sites whose runs ended."""
        fresh = [(i, m) for i, m in entries if _newer(i, self.position)]
        known: dict[str, set[str]] = defaultdict(set)
        finished: list[str] = []
        if fresh:
            db = self.archive.db
            for attempt in range(5):
                try:
                    with immediate(db):
                        for _, message in fresh:
                            self.apply_one(message, known, finished)
                        remote_runs.set_stream_position(db, STREAM, fresh[-1][0])
                        update_index(db)
                    break
                except sqlite3.OperationalError as exc:  # locked for longer than the busy timeout: wait, retry
                    if "locked" not in str(exc) or attempt == 4:
                        raise
                    known.clear()
                    finished.clear()
                    time.sleep(1 + attempt)
            self.position = fresh[-1][0]
            self.applied += len(fresh)
        return known, finished

    def apply_one(self, message: dict[str, str], known: dict[str, set[str]], finished: list[str]) -> None:
        kind, data = message.get("type"), message.get("data", "")
        db = self.archive.db
        if kind == "page":
            try:
                page = decode_page(data)
            except (ValueError, TypeError, KeyError) as exc:
                self._lost("a page message", exc)
                return
            try:
                with db.atomic():
                    outcome = write_page(page, self.archive)
            except sqlite3.Error as exc:
                if fatal(exc):
                    raise
                outcome = self._lost(page.url, exc)
            except Exception as exc:  # noqa: BLE001 - one bad page must not lose the batch
                outcome = self._lost(page.url, exc)
            remote_runs.count_page(db, page.run_id, outcome, page.reject_reason)
            if outcome in _KNOWN or (outcome == "rejected" and page.reject_reason != "missing"):
                known[page.site].add(page.canonical_url)
        elif kind == "frontier":
            change: Any = FRONTIER_OPS[message["op"]]
            change(self.archive, **json.loads(data))
        elif kind == "begin":
            run = json.loads(data)
            remote_runs.begin_run(db, run["run_id"], run["worker"], run["started_at"])
        elif kind == "finish":
            run = json.loads(data)
            if remote_runs.finish_run(db, run["run_id"], run["counts"]):
                frontier.backfill_done(self.archive, run["site"])
            finished.append(run["site"])
        else:
            logger.error("skipped a message of unknown type %r", kind)

    def _lost(self, url: str, exc: BaseException) -> str:
        logger.error("could not store %s: %s: %s", url, type(exc).__name__, exc)
        self.lost += 1
        return "lost"
