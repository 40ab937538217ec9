"""Short write transactions: writes queue in memory and reach the file together under BEGIN IMMEDIATE.

Why: SQLite has one writer at a time. A deferred transaction that reads first and writes later
fails at once with "database is locked" when another process committed meanwhile (the busy
timeout cannot help it), so two crawls on one archive, or a crawl beside `kexie reextract`,
lost items. A transaction that starts with BEGIN IMMEDIATE takes the write lock first, waiting
up to the busy timeout, and everything read inside it is current. The lock is held only while a
batch is written (milliseconds), never while pages download, so another process's wait is short.

A write that fails (disk full, the lock not granted in time, any database error) is reported
to its owner with the error: nothing is counted as stored that did not reach the file.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import sqlite_utils


class Write(Protocol):
    """One write the crawl queues for the archive (dedupe/writes.py): it applies itself to the archive
    and returns a result for its owner."""

    def apply(self, archive: Any) -> Any: ...


Done = Callable[[Any, BaseException | None], None]  # (result, error): error set when it did not reach the file
Outcome = tuple[Any, BaseException | None]


@contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[None]:
    """One write transaction that holds the write lock from its start (a savepoint inside a caller's)."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:  # a failed COMMIT (disk full) may leave the transaction open
            db.conn.rollback()
        raise


@contextmanager
def savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    """A savepoint inside the open transaction. One fixed name (SQLite releases the innermost of that
    name) keeps the three statements in the connection's statement cache: sqlite-utils' `atomic`
    names each savepoint anew, so each was compiled again, and its SAVEPOINT/RELEASE pair cost
    about as much as writing the page's row."""
    conn.execute("SAVEPOINT kexie_write")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # a RAISE(ROLLBACK) or a failed file may have ended it already
            conn.execute("ROLLBACK TO SAVEPOINT kexie_write")
            conn.execute("RELEASE SAVEPOINT kexie_write")
        raise
    conn.execute("RELEASE SAVEPOINT kexie_write")


class WriteQueue:
    """The one batching of the crawl's writes, whatever the batch goes to (the archive here, Redis on a
    distributed crawl's worker: distributed/outbox.py): `due()` says when the queue should go, `size`
    writes or `seconds` since the first; `flush()` hands the batch to `send` and tells each write's
    owner what became of it. An error in `lost_on`, raised by `send`, lost the whole batch: every
    owner hears it, and nothing of the batch is counted as stored."""

    lost_on: tuple[type[BaseException], ...] = ()

    def __init__(self, size: int = 100, seconds: float = 1.0) -> None:
        self.size = max(1, size)
        self.seconds = seconds
        self.waiting: list[tuple[Write, Done | None]] = []
        self.first_at = 0.0

    def __len__(self) -> int:
        return len(self.waiting)

    def add(self, write: Write, done: Done | None = None) -> None:
        if not self.waiting:
            self.first_at = time.monotonic()
        self.waiting.append((write, done))

    def due(self) -> bool:
        return bool(self.waiting) and (len(self.waiting) >= self.size
                                       or time.monotonic() - self.first_at >= self.seconds)

    def flush(self) -> BaseException | None:
        """Send the queue as one batch; returns the error that lost the whole batch, if any."""
        waiting, self.waiting = self.waiting, []
        if not waiting:
            return None
        try:
            outcomes = self.send([write for write, _ in waiting])
        except self.lost_on as exc:
            for _, done in waiting:
                if done is not None:
                    done(None, exc)
            return exc
        for (_, done), (result, error) in zip(waiting, outcomes, strict=True):
            if done is not None:
                done(result, error)
        return None

    def send(self, writes: list[Write]) -> list[Outcome]:
        """The batch's writes done, one (result, error) each; raises an error of `lost_on` when none was."""
        raise NotImplementedError


class BatchWriter(WriteQueue):
    """Queue of writes for one archive connection, flushed as one transaction.

    Each write runs under its own savepoint, so one failing write (a bug, a constraint) fails alone;
    an error of the file itself (full, locked, read-only) fails the whole batch.
    """

    lost_on = (sqlite3.Error, OSError)

    def __init__(self, archive: Any, size: int = 100, seconds: float = 1.0,
                 after: Callable[[Any], object] | None = None) -> None:
        super().__init__(size, seconds)
        self.archive = archive
        self.after = after  # runs inside the transaction after the writes (the search index)

    def send(self, writes: list[Write]) -> list[Outcome]:
        db = self.archive.db
        with immediate(db):
            outcomes = [self._one(db, write) for write in writes]
            if self.after is not None:
                self.after(db)
        return outcomes

    def _one(self, db: sqlite_utils.Database, write: Write) -> Outcome:
        try:
            with savepoint(db.conn):  # this write alone is undone if it fails
                return write.apply(self.archive), None
        except sqlite3.Error as exc:
            if fatal(exc):
                raise  # the file itself failed: the whole batch is lost
            return None, exc
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the batch
            return None, exc


def fatal(exc: sqlite3.Error) -> bool:
    """Errors of the file or the lock, not of one row: the transaction cannot go on."""
    if isinstance(exc, sqlite3.IntegrityError):
        return False
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in text for word in ("full", "locked", "busy", "readonly", "read-only", "disk i/o", "no such savepoint"))
