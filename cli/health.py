"""`kexie health`: what needs a person's look, in the archive and in a distributed crawl's queue."""

from __future__ import annotations

import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import click

from archive.db import default_db_path
from archive.readonly import connect_read_only
from cli.common import DB_OPTION, exit_if_skipped, fail, usable_sites
from cli.queue_health import describe_queue, lost_runs, running_sites


@click.command()
@click.option("--sites-dir", type=click.Path(file_okay=False), default=None, help="Another folder of site files.")
@click.option("--quiet-runs", default=5, show_default=True, help="Flag a site with nothing new in this many crawls.")
@click.option("--jump", default=0.3, show_default=True, help="Flag a reject rate this much above the usual.")
@click.option("--redis", "redis_url", metavar="URL", default=None,
              help="Also show the distributed crawl's queue: jobs, workers, pages waiting for the archiver.")
@DB_OPTION
def health(sites_dir: str | None, quiet_runs: int, jump: float, redis_url: str | None, db: str | None) -> None:
    """Flag sites that yield nothing new, whose reject rate jumped, or whose crawls fail.

    Exits 1 when a site is flagged (or, with --redis, when queued work has no worker or no
    archiver), so cron mails it to someone.

    \b
    Examples:
      kexie health || echo "a site needs a look"
      kexie health --redis redis://queue.lan:6379/0
    """
    from cli.site_health import archive_health

    configs, errors = usable_sites(sites_dir)
    path = db or default_db_path()
    queue = _queue_status(redis_url) if redis_url else None
    running = running_sites(Path(path), list(configs), queue[1] if queue else None)
    conn = connect_read_only(path)  # health only reads: it works on read-only media too
    with closing(conn):
        report = archive_health(conn, list(configs), quiet_runs, jump, set(running))
        lost = lost_runs(conn, queue[0], queue[1]) if queue else []
    for h in report:
        rate = "-" if h.last_reject_rate is None else f"{h.last_reject_rate:.0%}"
        status = "; ".join(h.flags) if h.flags else running.get(h.site, "ok")
        click.echo(f"{h.site:14} runs {h.runs:3}  last {h.last_started or 'never':26} new {h.last_stored:4}"
                   f"  rejects {rate:>4}  {status}")
    queue_flags = _queue_health(redis_url, queue[1], lost) if queue and redis_url else []
    exit_if_skipped(errors)
    if any(h.flags for h in report) or queue_flags:
        sys.exit(1)


def _queue_status(redis_url: str) -> tuple[str, dict[str, Any]]:
    from distributed.queue import QueueError, RedisQueue

    try:
        queue = RedisQueue(redis_url)
        return queue.name, queue.status()
    except QueueError as exc:
        fail(str(exc))


def _queue_health(redis_url: str, status: dict[str, Any], lost: list[str]) -> list[str]:
    lines, flags = describe_queue(status)
    flags += lost
    click.echo("\nqueue " + redis_url)
    for line in lines:
        click.echo(f"  {line}")
    for flag in flags:
        click.echo(f"  FLAG: {flag}")
    return flags
