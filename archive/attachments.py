"""Attachments in the archive (schema: archive/schema_attachments.py): each file stored once by
SHA-256, every URL it came from with a version, every article page that linked it.

Written through the crawl's batch writer like pages, so a file is recorded as stored only once it is
in the file; the crawl asks `known_attachment` before fetching, so an archived attachment is not
fetched again.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from archive.compression import compress, decompress

if TYPE_CHECKING:  # the item a write stores (extract/attachment.py): a type only
    from extract.attachment import Attachment


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def known_attachment(conn: Any, canonical_url: str) -> bool:
    """Whether a file from this URL is archived already (any version)."""
    return conn.execute("SELECT 1 FROM attachment_urls WHERE canonical_url = ? LIMIT 1",
                        [canonical_url]).fetchone() is not None


def known_attachment_urls(conn: Any, site: str) -> set[str]:
    """The attachment URLs (canonical) archived that this site's crawl may meet: those fetched for it and
    those its pages link (fetched for another site). A distributed crawl's worker, which has no archive
    to ask `known_attachment`, gets them with its job."""
    rows = conn.execute("SELECT canonical_url FROM attachment_urls WHERE site = ? UNION SELECT l.attachment_url"
                        " FROM attachment_links l WHERE l.site = ? AND EXISTS (SELECT 1 FROM attachment_urls u"
                        " WHERE u.canonical_url = l.attachment_url)", [site, site]).fetchall()
    return {r[0] for r in rows}


def link_attachment(archive: Any, page_url: str, attachment_url: str, site: str, link_text: str) -> None:
    """An article page (canonical URL) links this attachment URL (canonical); kept once."""
    archive.db.execute(
        "INSERT OR IGNORE INTO attachment_links (page_url, attachment_url, site, link_text, first_seen)"
        " VALUES (?, ?, ?, ?, ?)", [page_url, attachment_url, site, link_text[:500], _now()])


def store_attachment(archive: Any, item: Attachment, extractor_version: str) -> str:
    """Store a fetched file; returns stored (a new file), shared (a file already stored, from a new
    URL), unchanged (the same file at the same URL), changed (another file at a known URL: a new
    version) or rejected."""
    db = archive.db
    db.execute("DELETE FROM frontier WHERE site = ? AND url = ?", [item.site, item.url])  # fetched: nothing to resume
    if item.reject_reason:
        add_attachment_reject(archive, item.url, item.canonical_url, item.site, item.reject_reason,
                              item.reject_detail, item.run_id)
        return "rejected"
    row = db.execute("SELECT id FROM attachments WHERE sha256 = ?", [item.sha256]).fetchone()
    new_file = row is None
    if new_file:
        cursor = db.execute(
            "INSERT INTO attachments (sha256, size, mime, body, text, text_original, text_status, extractor_version,"
            " first_fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [item.sha256, item.size, item.mime, compress(item.body), item.text, item.text_original,
             item.text_status, extractor_version, item.fetched_at])
        attachment_id = int(cursor.lastrowid or 0)
    else:
        attachment_id = int(row[0])
    last = db.execute("SELECT attachment_id, version FROM attachment_urls WHERE canonical_url = ?"
                      " ORDER BY version DESC LIMIT 1", [item.canonical_url]).fetchone()
    if last is not None and last[0] == attachment_id:
        return "unchanged"
    content_type = next((v for k, v in item.headers.items() if k.lower() == "content-type"), "")
    db.execute(
        "INSERT INTO attachment_urls (url, canonical_url, site, attachment_id, version, name, content_type,"
        " fetched_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [item.url, item.canonical_url, item.site, attachment_id, (last[1] + 1) if last else 1, item.name,
         content_type, item.fetched_at, item.run_id])
    db.execute("DELETE FROM rejects WHERE canonical_url = ? AND reason LIKE 'attachment%'", [item.canonical_url])
    if last is not None:
        return "changed"
    return "stored" if new_file else "shared"


def add_attachment_reject(archive: Any, url: str, canonical_url: str, site: str, reason: str, detail: str,
                          run_id: int | None) -> None:
    """An attachment refused (too large, not a file): kept aside in `rejects` with the reason."""
    archive.db.execute(
        "INSERT INTO rejects (url, canonical_url, site, reason, detail, fetched_at, run_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(canonical_url) DO UPDATE SET reason = excluded.reason,"
        " detail = excluded.detail, fetched_at = excluded.fetched_at, run_id = excluded.run_id",
        [url, canonical_url, site, reason, detail[:500], _now(), run_id])


def attachments_of(conn: sqlite3.Connection, article_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The current attachments of these articles: name, url, sha256, mime, size, text status, fetched_at."""
    found: dict[int, list[dict[str, Any]]] = {}
    if not article_ids:
        return found
    marks = ", ".join("?" * len(article_ids))
    cursor = conn.execute(
        "SELECT DISTINCT article_id, name, url, attachment_id, sha256, mime, size, text_status, fetched_at"
        f" FROM article_attachments WHERE article_id IN ({marks}) ORDER BY article_id, url", article_ids)
    keys = ("name", "url", "attachment_id", "sha256", "mime", "size", "text_status", "fetched_at")
    for row in cursor:
        found.setdefault(int(row[0]), []).append(dict(zip(keys, row[1:], strict=True)))
    return found


