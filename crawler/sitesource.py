"""Which source a crawl's sites come from: local site files, or a Redis job queue on a worker."""

from __future__ import annotations

from collections.abc import Sequence

from scrapy.crawler import Crawler

from crawler.localsites import LocalSites
from crawler.siteruns import SiteSource
from pipelines.shared import archive_for, batch_limits, use_writer
from siteconfig.sites import SiteConfig


def site_source(crawler: Crawler, configs: Sequence[SiteConfig], full: bool, due_only: bool) -> SiteSource:
    """A worker (KEXIE_REDIS_URL set by `kexie worker`) takes site jobs from Redis and has no
    archive; any other crawl crawls the sites it was given into its archive."""
    if crawler.settings.get("KEXIE_REDIS_URL"):
        from crawler.outbox import StreamWriter
        from crawler.remotesites import RemoteSites, queue_for

        use_writer(crawler, StreamWriter(queue_for(crawler), **batch_limits(crawler)))
        return RemoteSites.from_crawler(crawler)
    return LocalSites(archive_for(crawler), configs, full, due_only)
