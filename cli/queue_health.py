"""The distributed crawl's queue as `kexie health` shows it, and what in it needs a look; and
which sites are being crawled right now (a running crawl is not a killed one)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from archive.remote_runs import queued_runs
from crawler.schedule import lock_held


def _age(status: dict[str, Any], name: str) -> str:
    age = status.get("beats", {}).get(name)
    return "no heartbeat" if age is None else f"last heartbeat {age:.1f} s ago"


def describe_queue(status: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Lines for a person, and flags: queued work that nobody will do."""
    taken = status["jobs_taken"]
    dead_workers = status.get("dead_workers", [])
    archiver_beat = _age(status, "archiver")
    lines = [
        f"site jobs left   {status['jobs_left']} ({sum(taken.values())} being crawled, "
        f"{status['jobs_left'] - sum(taken.values())} waiting)",
        f"workers alive    {len(status['workers'])}",
        *(f"  {name:14} {_age(status, 'worker:' + name)}" for name in status["workers"]),
        *([f"workers dead     {len(dead_workers)} (no heartbeat for two beats)"] if dead_workers else []),
        *(f"  {name:14} {_age(status, 'worker:' + name)}" for name in dead_workers),
        *(f"  {name:14} {count} job(s) taken" for name, count in sorted(taken.items())),
        f"pages waiting    {status['pages_waiting']} (for the archiver)",
        f"archiver         {status['archiver'] or 'not running'}"
        f"{'' if archiver_beat == 'no heartbeat' else f' ({archiver_beat})'}",
        f"sites in queue   {status['active_sites']}",
    ]
    flags = []
    if status["jobs_left"] and not status["workers"]:
        flags.append(f"{status['jobs_left']} site jobs but no worker is alive: start `kexie worker`")
    dead = sorted(set(taken) - set(status["workers"]))
    if dead:
        flags.append(f"jobs held by workers that are gone ({', '.join(dead)}): a live worker takes them over"
                     " once their lease expires")
    if (status["pages_waiting"] or status["active_sites"]) and not status["archiver"]:
        flags.append("pages or sites wait for the archiver, which is not running: start `kexie archiver`")
    return lines, flags


def lost_runs(conn: Any, queue_name: str, status: dict[str, Any]) -> list[str]:
    """Flags for runs queued to this Redis whose jobs it no longer has (it came back empty)."""
    try:
        runs = queued_runs(conn, queue_name)
    except sqlite3.OperationalError:  # an archive from before schema v8, read-only: nothing was queued with it
        return []
    return [f"{site}: run {run_id} was queued but Redis no longer has its job (restarted empty?): the next"
            " `kexie crawl --redis` ends it as lost and queues the site again"
            for run_id, site in runs if status["active"].get(site) != str(run_id)]


def running_sites(archive: Path, sites: list[str], status: dict[str, Any] | None) -> dict[str, str]:
    """Sites whose crawl is running now, and how: a local crawl holds the site's lock, or (with
    --redis) its job is in Redis, waiting for a worker or being crawled."""
    locks = archive.resolve().parent / "locks"
    running = {site: "queued or crawling" for site in (status["active"] if status is not None else ())}
    return running | {site: "crawling now" for site in sites if lock_held(locks, site)}
