"""A site's crawl_runs row from the crawl's stats.

One crawl works on many sites, so every count the store and the spider keep for a site is a
Scrapy stat under kexie/site/KEY/ (stored, rejected/REASON, errors/STATUS, lost…); the row is
read from them when the site's run ends.
"""

from __future__ import annotations

import json
from typing import Any

from archive.outcomes import RUN_COUNTERS, Outcome


def run_counts(stats: dict[str, Any], site: str, reason: str, duration_s: float) -> dict[str, Any]:
    """crawl_runs columns of one site from the crawl's per-site stats (kexie/site/KEY/...)."""
    prefix = f"kexie/site/{site}/"
    mine = {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix)}
    rejects = {k.rsplit("/", 1)[1]: v for k, v in mine.items() if k.startswith("rejected/")}
    errors = {k.split("/", 1)[1]: v for k, v in mine.items() if k.startswith("errors/")}
    # each outcome's stat adds to the columns archive/outcomes.py declares for it
    counters = {column: sum(mine.get(o, 0) for o in Outcome if column in o.counters) for column in RUN_COUNTERS}
    return {
        "finish_reason": reason,
        "requests": mine.get("requests", 0),
        "fetched": mine.get("fetched", 0),
        **counters,
        "errors": sum(errors.values()),
        "rejects_by_reason": json.dumps(rejects, ensure_ascii=False),
        "errors_by_status": json.dumps(errors),
        "duration_s": round(duration_s, 3),
    }
