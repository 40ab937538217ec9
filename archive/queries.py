"""Read-only access for people: plain SQL and substring search.

`kexie sql` opens the file read-only at the SQLite level (mode=ro), so no statement can
change the archive. Search is a substring scan for now, which is exactly right for Chinese
(科协 inside 中国科协 is found); the indexed search of issue 5 must return the same rows.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


class ArchiveMissing(FileNotFoundError):
    pass


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    file = Path(path)
    if not file.exists():
        raise ArchiveMissing(f"no archive at {file} (run `kexie crawl` or `make demo` first, or pass --db)")
    conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def run_sql(path: str | Path, sql: str, params: list[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(column names, rows) of one read-only statement."""
    with connect_read_only(path) as conn:
        cursor = conn.execute(sql, params or [])
        columns = [d[0] for d in cursor.description or []]
        return columns, [tuple(row) for row in cursor.fetchall()]


def search(path: str | Path, text: str, site: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Articles whose title or text contains `text`, newest first, with a short snippet."""
    where = ["(instr(a.text, :q) > 0 OR instr(a.title, :q) > 0)"]
    if site:
        where.append("a.site = :site")
    sql = (
        "SELECT a.id, a.site, a.title, a.published_at, a.url,"
        " substr(a.text, max(1, instr(a.text, :q) - 30), length(:q) + 60) AS snippet"
        f" FROM articles a WHERE {' AND '.join(where)} ORDER BY a.published_at DESC LIMIT :limit"
    )
    with connect_read_only(path) as conn:
        return [dict(row) for row in conn.execute(sql, {"q": text, "site": site, "limit": limit})]
