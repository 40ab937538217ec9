"""Learned boilerplate on disk: the per-site lines crawler/learned.py found repeated (table `learned_boilerplate`).

Kept in the archive, not re-derived at each crawl, because the evidence fades once a line is
learned: the next pages are cleaned without it, so its share of the stored texts falls and a
fresh derivation would let it back in (see crawler/learned.py for the rule).
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlite_utils


def recent_texts(db: sqlite_utils.Database, site: str, recent: int) -> list[str]:
    """The texts of the site's last `recent` articles, newest first."""
    rows = db.execute("SELECT text FROM articles WHERE site = ? ORDER BY id DESC LIMIT ?", [site, recent]).fetchall()
    return [row[0] or "" for row in rows]


def remember(db: sqlite_utils.Database, site: str, seen: Mapping[str, int], at: str) -> None:
    """Record lines seen repeated now (line → articles carrying it): new ones start at `at`,
    known ones get `at` as last_seen and their new count; lines not seen now are left as they are."""
    db.conn.executemany(
        "INSERT INTO learned_boilerplate (site, line, first_seen, last_seen, articles) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(site, line) DO UPDATE SET last_seen = excluded.last_seen, articles = excluded.articles",
        [(site, line, at, at, n) for line, n in seen.items()],
    )


def learned_lines(db: sqlite_utils.Database, site: str) -> list[str]:
    """Every line learned for the site, in a stable order."""
    rows = db.execute("SELECT line FROM learned_boilerplate WHERE site = ? ORDER BY line", [site]).fetchall()
    return [row[0] for row in rows]
