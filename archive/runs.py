"""What the crawl and its reports read of `crawl_runs` (and of what each site has archived)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

_SUMMARY = ("site", "fetched", "stored", "duplicates", "unchanged", "rejected", "rejects_by_reason", "errors",
            "requests", "finish_reason", "lost")
_HEALTH = ("started_at", "finished_at", "finish_reason", "requests", "fetched", "stored", "rejected", "errors",
           "errors_by_status", "lost")


# what a running crawl's row shows while it goes (the crawl's end writes these again, with the rest)
LIVE_COUNTS = ("requests", "fetched", "stored", "duplicates", "unchanged", "rejected", "lost", "errors",
               "rejects_by_reason", "errors_by_status")


def note_running(db: Any, run_ids: Sequence[int], counts_of: Callable[[str], Mapping[str, Any]]) -> None:
    """Write the counts so far into these runs' rows while they go (those not finished yet), so health and
    `kexie sites` see a crawl at work and a killed crawl keeps what it did. Called inside a batch's
    transaction: the counts are of the batches before it, so nothing is counted that is not in the file."""
    rows = db.execute("SELECT id, site FROM crawl_runs WHERE id IN (SELECT value FROM json_each(?))"
                      " AND finished_at IS NULL", [json.dumps(list(run_ids))]).fetchall()
    for run_id, site in rows:
        counts = counts_of(site)
        db.execute(f"UPDATE crawl_runs SET {', '.join(f'{c} = ?' for c in LIVE_COUNTS)} WHERE id = ?",
                   [*(counts.get(c) for c in LIVE_COUNTS), run_id])


def last_finished_runs(db: Any, sites: Iterable[str] | None = None) -> dict[str, str]:
    """When each site's last finished crawl started; for a few sites, looked up one by one (the
    crawl asks for one site as its turn comes: no scan of the whole crawl_runs table)."""
    if sites is not None:
        found = ((site, db.execute("SELECT max(started_at) FROM crawl_runs WHERE site = ? AND finish_reason ="
                                   " 'finished'", [site]).fetchone()[0]) for site in sites)
        return {site: started for site, started in found if started}
    rows = db.execute(
        "SELECT site, max(started_at) FROM crawl_runs WHERE finish_reason = 'finished' GROUP BY site"
    ).fetchall()
    return {site: started for site, started in rows}


def run_summary(db: Any, run_ids: Sequence[int]) -> list[dict[str, Any]]:
    """These crawl_runs rows, for the per-site report of a crawl."""
    rows = db.execute(f"SELECT {', '.join(_SUMMARY)} FROM crawl_runs WHERE id IN (SELECT value FROM json_each(?))"
                      " ORDER BY site", [json.dumps(list(run_ids))]).fetchall()
    out = [dict(zip(_SUMMARY, row, strict=True)) for row in rows]
    for row in out:
        row["rejects_by_reason"] = json.loads(row["rejects_by_reason"] or "{}")
    return out


def recent_runs(db: Any, site: str, limit: int = 20) -> list[dict[str, Any]]:
    """A site's last runs, newest first (the columns an older archive has)."""
    present = {row[1] for row in db.execute("PRAGMA table_info(crawl_runs)").fetchall()}
    columns = tuple(c for c in _HEALTH if c in present)  # an archive from before a column was added
    rows = db.execute(f"SELECT {', '.join(columns)} FROM crawl_runs WHERE site = ? ORDER BY id DESC LIMIT ?",
                      [site, limit]).fetchall()
    return [dict(zip(columns, row, strict=True)) for row in rows]


def pages_ever(db: Any, site: str) -> int:
    """Article pages a site ever gave: stored (any kind of URL) or kept aside."""
    return int(db.execute("SELECT (SELECT count(*) FROM article_urls WHERE site = ?)"
                          " + (SELECT count(*) FROM rejects WHERE site = ?)", [site, site]).fetchone()[0])


def archived_sites(db: Any) -> list[tuple[str, str, str]]:
    """(key, name, config_path) of every site the archive has crawled."""
    return [tuple(row) for row in db.execute("SELECT key, name, config_path FROM sites").fetchall()]


def held_sites(db: Any) -> list[str]:
    """The sites this archive holds: any it has a site row, a crawl or an article of, sorted."""
    return [row[0] for row in db.execute("SELECT key FROM sites UNION SELECT site FROM crawl_runs"
                                         " UNION SELECT DISTINCT site FROM articles ORDER BY 1")]


def site_facets(db: Any) -> list[tuple[str, str, str]]:
    """(key, level, region) of every site the archive holds: what --site, --level and --region may name."""
    return [(row[0], row[1] or "", row[2] or "") for row in db.execute("SELECT key, level, region FROM sites")]


def totals(db: Any) -> tuple[int, int, int]:
    """Articles, duplicate copies and rejects in the whole archive."""
    return tuple(int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[return-value]
                 for t in ("articles", "duplicates", "rejects"))
