"""The distributed crawl's Redis keys: a stream of site jobs, a stream of processed pages, leases.

Why Redis Streams with consumer groups: a job or a page taken by a consumer stays in the
group's pending list until it is acknowledged, so a worker or the archiver killed mid-way
loses nothing; a dead worker's jobs are taken over with XAUTOCLAIM once its lease has
expired. Leases are keys with a time to live, renewed by their holder's heartbeat:
- `worker:NAME`: one live process per worker name (a restarted worker takes its own pending jobs back);
- `site:KEY`: the worker crawling the site; no other worker fetches it meanwhile (politeness);
- `archiver`: the one process writing the archive.
`active` maps each queued or running site to its crawl_runs id, so a site is queued once;
`known:KEY` holds the canonical URLs the archive has for a queued site (incremental crawls).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import redis

JOBS_GROUP = "workers"
PAGES_GROUP = "archiver"
_CHUNK = 1000

# delete / renew a lease only if this holder has it
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
# renew a lease this holder has, or take it again if it lapsed meanwhile (a slow start) and nobody took it
_RENEW = ("local v = redis.call('get', KEYS[1]) if v == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2])"
          " elseif not v then return redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) and 1 or 0 end return 0")


class QueueError(Exception):
    """Redis cannot be reached or refused: one line for the user, never a traceback."""


Entry = tuple[str, dict[str, str]]


class RedisQueue:
    def __init__(self, url: str, lease: float = 30.0, prefix: str = "kexie") -> None:
        try:
            self.r = redis.Redis.from_url(url, decode_responses=True, socket_timeout=30, socket_connect_timeout=10)
            self.r.ping()
        except (redis.RedisError, ValueError) as exc:
            raise QueueError(f"cannot use Redis at {url}: {exc}") from exc
        self.url = url
        self.lease_ms = int(lease * 1000)
        self.p = prefix
        self.jobs, self.pages, self.active = f"{prefix}:jobs", f"{prefix}:pages", f"{prefix}:active"
        for stream, group in ((self.jobs, JOBS_GROUP), (self.pages, PAGES_GROUP)):
            try:
                self.r.xgroup_create(stream, group, id="0", mkstream=True)
            except redis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise QueueError(f"Redis at {url}: {exc}") from exc

    # --- leases ---------------------------------------------------------------------
    def hold(self, name: str, holder: str, wait: float = 0.0) -> bool:
        """Take the lease `name` for `holder` (or keep it if it is already the holder's), waiting up to
        `wait` seconds for a dead holder's lease to expire."""
        key, deadline = f"{self.p}:{name}", time.monotonic() + wait
        while True:
            if self.r.set(key, holder, nx=True, px=self.lease_ms) or self.renew(name, holder):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))

    def renew(self, name: str, holder: str) -> bool:
        return bool(self.r.eval(_RENEW, 1, f"{self.p}:{name}", holder, self.lease_ms))

    def release(self, name: str, holder: str) -> None:
        self.r.eval(_RELEASE, 1, f"{self.p}:{name}", holder)

    def holder(self, name: str) -> str | None:
        return self.r.get(f"{self.p}:{name}")  # type: ignore[return-value]

    # --- jobs -----------------------------------------------------------------------
    def enqueue(self, site: str, run_id: int, job: str, known: Iterable[str]) -> str:
        """Queue a site's job, with the URLs its crawl must not fetch again."""
        key = f"{self.p}:known:{site}"
        pipe = self.r.pipeline()
        pipe.delete(key)
        urls = list(known)
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

    def known(self, site: str) -> set[str]:
        return self.r.smembers(f"{self.p}:known:{site}")  # type: ignore[return-value]

    def keep_jobs(self, worker: str, job_ids: Iterable[str]) -> None:
        """Heartbeat: this worker still works on these jobs (resets their idle time)."""
        ids: list[Any] = list(job_ids)
        if ids:
            self.r.xclaim(self.jobs, JOBS_GROUP, worker, 0, ids, justid=True)

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
        """The next messages for the archiver: first those it read before a restart but never acknowledged."""
        got: Any = self.r.xreadgroup(PAGES_GROUP, consumer, {self.pages: "0" if pending else ">"}, count=count,
                                     block=None if pending else block_ms)
        return [(entry_id, fields) for entry_id, fields in (got[0][1] if got else []) if fields]

    def done_pages(self, ids: list[str], known: dict[str, set[str]], finished: Iterable[str]) -> None:
        """After the archive committed: acknowledge and drop the messages, note what is now known,
        and end finished sites' queue entries."""
        pipe = self.r.pipeline()
        if ids:
            pipe.xack(self.pages, PAGES_GROUP, *ids)
            pipe.xdel(self.pages, *ids)
        active = set(self.active_sites())
        for site, urls in known.items():
            if site in active and urls:
                pipe.sadd(f"{self.p}:known:{site}", *urls)
        for site in finished:
            pipe.hdel(self.active, site)
            pipe.delete(f"{self.p}:known:{site}")
        pipe.execute()

    def pages_left(self) -> int:
        return int(self.r.xlen(self.pages))

    # --- status (kexie health) ------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        groups = {g["name"]: g for g in self.r.xinfo_groups(self.jobs)}
        consumers = self.r.xinfo_consumers(self.jobs, JOBS_GROUP) if JOBS_GROUP in groups else []
        workers = sorted(key.split(":", 2)[2] for key in self.r.scan_iter(f"{self.p}:worker:*"))
        return {
            "jobs_left": self.jobs_left(),
            "jobs_taken": {c["name"]: c["pending"] for c in consumers if c["pending"]},
            "workers": workers,
            "pages_waiting": self.pages_left(),
            "archiver": self.holder("archiver"),
            "active_sites": len(self.active_sites()),
        }
