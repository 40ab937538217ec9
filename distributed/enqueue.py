"""`kexie crawl --redis URL`: queue site jobs for the workers instead of crawling here.

Runs beside the archive: each queued site gets its crawl_runs row now, and its job carries
what the worker needs to fetch only what is new (crawler/sitestate.py), since workers have no
archive. A site already queued or being crawled is not queued twice.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable
from typing import Any

from archive import remote_runs
from archive.attachments import known_attachment_urls, linked_as
from archive.identity import archive_id
from archive.writer import immediate
from crawler.sitestate import begin_site, end_site
from distributed.queue import QueueError, RedisQueue
from distributed.wire import SiteJob, encode_job
from extract.fingerprint import canonical_url
from siteconfig.sites import SiteConfig

logger = logging.getLogger(__name__)


def lost_runs(queue: RedisQueue, db: Any) -> list[tuple[int, str]]:
    """(run id, site) of the runs queued to this Redis whose jobs it no longer has (it came back
    empty): not finished in the archive, and not in Redis's map of queued or running sites."""
    active = queue.active_sites()
    return [(run_id, site) for run_id, site in remote_runs.queued_runs(db, queue.name)
            if active.get(site) != str(run_id)]


def enqueue_sites(queue: RedisQueue, archive: Any, configs: Iterable[SiteConfig], full: bool) -> list[tuple[str, str]]:
    """Queue each site's job; returns (site, what happened) per site. A job that cannot be queued
    ends its crawl_runs row with the reason, so it is due again next time. Runs whose jobs Redis
    lost are ended as `lost` first, so their sites (due again) are queued anew. One enqueuer at a
    time (a lease): another one's run, begun but not queued yet, is not taken for lost."""
    token = f"{socket.gethostname()}:{os.getpid()}"
    if not queue.hold("enqueuer", token, wait=queue.lease_ms / 1000):
        raise QueueError(f"another `kexie crawl --redis` ({queue.holder('enqueuer')}) is queueing sites")
    try:
        return _enqueue(queue, archive, configs, full, token)
    finally:
        queue.release("enqueuer", token)


def _enqueue(queue: RedisQueue, archive: Any, configs: Iterable[SiteConfig], full: bool,
             token: str) -> list[tuple[str, str]]:
    out = []
    lost = lost_runs(queue, archive.db)
    if lost:
        with immediate(archive.db):
            remote_runs.mark_lost(archive.db, [run_id for run_id, _ in lost])
        out += [(site, f"run {run_id} lost: Redis no longer has its job (restarted empty?)") for run_id, site in lost]
    active = queue.active_sites()
    identity, path = archive_id(archive.db), str(archive.path.resolve())
    for config in configs:
        queue.renew("enqueuer", token)
        if config.key in active:
            out.append((config.key, f"already queued or crawling (run {active[config.key]})"))
            continue
        start = begin_site(archive, config, full)
        # what a local crawl asks its archive of attachments as it goes (crawler/spiders/attachments.py)
        start.known_attachments = set() if full else known_attachment_urls(archive.db, config.key)
        start.linked = {url: linked_as(archive.db, canonical_url(url)) for url, kind in start.resume
                        if kind == "attachment"}
        job = encode_job(SiteJob(config, start, full, identity, path))
        try:
            with immediate(archive.db):
                remote_runs.mark_queued(archive.db, start.run_id, queue.name)
            queue.enqueue(config.key, start.run_id, job, start.known, start.known_attachments)
        except Exception as exc:
            end_site(archive, start.run_id, config.key, {"finish_reason": f"not queued: {exc}"[:200]})
            raise
        out.append((config.key, f"queued (run {start.run_id}, {len(start.known)} known URLs)"))
    return out
