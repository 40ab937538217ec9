"""The archive file: one SQLite database in WAL mode, written by a single writer.

The crawl's store stage is the only writer. It opens a transaction per batch (`begin`/`commit`)
instead of committing per row, which is what makes SQLite fast; readers (search, Datasette,
`kexie sql`) see committed batches thanks to WAL.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from archive.compression import compress
from archive.compression import decompress as decompress  # read from here by pipelines/reextract.py
from archive.near_index import NearIndex
from archive.revisions import Revisions
from archive.schema import migrate

if TYPE_CHECKING:  # the page a write stores (extract/page.py): a type only, no import at run time
    from extract.page import Page

DEFAULT_DB = "data/archive.db"


def default_db_path() -> str:
    return os.environ.get("KEXIE_DB") or DEFAULT_DB


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_only_folder(path: str | Path) -> str | None:
    """Why an archive cannot be written when the reason is its folder (a read-only mount, a folder
    of another user), in words a person can act on; None when the folder is writable. SQLite itself
    says only "unable to open database file": in WAL mode it must create FILE-wal and FILE-shm beside
    the file even to read it with locking, and a new archive is a new file there."""
    target = Path(path).resolve()
    folder = target.parent
    while not folder.exists() and folder != folder.parent:  # a folder still to be made: its nearest parent
        folder = folder.parent
    if os.access(folder, os.W_OK):
        return None
    return (f"the folder {folder} is read-only (SQLite needs to create {target.name}-wal and {target.name}-shm"
            f" there, beside the archive); make it writable or give --db a file in a writable folder")


class Archive(Revisions):
    """Open (and migrate) an archive file; the methods are the only writes the crawl makes."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or default_db_path())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # wait for another writer (a crawl's open batch) instead of failing at once
        self.db = sqlite_utils.Database(sqlite3.connect(self.path, timeout=60))
        self._prepare()
        self.near = NearIndex(self.db)

    def _prepare(self, tries: int = 50) -> None:
        """WAL mode and the schema. Switching a new file to WAL takes an exclusive lock that SQLite does
        not wait for through the busy timeout, so processes opening a new archive together (cron runs,
        scrapyd jobs) can get "database is locked" at once: they try again for a few seconds."""
        for attempt in range(tries):
            try:
                self.db.enable_wal()
                self.db.execute("PRAGMA foreign_keys = ON")
                # each write's savepoint journals the pages it changes: in memory, not a temporary file
                # (a page's 32 near_bands rows alone change ~128 KB of pages, past SQLite's 64 KiB spill)
                self.db.execute("PRAGMA temp_store = MEMORY")
                migrate(self.db)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == tries - 1:
                    raise
                if self.db.conn.in_transaction:
                    self.db.conn.rollback()
                time.sleep(0.1 + 0.01 * attempt)

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def begin(self) -> None:
        if not self.db.conn.in_transaction:
            self.db.begin()

    def commit(self) -> None:
        self.db.commit()

    # --- sites and runs -------------------------------------------------------------
    def upsert_site(self, site: Mapping[str, Any]) -> None:
        self.db.table("sites").upsert({**site, "updated_at": now_iso()}, pk="key")

    def start_run(self, site: str) -> int:
        table = self.db.table("crawl_runs")
        table.insert({"site": site, "started_at": now_iso()})
        return int(table.last_pk)  # type: ignore[arg-type]

    def finish_run(self, run_id: int, counts: Mapping[str, Any]) -> None:
        self.db.table("crawl_runs").update(run_id, {**counts, "finished_at": now_iso()})

    # --- lookups used by the spider and the dedupe stage ------------------------------
    def article_at(self, canonical_url: str) -> dict[str, Any] | None:
        """The article (id, content_hash) whose copy lives at this URL, if any, and the URL's kind."""
        row = self.db.execute(
            "SELECT a.id, a.content_hash, u.kind FROM article_urls u JOIN articles a ON a.id = u.article_id"
            " WHERE u.canonical_url = ?",
            [canonical_url],
        ).fetchone()
        return {"id": row[0], "content_hash": row[1], "kind": row[2]} if row else None

    _STANDING = ("SELECT a.id, a.site, a.published_at, s.official, s.spam, s.level, s.name, a.title FROM articles a"
                 " JOIN sites s ON s.key = a.site WHERE ")
    _STANDING_KEYS = ("id", "site", "published_at", "official", "spam", "level", "name", "title")

    def article_with_hash(self, content_hash: str) -> dict[str, Any] | None:
        """The stored article with this text hash, with its site's standing."""
        row = self.db.execute(self._STANDING + "a.content_hash = ?", [content_hash]).fetchone()
        return dict(zip(self._STANDING_KEYS, row, strict=True)) if row else None

    def article_standing(self, article_id: int) -> dict[str, Any]:
        """What decides whether an article is the better original: its site, title and date."""
        row = self.db.execute(self._STANDING + "a.id = ?", [article_id]).fetchone()
        return dict(zip(self._STANDING_KEYS, row, strict=True)) if row else {}

    def site_standing(self, site: str) -> dict[str, Any]:
        row = self.db.execute("SELECT official, spam, level, name FROM sites WHERE key = ?", [site]).fetchone()
        return {"official": row[0], "spam": row[1], "level": row[2], "name": row[3]} if row else {}

    # --- writes ---------------------------------------------------------------------
    def add_page(self, page: Page, run_id: int | None, compressed: bytes = b"") -> int:
        """Store the raw response (compressed) once per distinct body; returns its id. `compressed`: the
        body as `compress` gave it already (a distributed crawl's worker did), not compressed again."""
        sha1 = hashlib.sha1(page.body).hexdigest()
        row = self.db.execute("SELECT id FROM pages WHERE url = ? AND body_sha1 = ?", [page.url, sha1]).fetchone()
        if row:
            return int(row[0])
        cursor = self.db.execute(
            "INSERT INTO pages (url, site, status, headers, body, body_sha1, encoding, fetched_at, run_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [page.url, page.site, page.status, json.dumps(page.headers, ensure_ascii=False),
             compressed or compress(page.body), sha1, page.encoding, page.fetched_at, run_id],
        )
        return int(cursor.lastrowid or 0)

    def add_article(self, page: Page, page_id: int, extractor_version: str) -> int:
        # a page that was missing (404) and came back is no longer kept aside
        self.db.execute("DELETE FROM rejects WHERE canonical_url = ? AND reason = 'missing'", [page.canonical_url])
        fields = self._article_fields(page, page_id, extractor_version)
        cursor = self.db.execute(
            f"INSERT INTO articles ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})", list(fields.values())
        )
        article_id = int(cursor.lastrowid or 0)
        self.add_copy(article_id, page, page_id, "original")
        return article_id

    def add_copy(self, article_id: int, page: Page, page_id: int, kind: str) -> None:
        """Record one more URL that carried an article's text (its provenance)."""
        self.db.execute(
            "INSERT OR IGNORE INTO article_urls (article_id, url, canonical_url, site, kind, title, published_at,"
            " fetched_at, page_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [article_id, page.url, page.canonical_url, page.site, kind, page.title, page.published_at,
             page.fetched_at, page_id],
        )

    def promote(self, article_id: int, page: Page, page_id: int, extractor_version: str) -> None:
        """A better copy arrived (official site, or earlier): it becomes the article, the old one a copy."""
        self.db.execute("UPDATE article_urls SET kind = 'exact' WHERE article_id = ? AND kind = 'original'",
                        [article_id])
        fields = self._article_fields(page, page_id, extractor_version)
        self.db.execute(
            f"UPDATE articles SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
            [*fields.values(), article_id],
        )
        self.add_copy(article_id, page, page_id, "original")

    def detach_copy(self, canonical_url: str) -> None:
        """A copy URL now carries another text: it stops counting as a copy of its old article
        (the page it carried then stays in `pages`)."""
        self.db.execute("DELETE FROM article_urls WHERE canonical_url = ? AND kind != 'original'", [canonical_url])

    def add_reject(self, page: Page, page_id: int | None, run_id: int | None) -> None:
        self.db.execute(
            "INSERT INTO rejects (url, canonical_url, site, reason, detail, title, page_id, fetched_at, run_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(canonical_url) DO UPDATE SET reason = excluded.reason,"
            " detail = excluded.detail, title = excluded.title, page_id = excluded.page_id,"
            " fetched_at = excluded.fetched_at, run_id = excluded.run_id",
            [page.url, page.canonical_url, page.site, page.reject_reason, page.reject_detail, page.title,
             page_id, page.fetched_at, run_id],
        )
