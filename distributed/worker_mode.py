"""`kexie worker`'s crawl mode (crawler/mode.py): site jobs from Redis, writes to its pages stream.

Built by the CLI as a frozen description (Scrapy copies settings), opened once per crawler by the
crawl-mode extension: one Redis queue, one write queue into the stream (distributed/outbox.py) and
the job source (distributed/remotesites.py). A worker has no archive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scrapy.crawler import Crawler

from distributed.outbox import StreamWriter
from distributed.queue import RedisQueue
from distributed.remotesites import RemoteSites
from pipelines.shared import batch_limits
from siteconfig.sites import SiteConfig


@dataclass(frozen=True)
class RedisWorker:
    """A worker's crawl: `token` is this process's, in the worker name's lease (taken by the CLI)."""

    url: str
    name: str
    token: str
    lease: float = 30.0
    reconnect: float = 120.0
    until_done: bool = False

    def open(self, crawler: Crawler) -> WorkerMode:
        queue = RedisQueue(self.url, lease=self.lease, reconnect=self.reconnect)
        return WorkerMode(self, queue, StreamWriter(queue, **batch_limits(crawler.settings)))


class WorkerMode:
    archive = None  # the archiver writes the archive; a worker only sends

    def __init__(self, spec: RedisWorker, queue: RedisQueue, writer: StreamWriter) -> None:
        self.spec = spec
        self.queue = queue
        self.writer = writer

    def sites(self, crawler: Crawler, configs: Sequence[SiteConfig], full: bool, due_only: bool) -> RemoteSites:
        return RemoteSites(crawler, self.queue, self.writer, self.spec.name, self.spec.token, self.spec.until_done,
                           crawler.settings.getfloat("KEXIE_REDIS_POLL", 2.0))
