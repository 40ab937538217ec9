"""Texts seen at more than one place, read for `kexie duplicates`: each original with its copies."""

from __future__ import annotations

from contextlib import closing
from itertools import groupby
from pathlib import Path
from typing import Any

from archive.queries import connect_read_only

_CLUSTERS = """
WITH picked AS (
    SELECT DISTINCT c.cluster_id, a.published_at FROM duplicate_clusters c JOIN articles a ON a.id = c.cluster_id
    WHERE :site IS NULL OR c.site = :site
    ORDER BY a.published_at DESC, c.cluster_id LIMIT :limit)
SELECT c.cluster_id, a.title AS cluster_title, a.published_at AS cluster_published_at, c.article_id, c.kind,
       c.similarity, c.site, c.site_name, c.official, c.spam, c.url, c.title, c.published_at
FROM duplicate_clusters c JOIN articles a ON a.id = c.cluster_id
WHERE c.cluster_id IN (SELECT cluster_id FROM picked)  -- one pass over the view, not one per cluster
ORDER BY a.published_at DESC, c.cluster_id, c.kind != 'original', c.similarity DESC, c.published_at, c.url
"""


def clusters(path: str | Path, site: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Clusters, newest original first: {cluster_id, title, published_at, places: [original, copies…]}."""
    with closing(connect_read_only(path)) as conn:
        rows = conn.execute(_CLUSTERS, {"site": site, "limit": limit if limit > 0 else -1}).fetchall()
    out = []
    for cluster_id, group in groupby(rows, key=lambda r: r["cluster_id"]):
        places = [dict(r) for r in group]
        title, published_at = places[0]["cluster_title"], places[0]["cluster_published_at"]
        for place in places:
            for key in ("cluster_id", "cluster_title", "cluster_published_at"):
                del place[key]
            place["official"], place["spam"] = bool(place["official"]), bool(place["spam"])
        out.append({"cluster_id": cluster_id, "title": title, "published_at": published_at, "places": places})
    return out
