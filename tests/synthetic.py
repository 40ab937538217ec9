"""A synthetic archive of many articles, for export and fault tests that need size, not realism."""

from __future__ import annotations

from pathlib import Path

from archive.db import Archive
from archive.search import ensure_search_index


def synthetic_archive(path: Path, count: int) -> Path:
    archive = Archive(path)
    ensure_search_index(archive.db)
    archive.db.table("sites").insert({"key": "s", "name": "s", "level": "city", "region": "湖南省"})
    text = "科学技术协会组织开展科普活动，院士专家走进基层。\n" * 160  # about 4,000 characters
    with archive.db.atomic():
        archive.db.conn.executemany(
            "INSERT INTO articles (id, site, title, text, content_hash, published_at) VALUES (?, 's', ?, ?, ?, ?)",
            [(i, f"第{i}篇", f"{i}{text}", str(i), "2023-01-01") for i in range(1, count + 1)])
    archive.close()
    return path
