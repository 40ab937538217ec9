"""The distributed crawl's Redis keys: a stream of site jobs, a stream of processed pages, leases.

Why Redis Streams with consumer groups: a job or a page taken by a consumer stays in the
group's pending list until it is acknowledged, so a worker or the archiver killed mid-way
loses nothing; a dead worker's jobs are taken over with XAUTOCLAIM once its lease has
expired. Leases are keys with a time to live, renewed by their holder's heartbeat:
- `worker:NAME`: one live process per worker name (a restarted worker takes its own pending jobs back);
- `site:KEY`: the worker crawling the site; no other worker fetches it meanwhile (politeness);
- `archiver`: the one process writing the archive.
`active` maps each queued or running site to its crawl_runs id, so a site is queued once;
`known:KEY` holds the canonical URLs the archive has for a queued site (incremental crawls), and
`known_attachments:KEY` the attachment URLs it has archived (crawler/spiders/attachments.py);
`beats` holds each worker's and the archiver's last heartbeat, in Redis's own clock, so
`kexie health` tells a live process from a dead one by its age, whichever machine asks.

A Redis restart is ridden out: every command is retried with capped exponential backoff
(redis-py's Retry) for `reconnect` seconds before the error reaches the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from distributed.leases import Leases, alive, ride_out

JOBS_GROUP = "workers"
PAGES_GROUP = "archiver"
_CHUNK = 1000


class QueueError(Exception):
    """Redis cannot be reached or refused: one line for the user, never a traceback."""


Entry = tuple[str, dict[str, str]]


class RedisQueue(Leases):
    def __init__(self, url: str, lease: float = 30.0, prefix: str = "kexie", reconnect: float = 0.0) -> None:
        """`reconnect`: seconds a command keeps trying while Redis cannot be reached (0: fail at
        once); the first connection fails at once either way, with a clear error."""
        try:
            self.r = redis.Redis.from_url(url, decode_responses=True, socket_timeout=30, socket_connect_timeout=10,
                                          retry=Retry(NoBackoff(), 0))
            self.r.ping()
        except (redis.RedisError, ValueError) as exc:
            raise QueueError(f"cannot use Redis at {url}: {exc}") from exc
        if reconnect > 0:
            self.r.set_retry(ride_out(reconnect))
        self.url = url
        parts = urlsplit(url)  # who queued a run, without a password
        self.name = f"{parts.hostname}:{parts.port or 6379}{parts.path or '/0'} {prefix}"
        self.lease_ms = int(lease * 1000)
        self.p = prefix
        self.jobs, self.pages, self.active = f"{prefix}:jobs", f"{prefix}:pages", f"{prefix}:active"
        try:
            self.groups()
        except redis.ResponseError as exc:
            raise QueueError(f"Redis at {url}: {exc}") from exc

    def groups(self) -> None:
        """The streams and their consumer groups (again, after a Redis that came back empty)."""
        for stream, group in ((self.jobs, JOBS_GROUP), (self.pages, PAGES_GROUP)):
            try:
                self.r.xgroup_create(stream, group, id="0", mkstream=True)
            except redis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    # --- jobs -----------------------------------------------------------------------
    def enqueue(self, site: str, run_id: int, job: str, known: Iterable[str],
                known_attachments: Iterable[str] = ()) -> str:
        """Queue a site's job, with the URLs (and attachment URLs) its crawl must not fetch again."""
        pipe = self.r.pipeline()
        for key, values in ((f"{self.p}:known:{site}", known), (f"{self.p}:known_attachments:{site}",
                                                                 known_attachments)):
            pipe.delete(key)
            urls = list(values)
            for i in range(0, len(urls), _CHUNK):
                pipe.sadd(key, *urls[i:i + _CHUNK])
        pipe.hset(self.active, site, run_id)
        pipe.xadd(self.jobs, {"site": site, "job": job})
        return str(pipe.execute()[-1])

    def active_sites(self) -> dict[str, str]:
        return self.r.hgetall(self.active)  # type: ignore[return-value]

    def take_job(self, worker: str, busy: set[str]) -> Entry | None:
        """A job for this worker: one it had before a restart, one a dead worker left (its lease
        expired), or a new one. `busy`: job ids this process is already crawling."""
        try:
            return self._take_job(worker, busy)
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            self.groups()  # Redis came back empty: its queue is empty too
            return None

    def _take_job(self, worker: str, busy: set[str]) -> Entry | None:
        mine: Any = self.r.xreadgroup(JOBS_GROUP, worker, {self.jobs: "0"}, count=len(busy) + 1)
        for entry_id, fields in (mine[0][1] if mine else []):
            if entry_id not in busy and fields:
                return entry_id, fields
        claimed: Any = self.r.xautoclaim(self.jobs, JOBS_GROUP, worker, self.lease_ms, "0-0", count=1)
        for entry_id, fields in claimed[1]:
            if fields:
                return entry_id, fields
        new: Any = self.r.xreadgroup(JOBS_GROUP, worker, {self.jobs: ">"}, count=1)
        for entry_id, fields in (new[0][1] if new else []):
            return entry_id, fields
        return None

    def live_workers(self) -> int:
        """Workers holding their name's lease (alive, or dead less than a lease ago)."""
        return sum(1 for _ in self.r.scan_iter(f"{self.p}:worker:*", count=1000))

    def known(self, site: str) -> set[str]:
        return self.r.smembers(f"{self.p}:known:{site}")  # type: ignore[return-value]

    def known_attachments(self, site: str) -> set[str]:
        return self.r.smembers(f"{self.p}:known_attachments:{site}")  # type: ignore[return-value]

    def keep_jobs(self, worker: str, job_ids: Iterable[str]) -> None:
        """Heartbeat: this worker still works on these jobs (resets their idle time)."""
        ids: list[Any] = list(job_ids)
        try:
            if ids:
                self.r.xclaim(self.jobs, JOBS_GROUP, worker, 0, ids, justid=True)
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            self.groups()  # Redis came back empty: the jobs are gone (`kexie crawl --redis` queues them again)

    def ack_job(self, job_id: str) -> None:
        pipe = self.r.pipeline()
        pipe.xack(self.jobs, JOBS_GROUP, job_id)
        pipe.xdel(self.jobs, job_id)
        pipe.execute()

    def jobs_left(self) -> int:
        """Jobs not yet done: waiting or taken but not acknowledged (done ones are deleted)."""
        return int(self.r.xlen(self.jobs))

    # --- pages ----------------------------------------------------------------------
    def send(self, messages: list[dict[str, str]]) -> None:
        pipe = self.r.pipeline(transaction=False)
        for message in messages:
            pipe.xadd(self.pages, message)  # type: ignore[arg-type]
        pipe.execute()

    def read_pages(self, consumer: str, count: int, block_ms: int, pending: bool) -> list[Entry]:
        """The next messages for the archiver: `pending`, those it read but never acknowledged."""
        try:
            got: Any = self._read(consumer, count, block_ms, pending)
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            self.groups()  # Redis came back empty
            return []
        return [(entry_id, fields) for entry_id, fields in (got[0][1] if got else []) if fields]

    def _read(self, consumer: str, count: int, block_ms: int, pending: bool) -> Any:
        return self.r.xreadgroup(PAGES_GROUP, consumer, {self.pages: "0" if pending else ">"}, count=count,
                                 block=None if pending else block_ms)

    def done_pages(self, ids: list[str], known: dict[str, set[str]], finished: Iterable[str],
                   attachments: dict[str, set[str]] | None = None) -> None:
        """After the archive committed: acknowledge and drop the messages, note what is now known
        (pages, and attachment URLs), and end finished sites' queue entries."""
        pipe = self.r.pipeline()
        if ids:
            pipe.xack(self.pages, PAGES_GROUP, *ids)
            pipe.xdel(self.pages, *ids)
        active = set(self.active_sites())
        for site, urls in known.items():
            if site in active and urls:
                pipe.sadd(f"{self.p}:known:{site}", *urls)
        for site, urls in (attachments or {}).items():
            if site in active and urls:
                pipe.sadd(f"{self.p}:known_attachments:{site}", *urls)
        for site in finished:
            pipe.hdel(self.active, site)
            pipe.delete(f"{self.p}:known:{site}", f"{self.p}:known_attachments:{site}")
        pipe.execute()

    def pages_left(self) -> int:
        return int(self.r.xlen(self.pages))

    # --- status (kexie health) ------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """The queue for `kexie health`. A process is alive while its heartbeat is younger than two
        of its beats (a lease key alone outlives a kill -9 by up to a lease)."""
        groups = {g["name"]: g for g in self.r.xinfo_groups(self.jobs)}
        consumers = self.r.xinfo_consumers(self.jobs, JOBS_GROUP) if JOBS_GROUP in groups else []
        beats = self.beats()
        leased = {key.split(":", 2)[2] for key in self.r.scan_iter(f"{self.p}:worker:*")}
        names = leased | {n.split(":", 1)[1] for n in beats if n.startswith("worker:")}
        ages = {name: beats.get(f"worker:{name}") for name in names}
        return {
            "jobs_left": self.jobs_left(),
            "jobs_taken": {c["name"]: c["pending"] for c in consumers if c["pending"]},
            "workers": sorted(n for n, beat in ages.items() if alive(beat, n in leased)),
            "dead_workers": sorted(n for n, beat in ages.items() if not alive(beat, n in leased)),
            "beats": {name: age for name, (age, _) in beats.items()},
            "pages_waiting": self.pages_left(),
            "archiver": self.holder("archiver") if alive(beats.get("archiver"), True) else None,
            "active_sites": len(self.active_sites()),
            "active": self.active_sites(),
        }
