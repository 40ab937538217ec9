"""The archive's identity: a UUID made with the archive (schema v8), never changed.

Why: a distributed crawl's jobs are queued from one archive and their pages stored by an
archiver into one archive; two systemd units with different KEXIE_DB, or a typo in --db, must
not store (or drop) one archive's pages in another. Every job and page carries the id of the
archive it belongs to, and the archiver compares it with its own before it writes anything.
"""

from __future__ import annotations

from typing import Any


def archive_id(db: Any) -> str:
    """This archive's UUID."""
    row = db.execute("SELECT id FROM archive_identity ORDER BY created_at LIMIT 1").fetchone()
    if row is None:
        raise ValueError("the archive has no identity (archive_identity is empty)")
    return str(row[0])
