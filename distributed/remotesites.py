"""Where a worker's sites come from: site jobs in Redis (distributed/queue.py), each taken with the
site's lease so no other worker fetches the site meanwhile.

A job is acknowledged only once every page of its site is in the pages stream, followed by
the run's end; a worker that dies leaves its jobs pending, and another worker (or itself,
restarted under the same name) takes them over when their lease expires. A heartbeat renews
the worker's leases; every Redis command rides out a Redis restart (distributed/leases.py,
`--reconnect`), and a worker that still cannot reach Redis after that stops its crawl (exit 1).

Sites are shared between workers as they are taken: while it has room, a worker takes sites
up to its fair share of the jobs left (jobs left / live workers), so workers started together
split the queue instead of the first one taking a batch; it looks again as one of its sites
ends and every poll. A job this worker could not finish (Redis lost,
pages not sent) is taken again only after a growing pause, with the site's counts begun anew.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import redis
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from crawler.sitestate import SiteStart
from crawler.throttle import add_site_politeness
from dedupe.writes import RunBegin, RunEnd
from distributed.queue import RedisQueue
from distributed.wire import decode_job
from siteconfig.sites import SiteConfig

logger = logging.getLogger(__name__)


def take_worker_name(queue: RedisQueue, name: str) -> str | None:
    """This process's token in the worker name's lease, or None if a live process has the name."""
    token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    return token if queue.hold(f"worker:{name}", token, wait=2 * queue.lease_ms / 1000) else None


class RemoteSites:
    skipped: list[tuple[str, str]]

    def __init__(self, crawler: Crawler, queue: RedisQueue, writer: Any, name: str, token: str, until_done: bool,
                 poll: float) -> None:
        self.crawler = crawler
        self.queue = queue
        self.writer = writer  # distributed/outbox.py's StreamWriter: the pages stream
        self.name = name
        self.token = token  # this process's, in the worker name's lease
        self.until_done = until_done
        self.poll_seconds = poll
        self.jobs: dict[str, str] = {}  # site key -> job id, for the sites this worker crawls now
        self.later: dict[str, float] = {}  # job id -> when to look at it again (site lease held, job failed here)
        self.retakes: dict[str, int] = {}  # job id -> how often this worker had to give it up
        self.skipped = []
        self.failed = 0
        self.ending = False
        self.ending_for_redis = False  # Redis out of reach for longer than half a lease: the crawl is closing
        self.last_beat = time.monotonic()
        self.max_waiting = crawler.settings.getint("KEXIE_REDIS_MAX_WAITING", 50_000)
        self.said_full = 0.0
        self.beat = task.LoopingCall(self.heartbeat)
        # made as the spider opens (crawler/spiders/site.py open_runs): the leases are renewed from now on
        self.beat.start(self.queue.lease_ms / 3000, now=True)

    def take(self) -> tuple[SiteConfig, SiteStart, str] | None:
        if self.ending:
            return None
        now = time.monotonic()
        self.later = {job: when for job, when in self.later.items() if when > now}
        try:
            if self.archiver_behind() or self.has_share():
                return None
            got = self.queue.take_job(self.name, set(self.jobs.values()) | set(self.later))
            if got is None:
                return None
            job_id, fields = got
            site = fields["site"]
            if not self.queue.hold(f"site:{site}", self.name):
                logger.warning("%s: another worker (%s) still holds the site; its job waits", site,
                               self.queue.holder(f"site:{site}"))
                self.later[job_id] = now + self.queue.lease_ms / 1000
                return None
            job = decode_job(fields["job"], self.queue.known(site), self.queue.known_attachments(site))
        except redis.RedisError as exc:
            logger.error("cannot take a job from Redis: %s", exc)
            return None
        self.jobs[site] = job_id
        self.fresh_counts(site)
        add_site_politeness(self.crawler, job.config)
        self.writer.archives[site] = (job.archive, job.archive_path)
        self.writer.add(RunBegin(job.start.run_id, site, self.name, datetime.now(UTC).isoformat(timespec="seconds")))
        logger.info("%s: crawling (job %s, run %d)", site, job_id, job.start.run_id)
        return job.config, job.start, job_id

    def has_share(self) -> bool:
        """Whether this worker already crawls its fair share of the jobs left (it always may take one)."""
        if not self.jobs:
            return False
        return len(self.jobs) >= -(-self.queue.jobs_left() // max(1, self.queue.live_workers()))

    def fresh_counts(self, site: str) -> None:
        """The site's counts (kexie/site/KEY/…) begin at zero with each job: a job taken again after a
        failure must not inherit the pages the failed attempt lost."""
        stats = self.crawler.stats.get_stats()  # type: ignore[union-attr]
        for key in [k for k in stats if k.startswith(f"kexie/site/{site}/")]:
            del stats[key]

    def give_up(self, job_id: str) -> None:
        """This worker could not finish the job: it stays queued; this worker takes it again only after
        a pause that doubles each time (another worker may take it meanwhile, once its lease expires)."""
        tries = self.retakes[job_id] = self.retakes.get(job_id, 0) + 1
        self.later[job_id] = time.monotonic() + min(self.queue.lease_ms / 1000, 2.0 ** tries)

    def archiver_behind(self) -> bool:
        """Backpressure: no new site while more than KEXIE_REDIS_MAX_WAITING pages wait for the
        archiver (it is down or slow): Redis would fill up with page bodies."""
        waiting = self.queue.pages_left()
        if waiting <= self.max_waiting:
            return False
        if time.monotonic() - self.said_full > 60:
            logger.warning("%d pages wait for the archiver (more than KEXIE_REDIS_MAX_WAITING=%d): no new site"
                           " until it catches up", waiting, self.max_waiting)
            self.said_full = time.monotonic()
        return True

    def exhausted(self) -> bool:
        if self.ending:
            return True
        try:
            return self.until_done and not self.jobs and not self.queue.jobs_left()
        except redis.RedisError:
            return False

    def end(self, run: Any, counts: dict[str, Any]) -> None:
        """The run's end goes to the archiver after all its pages; then the job is done. A run that
        was interrupted (SIGTERM, Redis lost) or could not send every page keeps its job pending,
        so the site is crawled again, by another worker once the lease expires."""
        if counts["finish_reason"] != "finished":
            logger.info("%s: interrupted (%s); its job stays queued for the next worker", run.key,
                        counts["finish_reason"])
            self.give_up(run.job)
            return
        if counts["lost"]:
            self.give_up(run.job)
            raise RuntimeError(f"{counts['lost']} pages could not be sent to Redis; the job stays queued")
        writer = self.writer
        worker_counts = {k: counts[k] for k in ("finish_reason", "requests", "errors", "errors_by_status",
                                                "duration_s", "complete")}
        writer.add(RunEnd(run.run_id, run.key, self.name, worker_counts))
        error = writer.flush()
        if error is not None:
            self.give_up(run.job)
            raise error
        self.queue.ack_job(run.job)
        self.retakes.pop(run.job, None)

    def release(self, key: str) -> None:
        self.jobs.pop(key, None)
        if self.ending_for_redis:  # each call would wait out --reconnect again; the lease expires by itself
            return
        try:
            self.queue.release(f"site:{key}", self.name)
        except redis.RedisError as exc:  # the lease expires by itself
            logger.warning("%s: could not release the site's lease: %s", key, exc)

    def heartbeat(self) -> None:
        """Renew this worker's leases. A lease another worker took (this one stalled longer than the
        lease) stops the crawl at once; Redis out of reach stops it after half a lease."""
        try:
            lost = [] if self.queue.renew(f"worker:{self.name}", self.token) else [f"worker {self.name}"]
            self.queue.beat(f"worker:{self.name}", self.queue.lease_ms / 3000)
            self.queue.keep_jobs(self.name, self.jobs.values())
            lost += [f"site {site}" for site in self.jobs if not self.queue.renew(f"site:{site}", self.name)]
            if lost:
                self.last_beat = 0.0
                raise redis.RedisError(f"the lease of {', '.join(lost)} passed to another process")
            self.last_beat = time.monotonic()
        except redis.RedisError as exc:
            logger.error("heartbeat failed: %s", exc)
            if (time.monotonic() - self.last_beat > self.queue.lease_ms / 2000 and self.crawler.engine is not None
                    and not self.ending):
                self.ending = self.ending_for_redis = True
                self.crawler.stats.set_value("kexie/redis_lost", str(exc))  # type: ignore[union-attr]
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="redis_unreachable"))

    def stop(self) -> None:
        self.ending = True

    def close(self) -> None:
        if self.beat.running:
            self.beat.stop()
        if self.ending_for_redis:  # the name's lease expires by itself
            return
        with contextlib.suppress(redis.RedisError):
            self.queue.release(f"worker:{self.name}", self.token)
            self.queue.unbeat(f"worker:{self.name}")
