"""The near-duplicate index on disk: MinHash signatures, LSH band keys and the links between copies.

Kept in SQLite rather than in memory so a crawl checks a new text against the whole archive
with a few indexed lookups, whatever the archive's size, and starts without loading anything.
Clusters are stars: `near_duplicates.original_id` is never itself a near copy, so a search
that hides near copies always shows the original.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlite_utils


@cache
def _insert_bands(count: int) -> str:
    return "INSERT OR IGNORE INTO near_bands (band_key, article_id) VALUES " + ", ".join(["(?, ?)"] * count)


class NearIndex:
    """Reads and writes of the v3 tables near_signatures and near_bands, and of near_duplicates."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # --- sketches -------------------------------------------------------------------
    def add(self, article_id: int, shingles: int, signature: bytes, keys: list[int]) -> None:
        """Index an article's sketch; the caller removes an older one first (it knows its keys)."""
        self.db.execute("INSERT OR REPLACE INTO near_signatures (article_id, shingles, signature) VALUES (?, ?, ?)",
                        [article_id, shingles, signature])
        if keys:  # one statement for all its bands: ~30 % cheaper than executemany's one row at a time
            self.db.conn.execute(_insert_bands(len(keys)), [value for key in keys for value in (key, article_id)])

    def remove(self, article_id: int, keys: list[int] | None = None) -> None:
        """Drop an article's sketch; its band rows are found by their keys (no second index needed)."""
        if keys:
            self.db.conn.executemany("DELETE FROM near_bands WHERE band_key = ? AND article_id = ?",
                                     [(key, article_id) for key in keys])
        self.db.execute("DELETE FROM near_signatures WHERE article_id = ?", [article_id])

    def signature(self, article_id: int) -> tuple[int, bytes] | None:
        row = self.db.execute("SELECT shingles, signature FROM near_signatures WHERE article_id = ?",
                              [article_id]).fetchone()
        return (int(row[0]), bytes(row[1])) if row else None

    def candidates(self, keys: list[int], limit: int) -> list[tuple[int, int, bytes]]:
        """(article_id, shingles, signature) of articles sharing a band key, most shared bands first.

        `limit` bounds the work when a template fills many bands with the same keys."""
        if not keys:
            return []
        marks = ", ".join("?" * len(keys))
        rows = self.db.execute(
            "SELECT s.article_id, s.shingles, s.signature FROM (SELECT article_id, count(*) AS shared"
            f" FROM near_bands WHERE band_key IN ({marks}) GROUP BY article_id ORDER BY shared DESC, article_id"
            " LIMIT ?) c JOIN near_signatures s ON s.article_id = c.article_id ORDER BY c.shared DESC, c.article_id",
            [*keys, limit],
        ).fetchall()
        return [(int(r[0]), int(r[1]), bytes(r[2])) for r in rows]

    def unindexed(self) -> list[int]:
        """Articles stored before the index existed (or by an older writer), in id order. Every
        signature row belongs to an article, so equal counts (two index scans) mean none."""
        counts = self.db.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM near_signatures)")
        if len(set(counts.fetchone())) == 1:
            return []
        rows = self.db.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM near_signatures) ORDER BY id"
        ).fetchall()
        return [int(r[0]) for r in rows]

    # --- links ------------------------------------------------------------------------
    def original_of(self, article_id: int) -> int | None:
        row = self.db.execute("SELECT original_id FROM near_duplicates WHERE article_id = ?", [article_id]).fetchone()
        return int(row[0]) if row else None

    def members(self, original_id: int) -> list[int]:
        rows = self.db.execute("SELECT article_id FROM near_duplicates WHERE original_id = ? ORDER BY article_id",
                               [original_id]).fetchall()
        return [int(r[0]) for r in rows]

    def link(self, article_id: int, original_id: int, similarity: float, detected_at: str) -> None:
        """Record (or move) a near copy under its original."""
        self.db.execute(
            "INSERT INTO near_duplicates (article_id, original_id, similarity, detected_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(article_id) DO UPDATE SET original_id = excluded.original_id,"
            " similarity = excluded.similarity, detected_at = excluded.detected_at",
            [article_id, original_id, round(similarity, 4), detected_at],
        )

    def unlink(self, article_id: int) -> None:
        self.db.execute("DELETE FROM near_duplicates WHERE article_id = ?", [article_id])

    def texts(self, ids: list[int]) -> dict[int, str]:
        """Current texts of a few articles (candidates to verify), by id."""
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows: list[Any] = self.db.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", ids).fetchall()
        return {int(r[0]): r[1] or "" for r in rows}