def attachment_body(conn: sqlite3.Connection, attachment_id: int) -> bytes | None:
    """The file's bytes as fetched (stored compressed)."""
    row = conn.execute("SELECT body FROM attachments WHERE id = ?", [attachment_id]).fetchone()
    return decompress(row[0]) if row else None


def attachments_to_check(conn: Any, site: str | None = None) -> list[tuple[int, str]]:
    """(id, mime) of the stored attachments (fetched from this site's URLs, when given), in id order."""
    if site:
        return [(int(r[0]), r[1]) for r in conn.execute(
            "SELECT id, mime FROM attachments WHERE id IN (SELECT attachment_id FROM attachment_urls WHERE site = ?)"
            " ORDER BY id", [site])]
    return [(int(r[0]), r[1]) for r in conn.execute("SELECT id, mime FROM attachments ORDER BY id")]


def attachment_text(conn: Any, attachment_id: int) -> tuple[str, str, str]:
    """(name, text, text_status) of a stored attachment, the name from its latest URL."""
    row = conn.execute("SELECT (SELECT name FROM attachment_urls WHERE attachment_id = t.id ORDER BY id DESC LIMIT 1),"
                       " t.text, t.text_status FROM attachments t WHERE t.id = ?", [attachment_id]).fetchone()
    return (row[0] or "", row[1] or "", row[2] or "") if row else ("", "", "")


def update_attachment_text(archive: Any, attachment_id: int, fields: dict[str, str], extractor_version: str) -> None:
    archive.db.execute("UPDATE attachments SET text = ?, text_original = ?, text_status = ?, extractor_version = ?"
                       " WHERE id = ?", [fields["text"], fields["text_original"], fields["text_status"],
                                         extractor_version, attachment_id])


def attachment_summary(conn: Any, limit: int = 20) -> tuple[int, list[tuple[Any, ...]]]:
    """(files stored, the first `limit` (site, article title, file name, mime, size, text_status) rows)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'attachment_links'").fetchone() is None:
        return 0, []
    total = int(conn.execute("SELECT count(*) FROM attachments").fetchone()[0])
    rows = conn.execute("SELECT DISTINCT a.site, a.title, x.name, x.mime, x.size, x.text_status"
                        " FROM article_attachments x JOIN articles a ON a.id = x.article_id"
                        " ORDER BY a.site, a.id, x.url LIMIT ?", [limit]).fetchall()
    return total, rows


def linked_as(conn: Any, canonical_url: str) -> tuple[str, str]:
    """(page URL, link text) of the first page that linked this attachment URL: a file asked for again
    from the frontier is named as its link said."""
    row = conn.execute("SELECT page_url, link_text FROM attachment_links WHERE attachment_url = ?"
                       " ORDER BY first_seen LIMIT 1", [canonical_url]).fetchone()
    return (row[0], row[1] or "") if row else ("", "")
