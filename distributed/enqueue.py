"""`kexie crawl --redis URL`: queue site jobs for the workers instead of crawling here.

Runs beside the archive: each queued site gets its crawl_runs row now, and its job carries
what the worker needs to fetch only what is new (crawler/sitestate.py), since workers have no
archive. A site already queued or being crawled is not queued twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from crawler.sitestate import begin_site, end_site
from distributed.queue import RedisQueue
from distributed.wire import SiteJob, encode_job
from siteconfig.sites import SiteConfig

logger = logging.getLogger(__name__)


def enqueue_sites(queue: RedisQueue, archive: Any, configs: Iterable[SiteConfig], full: bool) -> list[tuple[str, str]]:
    """Queue each site's job; returns (site, what happened) per site. A job that cannot be queued
    ends its crawl_runs row with the reason, so it is due again next time."""
    active = queue.active_sites()
    out = []
    for config in configs:
        if config.key in active:
            out.append((config.key, f"already queued or crawling (run {active[config.key]})"))
            continue
        start = begin_site(archive, config, full)
        try:
            queue.enqueue(config.key, start.run_id, encode_job(SiteJob(config, start, full)), start.known)
        except Exception as exc:
            end_site(archive, start.run_id, config.key, {"finish_reason": f"not queued: {exc}"[:200]})
            raise
        out.append((config.key, f"queued (run {start.run_id}, {len(start.known)} known URLs)"))
    return out
