"""`kexie worker` and `kexie archiver`: a crawl spread over machines through one Redis server.

`kexie crawl --due --redis URL` (beside the archive) queues site jobs; any number of
`kexie worker --redis URL` on any machines fetch and extract them; one `kexie archiver --redis
URL` (beside the archive) stores what they send. See README, "Crawling on several machines".
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from pathlib import Path

import click

from archive.db import default_db_path
from cli.common import DB_OPTION, fail, open_archive

REDIS_OPTION = click.option("--redis", "redis_url", envvar="KEXIE_REDIS", required=True, metavar="URL",
                            help="The Redis server of the distributed crawl, e.g. redis://queue.lan:6379/0 (or"
                                 " $KEXIE_REDIS).")
LEASE_OPTION = click.option("--lease", default=30.0, show_default=True, type=click.FloatRange(1, 3600),
                            help="Seconds after which a silent worker's jobs (or a silent archiver's lease) pass"
                                 " to another; the same on every machine.")


RECONNECT_OPTION = click.option("--reconnect", default=120.0, show_default=True, type=click.FloatRange(0, 86_400),
                                help="Seconds to keep trying, with growing pauses, while Redis cannot be reached"
                                     " (a restart); then stop with an error.")


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kexie" / "httpcache"


@click.command()
@REDIS_OPTION
@click.option("--name", default=socket.gethostname(), show_default="this host's name",
              help="This worker's name, unique per process; a restarted worker takes its own jobs back.")
@click.option("--sites", default=50, show_default=True, type=click.IntRange(1, 100_000),
              help="Sites this worker crawls at once (each at its own polite pace).")
@click.option("--exit-when-done", is_flag=True, help="Exit once no job is queued or running (else wait for"
              " more, as a service).")
@LEASE_OPTION
@RECONNECT_OPTION
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help=f"HTTP cache for list pages. [default: {_cache_dir()}]")
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting.")
def worker(redis_url: str, name: str, sites: int, exit_when_done: bool, lease: float, reconnect: float,
           cache_dir: str | None, overrides: tuple[str, ...]) -> None:
    """Fetch and extract queued sites, and send the pages to the archiver.

    Exits 1 when pages could not be sent to Redis or Redis was lost (the jobs concerned stay
    queued and are crawled again), 0 otherwise.

    \b
    Example:
      kexie worker --redis redis://queue.lan:6379/0 --name crawler-2
    """
    from crawler.runner import crawl_settings, run_crawl
    from distributed.queue import QueueError, RedisQueue
    from distributed.remotesites import take_worker_name
    from distributed.worker_mode import RedisWorker

    for item in overrides:
        if "=" not in item or not item.partition("=")[0].strip():
            fail(f"-s {item}: give a Scrapy setting as NAME=VALUE")
    try:
        queue = RedisQueue(redis_url, lease=lease, reconnect=reconnect)  # a clear error now, not in Scrapy's start
    except QueueError as exc:
        fail(str(exc))
    token = take_worker_name(queue, name)
    if token is None:
        fail(f"another worker named {name!r} is running ({queue.holder(f'worker:{name}')}): give each worker its"
             " own --name")
    settings = crawl_settings(None, dict(item.split("=", 1) for item in overrides), log_level="INFO")
    for setting, value in (("KEXIE_ACTIVE_SITES", sites),
                           ("HTTPCACHE_DIR", cache_dir or str(_cache_dir())),
                           ("CONCURRENT_REQUESTS", min(max(16, 2 * sites), settings.getint("KEXIE_MAX_CONCURRENCY")))):
        settings.set(setting, value, priority="spider")  # below -s NAME=VALUE
    mode = RedisWorker(redis_url, name, token, lease=lease, reconnect=reconnect, until_done=exit_when_done)
    result = run_crawl([], settings, mode=mode)
    for problem in result.problems():
        click.echo(f"error: {problem}", err=True)
    if result.problems():
        sys.exit(1)


@click.command()
@REDIS_OPTION
@DB_OPTION
@click.option("--batch", default=100, show_default=True, type=click.IntRange(1, 10_000),
              help="Pages written in one transaction.")
@click.option("--exit-when-done", is_flag=True, help="Exit once no site is queued or crawling and every page is"
              " stored (else wait for more, as a service).")
@LEASE_OPTION
@RECONNECT_OPTION
def archiver(redis_url: str, db: str | None, batch: int, exit_when_done: bool, lease: float, reconnect: float) -> None:
    """Store the pages the workers send: dedupe, store and search index, one writer.

    Messages are acknowledged only once committed. Exits 2, with what it read still waiting in
    Redis, when the archive or Redis cannot be used, when a page cannot be stored, or when the
    pages were queued from another archive. It never creates an archive: it needs the one
    `kexie crawl --redis` queued from (--db, $KEXIE_DB, or the default archive if it exists).

    \b
    Example:
      kexie archiver --redis redis://queue.lan:6379/0 --db /srv/kexie/archive.db
    """
    from distributed.archiver import Archiver
    from distributed.queue import QueueError, RedisQueue

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    try:
        queue = RedisQueue(redis_url, lease=lease, reconnect=reconnect)
    except QueueError as exc:
        fail(str(exc))
    path = Path(db or default_db_path())
    if not path.is_file():
        fail(f"there is no archive {path}: the archiver stores into the archive `kexie crawl --redis` queued"
             " from (give it with --db or KEXIE_DB); it never creates one")
    archive = open_archive(str(path))
    try:
        status = Archiver(queue, archive, batch=batch).run(exit_when_done)
    except RuntimeError as exc:  # another archiver holds the lease, this one lost it, or it cannot store a batch
        fail(str(exc))
    finally:
        archive.close()
    sys.exit(status)
