"""Learned boilerplate on disk: the per-site lines crawler/learned.py found repeated (table `learned_boilerplate`),
and each site's learned main-content container (table `learned_containers`, extract/learning.py).

Kept in the archive, not re-derived at each crawl, because the evidence fades once a line is
learned: the next pages are cleaned without it, so its share of the stored texts falls and a
fresh derivation would let it back in (see crawler/learned.py for the rule). A container is kept so
that a site's next crawl uses it from its first page instead of learning it again from its pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import sqlite_utils

from archive.db import now_iso
from extract.container import Container


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


def keep_container(db: sqlite_utils.Database, site: str, container: Container | None, run_id: int | None) -> None:
    """The site's container as its crawl learned it (replacing any older one), or None: dropped, forgotten."""
    if container is None:
        db.execute("DELETE FROM learned_containers WHERE site = ?", [site])
        return
    db.execute(
        "INSERT OR REPLACE INTO learned_containers (site, xpath, chars, link_share, extra, run_id, learned_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [site, container.xpath, container.chars, container.link_share,
         json.dumps(list(container.extra), ensure_ascii=False), run_id, now_iso()],
    )


def learned_container(db: sqlite_utils.Database, site: str) -> Container | None:
    """The container the site's last crawls learned and kept, if any."""
    row = db.execute("SELECT xpath, chars, link_share, extra FROM learned_containers WHERE site = ?",
                     [site]).fetchone()
    return None if row is None else Container(row[0], int(row[1]), float(row[2]), tuple(json.loads(row[3] or "[]")))
