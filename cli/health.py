"""`kexie health`: what needs a person's look, in the archive and in a distributed crawl's queue."""

from __future__ import annotations

import sys
from typing import Any

import click

from cli.common import DB_OPTION, existing_archive, exit_if_skipped, fail, read_archive, usable_sites
from cli.queue_health import describe_queue, lost_runs, running_sites


@click.command()
@click.option("--sites-dir", type=click.Path(file_okay=False), default=None, help="Another folder of site files.")
@click.option("--quiet-runs", default=5, show_default=True, help="Flag a site with nothing new in this many crawls.")
@click.option("--jump", default=0.3, show_default=True, help="Flag a reject rate this much above the usual.")
@click.option("--strict", is_flag=True, help="Also flag the configured sites this archive has never crawled.")
@click.option("--redis", "redis_url", metavar="URL", default=None,
              help="Also show the distributed crawl's queue: jobs, workers, pages waiting for the archiver.")
@DB_OPTION
def health(sites_dir: str | None, quiet_runs: int, jump: float, strict: bool, redis_url: str | None,
           db: str | None) -> None:
    """Flag the archive's sites that yield nothing new, whose reject rate jumped, or whose crawls fail
    or were killed (a crawl running now is shown as running). Configured sites the archive has never
    crawled are listed apart, and flagged only with --strict.

    Exits 1 when a site is flagged (or, with --redis, when queued work has no worker or no
    archiver), so cron mails it to someone.

    \b
    Examples:
      kexie health || echo "a site needs a look"
      kexie health --redis redis://queue.lan:6379/0
    """
    from archive.runs import held_sites
    from cli.site_health import archive_health

    configs, errors = usable_sites(sites_dir)
    path = existing_archive(db)
    queue = _queue_status(redis_url) if redis_url else None
    with read_archive(db) as conn:  # health only reads: it works on read-only media too
        held = held_sites(conn)
        unheld = [key for key in configs if key not in held]
        judged = held + unheld if strict else held
        running = running_sites(path, judged, queue[1] if queue else None)
        report = archive_health(conn, judged, quiet_runs, jump, set(running))
        lost = lost_runs(conn, queue[0], queue[1]) if queue else []
    for h in report:
        rate = "-" if h.last_reject_rate is None else f"{h.last_reject_rate:.0%}"
        status = "; ".join(h.flags) if h.flags else running.get(h.site, "ok")
        click.echo(f"{h.site:14} runs {h.runs:3}  last {h.last_started or 'never':26} new {h.last_stored:4}"
                   f"  rejects {rate:>4}  {status}")
    if unheld and not strict:
        click.echo(f"\nconfigured but never crawled into this archive ({len(unheld)}; --strict flags them):")
        click.echo("  " + " ".join(unheld))
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
