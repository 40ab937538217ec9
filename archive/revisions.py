"""Writes that rework a stored article: a new version of its text, and a re-extraction's new fields.

A mixin of Archive (archive/db.py), so the crawl's store stage and `kexie reextract` change
articles through the same object, which also holds the near-duplicate index they keep in step;
and the reads `kexie reextract` starts from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any

import sqlite_utils

from extract.page import ROW, Page, names


@cache
def _row_names() -> tuple[str, ...]:
    """The `articles` columns a Page fills (once: dataclasses.fields() for every page was ~3 % of a write)."""
    return names(Page, ROW)


class Revisions:
    """Archive's writes of a changed article (the crawl's versions, the re-extraction's fields)."""

    db: sqlite_utils.Database

    def _article_fields(self, page: Page, page_id: int, extractor_version: str) -> dict[str, Any]:
        """The page's row in `articles`: the fields extract/page.py declares ROW, and where it came from."""
        return {**{name: getattr(page, name) for name in _row_names()},
                "extractor_version": extractor_version, "page_id": page_id}

    def add_version(self, article_id: int, page: Page, page_id: int, extractor_version: str) -> tuple[int, bool]:
        """The article's own URL carries a new text: keep both in `versions` (version 1 is the text
        first stored), point the article at the new one; returns (version number, article updated)."""
        if not self.db.execute("SELECT 1 FROM versions WHERE article_id = ?", [article_id]).fetchone():
            self.db.execute(
                "INSERT INTO versions (article_id, version, title, text, text_original, content_hash, published_at,"
                " page_id, fetched_at) SELECT id, 1, title, text, text_original, content_hash, published_at,"
                " page_id, fetched_at FROM articles WHERE id = ?",
                [article_id],
            )
        version, last_hash = self.db.execute("SELECT version, content_hash FROM versions WHERE article_id = ?"
                                             " ORDER BY version DESC LIMIT 1", [article_id]).fetchone()
        if last_hash != page.content_hash:  # not the same unapplied version again, crawl after crawl
            version += 1
            self.db.execute(
                "INSERT INTO versions (article_id, version, title, text, text_original, content_hash, published_at,"
                " page_id, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [article_id, version, page.title, page.text, page.text_original, page.content_hash,
                 page.published_at, page_id, page.fetched_at],
            )
        taken = self.db.execute("SELECT 1 FROM articles WHERE content_hash = ? AND id != ?",
                                [page.content_hash, article_id]).fetchone()
        if not taken:  # a text another article already holds stays a version only (hashes are unique)
            fields = self._article_fields(page, page_id, extractor_version)
            for key in ("site", "url", "canonical_url"):
                del fields[key]
            self.db.execute(f"UPDATE articles SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
                            [*fields.values(), article_id])
        return version, not taken

    def revise(self, article_id: int, fields: Mapping[str, Any]) -> None:
        """Set a re-extraction's new fields on an article; its original URL row keeps the same title
        and date (what `kexie duplicates` and the views show)."""
        if not fields:
            return
        self.db.execute(f"UPDATE articles SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
                        [*fields.values(), article_id])
        if "title" in fields or "published_at" in fields:
            self.db.execute("UPDATE article_urls SET (title, published_at) = (SELECT title, published_at FROM articles"
                            " WHERE id = ?) WHERE article_id = ? AND kind = 'original'", [article_id, article_id])


def with_pages(db: sqlite_utils.Database, site: str | None = None, since: str | None = None) -> list[int]:
    """Ids of the articles with a stored page, of one site and published since a date if given."""
    where, params = ["page_id IS NOT NULL"], []
    if site:
        where.append("site = ?")
        params.append(site)
    if since:
        where.append("published_at >= ?")
        params.append(since)
    return [r[0] for r in db.execute(f"SELECT id FROM articles WHERE {' AND '.join(where)} ORDER BY id", params)]


def articles_and_pages(db: sqlite_utils.Database, ids: list[int], fields: Sequence[str],
                       batch: int) -> Iterator[list[dict[str, Any]]]:
    """The articles (id, site, extractor_version and `fields`) with their stored page (url, body,
    status, headers, fetched_at), `batch` at a time: never the whole archive in memory."""
    columns = ", ".join(["a.id", "a.site", "a.extractor_version", *(f"a.{f}" for f in fields), "p.url", "p.body",
                         "p.status", "p.headers", "p.fetched_at"])
    for at in range(0, len(ids), batch):
        chunk = ids[at:at + batch]
        cursor = db.execute(f"SELECT {columns} FROM articles a JOIN pages p ON p.id = a.page_id"
                            f" WHERE a.id IN ({', '.join('?' * len(chunk))}) ORDER BY a.id", chunk)
        names = [d[0] for d in cursor.description]
        yield [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
