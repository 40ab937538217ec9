"""Exports for analysis elsewhere: JSON lines or CSV, streamed row by row from a cursor.

Rows go out in id order as SQLite reads them, so memory stays flat whatever the archive's size
(only a search's matching ids are held, never texts). CSV starts with a UTF-8 BOM because Excel
reads BOM-less UTF-8 as the local code page and shows Chinese as mojibake.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from archive.attachment_export import METADATA
from archive.attachment_search import has_attachments
from archive.queries import UNRANKED_HITS, Filters

COLUMNS = ("id", "site", "site_name", "level", "region", "published_at", "date_source", "title", "author", "editor",
           "source", "url", "text", "text_original", "fetched_at", "extractor_version", "duplicate_of", "attachments")
_SELECT = {"site_name": "s.name", "level": "s.level", "region": "s.region", "duplicate_of": "n.original_id"}


def export_sql(filters: Filters, query: str = "", attachments: bool = True) -> tuple[str, dict[str, Any]]:
    """SELECT of every exported column for the articles that pass `filters` (and contain `query`);
    `attachments`: the archive has attachment tables (their metadata is a JSON array, else [])."""
    conds, params = filters.where("a.id")
    select = {**_SELECT, "attachments": METADATA if attachments else "'[]'"}
    if query:
        conds.insert(0, "a.id IN (SELECT id FROM hits)")
        params["q"] = query
    columns = ", ".join(f"{select.get(c, 'a.' + c)} AS {c}" for c in COLUMNS)
    sql = (f"{'WITH ' + UNRANKED_HITS if query else ''} SELECT {columns} FROM articles a"
           " LEFT JOIN sites s ON s.key = a.site LEFT JOIN near_duplicates n ON n.article_id = a.id"
           f"{' WHERE ' + ' AND '.join(conds) if conds else ''} ORDER BY a.id")
    return sql, params


def rows(conn: sqlite3.Connection, filters: Filters, query: str = "") -> Iterator[tuple[Any, ...]]:
    """The exported rows, one at a time: the cursor itself, not a generator around it, which would be
    closed after its connection when a write fails (a closed pipe) and complain at exit."""
    sql, params = export_sql(filters, query, has_attachments(conn))
    cursor = conn.execute(sql, params)
    cursor.row_factory = None  # plain tuples: the cheapest rows sqlite3 makes
    return cursor


def exported_ids(conn: sqlite3.Connection, filters: Filters, query: str = "") -> list[int]:
    """The ids of the articles an export with these filters writes."""
    sql, params = export_sql(filters, query, attachments=False)
    return [row[0] for row in conn.execute(f"SELECT id FROM ({sql})", params)]


def write_jsonl(source: Iterator[tuple[Any, ...]], out: TextIO) -> int:
    count = 0
    for row in source:
        fields = dict(zip(COLUMNS, row, strict=True))
        fields["attachments"] = json.loads(fields["attachments"] or "[]")  # a list, not a string of JSON
        out.write(json.dumps(fields, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(source: Iterator[tuple[Any, ...]], out: TextIO) -> int:
    """CSV with a header and a BOM; `out` must be opened with newline=''."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in source:
        writer.writerow(row)
        count += 1
    return count


WRITERS = {"jsonl": write_jsonl, "csv": write_csv}


@contextmanager
def open_output(name: str) -> Iterator[TextIO]:
    """A UTF-8 file, or standard output for '-' (left open), newlines written as given (csv needs that)."""
    if name != "-":
        with open(name, "w", encoding="utf-8", newline="") as out:
            yield out
        return
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield stdout
    finally:
        stdout.flush()
        stdout.detach()
