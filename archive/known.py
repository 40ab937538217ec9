"""The article URLs a site already has in the archive: an incremental crawl does not fetch them again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


def known_urls(db: Any, site: str, refresh_days: float = 0.0, now: datetime | None = None) -> set[str]:
    """Canonical URLs archived for a site (articles, copies, rejects), minus the refresh window and
    the pages that were missing (404, 410: `missing` rejects are asked for again, they may come back)."""
    since = "9999"
    if refresh_days > 0:
        since = ((now or datetime.now(UTC)) - timedelta(days=refresh_days)).date().isoformat()
    rows = db.execute(
        "SELECT canonical_url FROM article_urls WHERE site = ? AND coalesce(published_at, '') < ?"
        " UNION SELECT canonical_url FROM rejects WHERE site = ? AND reason != 'missing'",
        [site, since, site],
    ).fetchall()
    return {r[0] for r in rows}
