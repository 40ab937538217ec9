"""A worker's write queue: archive/writer.py's batching (WriteQueue), but each batch of writes goes
to the Redis pages stream for the archiver instead of into a local archive.

So the spider and the store stage run unchanged on a worker: a page counts as "sent" once Redis
has it (the archiver stores it and acknowledges it only after its commit), and a batch Redis
refused is reported to its owners as lost, so the site's job is not acknowledged and is crawled
again.
"""

from __future__ import annotations

import redis

from archive.writer import Outcome, WriteQueue
from dedupe.writes import Write
from distributed.queue import RedisQueue
from distributed.wire import encode_write


class StreamWriter(WriteQueue):
    lost_on = (redis.RedisError,)

    def __init__(self, queue: RedisQueue, size: int = 100, seconds: float = 1.0) -> None:
        super().__init__(size, seconds)
        self.queue = queue
        # site -> the archive its job came from (id, path): every message says which archive it is for
        self.archives: dict[str, tuple[str, str]] = {}

    def send(self, writes: list[Write]) -> list[Outcome]:  # type: ignore[override]
        """The batch in one round trip: "sent" for each write Redis took."""
        outcomes: list[Outcome] = []
        messages = []
        for write in writes:
            try:
                identity, path = self.archives.get(write.site, ("", ""))
                messages.append({**encode_write(write), "archive": identity, "archive_path": path})
                outcomes.append(("sent", None))
            except Exception as exc:  # noqa: BLE001 - one page that cannot be encoded fails alone
                outcomes.append((None, exc))
        self.queue.send(messages)
        return outcomes
