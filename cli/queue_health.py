"""The distributed crawl's queue as `kexie health` shows it, and what in it needs a look."""

from __future__ import annotations

from typing import Any


def describe_queue(status: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Lines for a person, and flags: queued work that nobody will do."""
    taken = status["jobs_taken"]
    alive = ", ".join(status["workers"])
    lines = [
        f"site jobs left   {status['jobs_left']} ({sum(taken.values())} being crawled, "
        f"{status['jobs_left'] - sum(taken.values())} waiting)",
        f"workers alive    {len(status['workers'])}{': ' + alive if alive else ''}",
        *(f"  {name:14} {count} job(s) taken" for name, count in sorted(taken.items())),
        f"pages waiting    {status['pages_waiting']} (for the archiver)",
        f"archiver         {status['archiver'] or 'not running'}",
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
