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
from typing import Any

import sqlite_utils

Op = Callable[[Any], Any]  # takes the Archive, returns a result for its owner
Done = Callable[[Any, BaseException | None], None]  # (result, error): error set when it did not reach the file


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


class BatchWriter:
    """Queue of writes for one archive connection, flushed as one transaction.

    `due()` says when the queue should go: `size` writes or `seconds` since the first. Each
    write runs under its own savepoint, so one failing write (a bug, a constraint) fails alone;
    an error of the file itself (full, locked, read-only) fails the whole batch.
    """

    def __init__(self, archive: Any, size: int = 100, seconds: float = 1.0,
                 after: Callable[[Any], object] | None = None) -> None:
        self.archive = archive
        self.size = max(1, size)
        self.seconds = seconds
        self.after = after  # runs inside the transaction after the writes (the search index)
        self.queue: list[tuple[Op, Done | None]] = []
        self.first_at = 0.0

    def __len__(self) -> int:
        return len(self.queue)

    def add(self, op: Op, done: Done | None = None) -> None:
        if not self.queue:
            self.first_at = time.monotonic()
        self.queue.append((op, done))

    def due(self) -> bool:
        return bool(self.queue) and (len(self.queue) >= self.size or time.monotonic() - self.first_at >= self.seconds)

    def flush(self) -> BaseException | None:
        """Write the queue in one transaction; returns the error that lost the whole batch, if any."""
        queue, self.queue = self.queue, []
        if not queue:
            return None
        db = self.archive.db
        outcomes: list[tuple[Any, BaseException | None]] = []
        try:
            with immediate(db):
                for op, _ in queue:
                    outcomes.append(self._one(db, op))
                if self.after is not None:
                    self.after(db)
        except (sqlite3.Error, OSError) as exc:
            for _, done in queue:
                if done is not None:
                    done(None, exc)
            return exc
        for (_, done), (result, error) in zip(queue, outcomes, strict=True):
            if done is not None:
                done(result, error)
        return None

    def _one(self, db: sqlite_utils.Database, op: Op) -> tuple[Any, BaseException | None]:
        try:
            with db.atomic():  # a savepoint: this write alone is undone if it fails
                return op(self.archive), None
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
