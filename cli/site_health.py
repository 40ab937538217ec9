"""Crawl health: flag sites that went quiet, whose reject rate jumped, or whose crawls fail.

A site whose template changed does not fail loudly: its pages still download, but the
extractor finds no text or no date, so the reject rate jumps. A site that moved or died
yields nothing new for run after run. Both must reach a person (cron mails non-zero exits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archive.runs import pages_ever, recent_runs
from cli.refusals import refusal_flags  # an anti-bot challenge, answers of the wrong kind


@dataclass
class SiteHealth:
    site: str
    runs: int
    last_started: str | None
    last_stored: int
    last_reject_rate: float | None
    flags: list[str] = field(default_factory=list)


def _rate(run: dict[str, Any]) -> float | None:
    fetched = run["fetched"] or 0
    return (run["rejected"] or 0) / fetched if fetched else None


def site_health(site: str, runs: list[dict[str, Any]], quiet_runs: int = 5, jump: float = 0.3,
                pages_ever: int | None = None, running: bool = False) -> SiteHealth:
    """Judge one site from its runs, newest first (and how many article pages it ever gave, if known)."""
    last = runs[0] if runs else None
    health = SiteHealth(site, len(runs), last["started_at"] if last else None,
                        (last["stored"] or 0) if last else 0, _rate(last) if last else None)
    if not last:
        health.flags.append("never crawled")
        return health
    if not last["finished_at"]:
        if not running:  # running: its crawl holds the site's lock, or its job is in Redis
            health.flags.append("last crawl did not finish (killed: no crawl holds the site now)")
    elif last["finish_reason"] != "finished":
        health.flags.append(f"last crawl ended with {last['finish_reason']}")
    if last.get("lost"):
        health.flags.append(f"{last['lost']} fetched pages could not be stored (disk full? archive locked?)")
    # errors count requests that finally failed (after retries; robots.txt not counted), so a crawl
    # that got nothing and failed somewhere failed where it mattered: DNS, refused, 5xx, 404 …
    if last["finished_at"] and not (last["fetched"] or 0) and (last["errors"] or 0):
        health.flags.append(f"nothing fetched, {last['errors']} requests failed ({last['errors_by_status']})")
    health.flags += refusal_flags(last.get("errors_by_status"))
    finished = [r for r in runs if r["finished_at"]]
    if finished and pages_ever == 0 and not last.get("errors"):
        health.flags.append(f"no article page found in {len(finished)} crawls: does article_pattern match its links?")
    if len(finished) >= quiet_runs and all((r["stored"] or 0) == 0 for r in finished[:quiet_runs]):
        health.flags.append(f"nothing new in the last {quiet_runs} crawls")
    earlier = [x for x in (_rate(r) for r in finished[1:6]) if x is not None]
    now = _rate(finished[0]) if finished else None
    if now is not None and (finished[0]["fetched"] or 0) >= 3:
        baseline = sum(earlier) / len(earlier) if earlier else 0.0
        if now - baseline >= jump:
            health.flags.append(f"reject rate jumped to {now:.0%} (was {baseline:.0%}): template changed?")
    return health


def archive_health(db: Any, sites: list[str], quiet_runs: int = 5, jump: float = 0.3,
                   running: set[str] | None = None) -> list[SiteHealth]:
    """Health of each of these sites from the archive's crawl_runs (`running`: sites crawled now)."""
    return [site_health(site, recent_runs(db, site), quiet_runs, jump, pages_ever(db, site), site in (running or ()))
            for site in sites]
