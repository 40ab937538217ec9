"""`kexie archiver`: the one writer of a distributed crawl's archive.

It reads the workers' pages stream from Redis, runs dedupe and store exactly as a local crawl
does (each message is one of the crawl's typed writes, dedupe/writes.py, applied as a local crawl
applies it, inside one short transaction per batch), and
acknowledges the messages only after the commit. The stream position is committed with the
batch, so a batch redelivered after a crash (committed, not yet acknowledged) is skipped, and
a batch the crash cut short is simply applied again: nothing lost, nothing doubled.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sqlite3
import time
import uuid
import zlib
from collections import defaultdict
from typing import Any

import redis

from archive import remote_runs
from archive.identity import archive_id
from archive.outcomes import Outcome
from archive.search import update_index
from archive.writer import immediate
from dedupe.writes import KINDS, AttachmentWrite, PageWrite, RunEnd, Write
from distributed.queue import Entry, RedisQueue
from distributed.wire import decode_write

logger = logging.getLogger(__name__)
STREAM = "pages"


def _newer(entry_id: str, than: str) -> bool:
    return tuple(map(int, entry_id.split("-"))) > tuple(map(int, than.split("-")))


class ArchiverError(RuntimeError):
    """The archiver cannot store what it read: one line for the user; nothing of the batch was
    acknowledged, so it waits in Redis for an archiver that can."""


class Archiver:
    def __init__(self, queue: RedisQueue, archive: Any, batch: int = 100, name: str = "archiver") -> None:
        self.queue = queue
        self.archive = archive
        self.batch = max(1, batch)
        self.name = name  # its consumer name: the same after a restart, to read what it had not acknowledged
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"  # this process, in the lease
        self.position = remote_runs.stream_position(archive.db, STREAM)
        self.identity, self.path = archive_id(archive.db), str(archive.path.resolve())
        self.applied = 0
        self.attachments: dict[str, set[str]] = defaultdict(set)  # attachment URLs the last batch stored, per site

    def run(self, exit_when_done: bool = False, block_ms: int = 1000) -> int:
        """Apply messages until stopped (or, with exit_when_done, until no site is queued or crawling
        and nothing waits). Raises ArchiverError when a batch cannot be stored (it stays pending)."""
        if not self.queue.hold("archiver", self.token, wait=2 * self.queue.lease_ms / 1000):
            raise RuntimeError(f"another archiver ({self.queue.holder('archiver')}) is running on this Redis")
        every = self.queue.lease_ms / 3000
        try:
            while True:
                if not self.queue.renew("archiver", self.token):
                    raise RuntimeError("the archiver lost its lease in Redis (stalled longer than the lease?)")
                self.queue.beat("archiver", every)
                # first what this consumer read and never acknowledged: after a crash, or a reply Redis
                # sent just before it restarted (the messages are pending though this process never got them)
                entries = self.queue.read_pages(self.name, self.batch, block_ms, pending=True)
                if entries:
                    logger.info("taking up %d+ messages read before and not acknowledged (those already"
                                " committed are skipped)", len(entries))
                else:
                    entries = self.queue.read_pages(self.name, self.batch, block_ms, pending=False)
                if not entries:
                    if exit_when_done and not self.queue.active_sites() and not self.queue.pages_left():
                        return 0
                    continue
                self.apply(entries)
        finally:
            with contextlib.suppress(redis.RedisError):
                self.queue.release("archiver", self.token)
                self.queue.unbeat("archiver")

    def apply(self, entries: list[Entry]) -> None:
        """One batch: written in one transaction, then acknowledged."""
        known, finished = self.commit(entries)
        self.queue.done_pages([i for i, _ in entries], known, finished, self.attachments)
        for site in finished:
            logger.info("%s: its run ended (%d messages stored so far)", site, self.applied)

    def check(self, entries: list[Entry]) -> None:
        """Refuse a batch holding messages of another archive, before anything is written."""
        for _, message in entries:
            theirs = message.get("archive", "")
            if theirs != self.identity:
                where = message.get("archive_path") or "an archive that did not say where it is"
                raise ArchiverError(
                    f"the pages in Redis belong to another archive: queued from {where} (id {theirs or 'none'}),"
                    f" this archiver writes {self.path} (id {self.identity}); nothing was stored or acknowledged:"
                    f" run the archiver with --db {where}")

    def commit(self, entries: list[Entry]) -> tuple[dict[str, set[str]], list[str]]:
        """Write the messages not applied yet in one transaction, with the new stream position;
        returns the URLs now known per site and the sites whose runs ended. A message that cannot be
        stored rolls the whole batch back (ArchiverError): none of it is acknowledged."""
        self.check(entries)
        fresh = [(i, m) for i, m in entries if _newer(i, self.position)]
        known: dict[str, set[str]] = defaultdict(set)
        finished: list[str] = []
        self.attachments = defaultdict(set)
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
                except sqlite3.Error as exc:
                    if "locked" not in str(exc) or attempt == 4:
                        raise ArchiverError(f"cannot write {self.path}: {exc}; nothing of the batch was"
                                            " acknowledged, it is stored when the archiver runs again") from exc
                    known.clear()  # locked for longer than the busy timeout: wait, retry
                    finished.clear()
                    self.attachments.clear()
                    time.sleep(1 + attempt)
            self.position = fresh[-1][0]
            self.applied += len(fresh)
        return known, finished

    def apply_one(self, message: dict[str, str], known: dict[str, set[str]], finished: list[str]) -> None:
        kind = message.get("type", "")
        if kind not in KINDS:
            logger.error("skipped a message of unknown type %r", kind)
            return
        try:
            write = decode_write(message)
        except (ValueError, TypeError, KeyError, zlib.error) as exc:
            raise ArchiverError(f"a{'n' if kind[0] in 'aeiou' else ''} {kind} message cannot be read ({exc});"
                                " it stays in Redis") from exc
        if isinstance(write, PageWrite):
            page = write.page
            outcome = Outcome(self.write(page.url, write))
            remote_runs.count_page(self.archive.db, page.run_id, outcome, page.reject_reason)
            if outcome.makes_known(page.reject_reason):
                known[page.site].add(page.canonical_url)
        elif isinstance(write, AttachmentWrite):  # stored once by SHA-256, as the local crawl does
            if self.write(write.item.url, write) != Outcome.REJECTED:
                self.attachments[write.item.site].add(write.item.canonical_url)
        elif isinstance(write, RunEnd):
            self.write(f"the end of run {write.run_id}", write)
            finished.append(write.site)
        else:
            self.write(f"a {kind} note of {write.site}", write)

    def write(self, url: str, write: Write) -> Any:
        """One message's write: any failure but a locked archive stops the batch (ArchiverError)."""
        try:
            return write.apply(self.archive)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise  # the whole batch waits and tries again
            raise ArchiverError(self._unstored(url, exc)) from exc
        except Exception as exc:
            raise ArchiverError(self._unstored(url, exc)) from exc

    def _unstored(self, url: str, exc: BaseException) -> str:
        return (f"could not store {url} in {self.path}: {type(exc).__name__}: {exc}; nothing of its batch was"
                " acknowledged, it is stored when the archiver runs again")
