"""A worker's write queue: the same interface as archive/writer.py's BatchWriter, but each batch of
writes goes to the Redis pages stream for the archiver instead of into a local archive.

So the spider and the store stage run unchanged on a worker: a page counts as "sent" once Redis
has it (the archiver stores it and acknowledges it only after its commit), and a batch Redis
refused is reported to its owners as lost, so the site's job is not acknowledged and is crawled
again.
"""

from __future__ import annotations

import time
from typing import Any

import redis

from archive.writer import Done, Op
from distributed.queue import RedisQueue
from distributed.wire import encode_write, op_site


class StreamWriter:
    def __init__(self, queue: RedisQueue, size: int = 100, seconds: float = 1.0) -> None:
        self.queue = queue
        self.size = max(1, size)
        self.seconds = seconds
        self.pending: list[tuple[Op, Done | None]] = []
        self.first_at = 0.0
        # site -> the archive its job came from (id, path): every message says which archive it is for
        self.archives: dict[str, tuple[str, str]] = {}

    def __len__(self) -> int:
        return len(self.pending)

    def add(self, op: Op, done: Done | None = None) -> None:
        if not self.pending:
            self.first_at = time.monotonic()
        self.pending.append((op, done))

    def due(self) -> bool:
        return bool(self.pending) and (len(self.pending) >= self.size
                                       or time.monotonic() - self.first_at >= self.seconds)

    def flush(self) -> BaseException | None:
        """Send the queue in one round trip; returns the error that lost it, if any."""
        pending, self.pending = self.pending, []
        if not pending:
            return None
        outcomes: list[tuple[Any, BaseException | None]] = []
        messages = []
        for op, _ in pending:
            try:
                identity, path = self.archives.get(op_site(op), ("", ""))
                messages.append({**encode_write(op), "archive": identity, "archive_path": path})
                outcomes.append(("sent", None))
            except Exception as exc:  # noqa: BLE001 - one page that cannot be encoded fails alone
                outcomes.append((None, exc))
        try:
            self.queue.send(messages)
        except redis.RedisError as exc:
            for _, done in pending:
                if done is not None:
                    done(None, exc)
            return exc
        for (_, done), (result, error) in zip(pending, outcomes, strict=True):
            if done is not None:
                done(result, error)
        return None
