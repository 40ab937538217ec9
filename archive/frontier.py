"""The crawl's durable memory of unfinished work, per site: what is still to visit, and whether the
site's backlog has ever been walked to the end.

Why it lives in the archive: a crawl killed part-way, or a list page that failed with a 503,
must not lose the older backlog. Incremental runs stop paginating at a list page whose articles
are all known, so they never reach older pages again; they may do that only once a crawl of the
site walked every list page (`sites.backfill_completed_at`) and the site's last crawl left
nothing behind (`crawl_runs.complete`). Pages that failed for a reason that may pass (5xx,
timeouts, refused connections) wait in `frontier` and are requested again by the next run.
"""

from __future__ import annotations

from typing import Any

from archive.db import now_iso

MAX_ATTEMPTS = 5  # a page that failed this many crawls in a row stays in `frontier`, no longer requested


def resume(db: Any, site: str) -> list[tuple[str, str]]:
    """(url, kind) of the site's pages still to visit: pending from an interrupted run, or failed."""
    rows = db.execute("SELECT url, kind FROM frontier WHERE site = ? AND attempts < ? ORDER BY kind, updated_at",
                      [site, MAX_ATTEMPTS]).fetchall()
    return [(url, kind) for url, kind in rows]


def visiting(archive: Any, site: str, url: str, kind: str, run_id: int | None) -> None:
    """A list page, sitemap or feed was requested: pending until it is parsed."""
    archive.db.execute(
        "INSERT INTO frontier (site, url, kind, state, attempts, reason, run_id, updated_at)"
        " VALUES (?, ?, ?, 'pending', 0, '', ?, ?) ON CONFLICT(site, url) DO UPDATE SET"
        " state = CASE WHEN state = 'failed' THEN state ELSE 'pending' END, run_id = excluded.run_id",
        [site, url, kind, run_id, now_iso()],
    )


def visited(archive: Any, site: str, url: str) -> None:
    """Parsed or stored, or gone for good (404, robots.txt): nothing left to do there."""
    archive.db.execute("DELETE FROM frontier WHERE site = ? AND url = ?", [site, url])


def failed(archive: Any, site: str, url: str, kind: str, reason: str, run_id: int | None) -> None:
    """Failed for a reason that may pass: the next run asks again (up to MAX_ATTEMPTS crawls)."""
    archive.db.execute(
        "INSERT INTO frontier (site, url, kind, state, attempts, reason, run_id, updated_at)"
        " VALUES (?, ?, ?, 'failed', 1, ?, ?, ?) ON CONFLICT(site, url) DO UPDATE SET state = 'failed',"
        " attempts = attempts + 1, reason = excluded.reason, run_id = excluded.run_id,"
        " updated_at = excluded.updated_at",
        [site, url, kind, reason[:500], run_id, now_iso()],
    )


def may_stop_early(db: Any, site: str) -> bool:
    """Whether incremental pagination may stop at known articles: the backlog was walked once and
    the site's last crawl finished with nothing lost and no list page failed."""
    row = db.execute("SELECT backfill_completed_at FROM sites WHERE key = ?", [site]).fetchone()
    if not row or not row[0]:
        return False
    last = db.execute("SELECT complete FROM crawl_runs WHERE site = ? AND finished_at IS NOT NULL"
                      " AND id = (SELECT max(id) FROM crawl_runs WHERE site = ?)", [site, site]).fetchone()
    return bool(last and last[0])


def backfill_done(archive: Any, site: str) -> None:
    archive.db.execute("UPDATE sites SET backfill_completed_at = coalesce(backfill_completed_at, ?) WHERE key = ?",
                       [now_iso(), site])
