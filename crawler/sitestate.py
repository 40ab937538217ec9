"""What a site's run starts from, read from the archive, and how its end is recorded there.

One place for both kinds of crawl: a local crawl reads it when the site's turn comes; a
distributed crawl (`kexie crawl --redis`) reads it when it queues the site's job, and sends
it to the worker with the job, since workers have no archive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from archive import frontier
from archive.known import known_urls
from archive.learned import learned_container
from archive.writer import immediate
from crawler.learned import learn, site_boilerplate
from crawler.schedule import last_finished_runs
from dedupe.write import site_row
from extract.container import Container
from siteconfig.sites import SiteConfig


@dataclass
class SiteStart:
    """A site's crawl_runs row and what its crawl needs to fetch only what is new."""

    run_id: int
    known: set[str]  # canonical URLs not to fetch again
    last_run: str | None  # when the last finished crawl started (sitemap lastmod cut-off)
    boilerplate: tuple[str, ...]  # the site file's patterns and the lines learned from its archive
    stop_early: bool  # incremental pagination may stop at known articles
    resume: list[tuple[str, str]]  # (url, kind) an earlier crawl left to visit
    container: Container | None = None  # the main-content container its last crawls learned (extract/learning.py)
    # a distributed crawl's worker has no archive to ask (distributed/enqueue.py fills these; None: ask it):
    known_attachments: set[str] | None = None  # attachment URLs (canonical) archived
    linked: dict[str, tuple[str, str]] = field(default_factory=dict)  # resumed attachment -> (page, link text)


def begin_site(archive: Any, config: SiteConfig, full: bool) -> SiteStart:
    """Start the site's crawl_runs row, learn from its archived texts (crawler/learned.py) and read
    what its crawl starts from."""
    db = archive.db
    stop_early = not full and frontier.may_stop_early(db, config.key)
    with immediate(db):
        archive.upsert_site(site_row(config))
        run_id = archive.start_run(config.key)
        learn(db, config.key)
    return SiteStart(
        run_id=run_id, stop_early=stop_early,
        known=set() if full else known_urls(db, config.key, config.refresh_days),
        last_run=None if full else last_finished_runs(db, [config.key]).get(config.key),
        boilerplate=site_boilerplate(db, config.key, config.boilerplate),
        resume=frontier.resume(db, config.key), container=learned_container(db, config.key),
    )


def end_site(archive: Any, run_id: int, site: str, counts: Mapping[str, Any]) -> None:
    """Finish the site's crawl_runs row; a complete run also completes the site's backfill."""
    with immediate(archive.db):
        archive.finish_run(run_id, counts)
        if counts.get("complete"):
            frontier.backfill_done(archive, site)
