"""A site's crawl_runs row from the crawl's stats.

One crawl works on many sites, so every count the store and the spider keep for a site is a
Scrapy stat under kexie/site/KEY/ (stored, rejected/REASON, errors/STATUS, lost…); the row is
read from them when the site's run ends.
"""

from __future__ import annotations

import json
from typing import Any


def run_counts(stats: dict[str, Any], site: str, reason: str, duration_s: float) -> dict[str, Any]:
    """crawl_runs columns of one site from the crawl's per-site stats (kexie/site/KEY/...)."""
    prefix = f"kexie/site/{site}/"
    mine = {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix)}
    rejects = {k.rsplit("/", 1)[1]: v for k, v in mine.items() if k.startswith("rejected/")}
    errors = {k.split("/", 1)[1]: v for k, v in mine.items() if k.startswith("errors/")}
    return {
        "finish_reason": reason,
        "requests": mine.get("requests", 0),
        "fetched": mine.get("fetched", 0),
        # a near copy is both: a stored article and a row of the duplicates view
        "stored": mine.get("stored", 0) + mine.get("near", 0),
        "duplicates": mine.get("duplicate", 0) + mine.get("near", 0),
        "unchanged": mine.get("unchanged", 0) + mine.get("changed", 0),
        "rejected": mine.get("rejected", 0),
        "lost": mine.get("lost", 0),
        "errors": sum(errors.values()),
        "rejects_by_reason": json.dumps(rejects, ensure_ascii=False),
        "errors_by_status": json.dumps(errors),
        "duration_s": round(duration_s, 3),
    }
