"""Attachments in exports (issue 24): their metadata as a column of `kexie export`, the files
themselves into a folder or a zip (`--attachment-files`), and WARC response records.

Files are read one at a time from the archive (stored compressed), so memory stays at one file
whatever the export's size.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from archive.queries import Filters

# the exported `attachments` column: a JSON array of the article's current attachments
METADATA = ("(SELECT json_group_array(json_object('name', x.name, 'url', x.url, 'sha256', x.sha256, 'mime', x.mime,"
            " 'size', x.size, 'text_status', x.text_status, 'fetched_at', x.fetched_at))"
            " FROM (SELECT DISTINCT name, url, sha256, mime, size, text_status, fetched_at FROM article_attachments"
            " WHERE article_id = a.id ORDER BY url) x)")


def files_of(conn: sqlite3.Connection, article_ids: Iterable[int]) -> Iterator[tuple[int, str, bytes]]:
    """(article id, file name, bytes) of each current attachment of these articles, one file at a time."""
    for article_id in article_ids:
        found = conn.execute("SELECT DISTINCT attachment_id, name FROM article_attachments WHERE article_id = ?"
                             " ORDER BY url", [article_id]).fetchall()
        for attachment_id, name in found:
            row = conn.execute("SELECT body FROM attachments WHERE id = ?", [attachment_id]).fetchone()
            if row is not None:
                yield article_id, name or f"attachment-{attachment_id}", zlib.decompress(row[0])


def _unique(name: str, taken: set[str]) -> str:
    """Two attachments of one article called the same: the second becomes name (2).ext."""
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{stem} ({n}){dot}{ext}" if dot else f"{name} ({n})"
        n += 1
    taken.add(candidate)
    return candidate


def write_files(conn: sqlite3.Connection, article_ids: Iterable[int], target: Path) -> int:
    """Each article's attachments as ARTICLE_ID/NAME in a folder, or in a zip when `target` ends in .zip;
    returns how many files were written."""
    count, taken = 0, {}  # type: ignore[var-annotated]
    archive = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) if target.suffix.lower() == ".zip" else None
    try:
        for article_id, name, body in files_of(conn, article_ids):
            path = f"{article_id}/{_unique(name, taken.setdefault(article_id, set()))}"
            if archive is not None:
                archive.writestr(path, body)
            else:
                (target / str(article_id)).mkdir(parents=True, exist_ok=True)
                (target / path).write_bytes(body)
            count += 1
    finally:
        if archive is not None:
            archive.close()
    return count


def warc_records(conn: sqlite3.Connection, filters: Filters) -> Iterator[tuple[str, int, str, bytes, str]]:
    """(url, status, headers JSON, body, fetched_at) of every attachment fetch selected (site filters, and
    --since/--until by fetch day as for pages), one at a time."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'attachment_urls'").fetchone() is None:
        return
    conds, params = filters.where(table="au", date="fetched_at", near=False)
    ids = conn.execute(f"SELECT au.id FROM attachment_urls au{' WHERE ' + ' AND '.join(conds) if conds else ''}"
                       " ORDER BY au.id", params).fetchall()
    for (url_id,) in ids:
        row = conn.execute("SELECT au.url, au.content_type, t.body, au.fetched_at FROM attachment_urls au"
                           " JOIN attachments t ON t.id = au.attachment_id WHERE au.id = ?", [url_id]).fetchone()
        headers: dict[str, Any] = {"Content-Type": row[1]} if row[1] else {}
        yield row[0], 200, json.dumps(headers), zlib.decompress(row[2]), row[3]
