"""Opening the archive read-only, also from read-only media, and `kexie sql`'s guard against side doors.

mode=ro stops writes to the archive itself, but not statements that touch other files: ATTACH
creates a database anywhere, VACUUM INTO writes a copy anywhere, and some pragmas change the
connection (writable_schema). `run_sql` refuses those through SQLite's authorizer, before they run.
`render` turns its rows into `kexie sql`'s output formats (those of `sqlite-utils query`).
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from archive.search_text import register_functions


class ArchiveMissing(FileNotFoundError):
    pass


class ReadOnlyRefused(sqlite3.DatabaseError):
    """A statement `kexie sql` refuses because it would write or reach beyond the archive."""


# Pragmas that only read; the first set may name a table, an index or a count, the second takes no value.
INSPECT_PRAGMAS = frozenset({"table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
                             "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check"})
VALUE_PRAGMAS = frozenset({"database_list", "function_list", "module_list", "pragma_list", "collation_list",
                           "compile_options", "encoding", "page_count", "page_size", "freelist_count", "user_version",
                           "application_id", "schema_version", "data_version", "journal_mode", "foreign_keys"})
_FIRST_WORD = re.compile(r"\s*(?:(?:--[^\n]*(?:\n|$)|/\*.*?\*/)\s*)*(\w*)", re.S)


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    """A read-only connection with the search functions; rows as sqlite3.Row."""
    file = Path(path)
    if not file.exists():
        raise ArchiveMissing(f"no archive at {file} (run `kexie crawl` or `make demo` first, or pass --db)")
    uri = file.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opening is lazy: read once to know
    except sqlite3.OperationalError as exc:
        conn.close()
        if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_CANTOPEN:
            raise
        # A WAL archive on read-only media (a DVD, a read-only mount, a folder we may not write): even
        # mode=ro must create the -shm beside the file, and fails. Nothing can write the file there, so
        # immutable=1 (no locks, no -shm) is safe; it ignores a -wal, hence the warning.
        conn = sqlite3.connect(f"{uri}?immutable=1", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        wal = file.with_name(file.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            print(f"warning: the archive's folder is read-only and {wal.name} is not merged into it: its last"
                  " writes are not shown (run `kexie index` on a writable copy to merge them)", file=sys.stderr)
    conn.row_factory = sqlite3.Row
    register_functions(conn)
    return conn


def run_sql(path: str | Path, sql: str, params: list[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(column names, rows) of one read-only statement; ReadOnlyRefused for ATTACH, VACUUM and writing pragmas."""
    with closing(connect_read_only(path)) as conn:
        refused = guard(conn, sql)
        try:
            cursor = conn.execute(sql, params or [])
        except sqlite3.DatabaseError as exc:
            if refused:
                raise ReadOnlyRefused(f"the archive is read-only in kexie sql: {refused[0]}") from exc
            raise
        columns = [d[0] for d in cursor.description or []]
        return columns, [tuple(row) for row in cursor.fetchall()]


def guard(conn: sqlite3.Connection, sql: str) -> list[str]:
    """Make `conn` query-only and deny what could write elsewhere; the list fills with what was refused."""
    conn.execute("PRAGMA query_only = ON")  # before the authorizer, which would refuse this pragma too
    refused: list[str] = []
    match = _FIRST_WORD.match(sql)
    first = match.group(1).upper() if match else ""
    conn.set_authorizer(_authorizer(refused, first))
    return refused


def _authorizer(refused: list[str], first: str) -> Callable[[int, str | None, str | None, str | None, str | None], int]:
    def authorize(action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None) -> int:
        why = ""
        if action == sqlite3.SQLITE_ATTACH:  # VACUUM attaches its target (INTO 'file', or '' for in place)
            why = ("VACUUM is refused (it would write the archive or a copy of it)" if first == "VACUUM"
                   else f"ATTACH is refused (it would open or create {arg1 or 'a database'})")
        elif action == sqlite3.SQLITE_DETACH:
            why = "DETACH is refused"
        elif action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            if not (name in INSPECT_PRAGMAS or (name in VALUE_PRAGMAS and arg2 is None)):
                shown = f"{name} = {arg2}" if arg2 is not None else name
                why = (f"PRAGMA {shown} is refused (pragmas that read are allowed: table_info, table_list,"
                       " index_list, foreign_key_list, integrity_check, …)")
        if why:
            refused.append(why)
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return authorize


FORMATS = ("table", "tsv", "csv", "json", "nl")
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SHOWN = str.maketrans({"\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: Any) -> str:
    """A value as text for csv, tsv and table: a BLOB as an SQLite hex literal, which reads back as SQL."""
    return f"X'{value.hex().upper()}'" if isinstance(value, bytes) else str(value)


def _json_value(value: Any) -> Any:
    """JSON has no bytes: a BLOB goes the way sqlite-utils writes it, which `sqlite-utils insert` decodes."""
    return {"$base64": True, "encoded": base64.b64encode(value).decode("ascii")} if isinstance(value, bytes) else value


def _tsv(value: Any) -> str:
    """PostgreSQL COPY's text convention: backslash escapes keep one row one line, and NULL is \\N, which
    no text can be (a text backslash is written doubled). Tools that split on tab and newline stay right."""
    return "\\N" if value is None else _text(value).translate(_TSV_ESCAPES)


def width(text: str) -> int:
    """Terminal columns: Chinese takes two. (tabulate measures this only with wcwidth, not installed here,
    and its table of 科协 rows came out ragged; unicodedata knows the East Asian widths.)"""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Iterator[str]:
    """An aligned table like tabulate's "simple" one: numbers right, NULL written NULL (MySQL's client does
    the same) so it differs from an empty text, newlines and tabs shown as \\n and \\t to keep rows whole."""
    cells = [[("NULL" if v is None else _text(v).translate(_SHOWN)) for v in row] for row in rows]
    right = [bool(rows) and all(isinstance(row[i], (int, float)) or row[i] is None for row in rows)
             for i in range(len(columns))]
    widths = [max([width(c), *(width(r[i]) for r in cells)]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        padded = [" " * (w - width(v)) + v if r else v + " " * (w - width(v))
                  for v, w, r in zip(values, widths, right, strict=True)]
        return "  ".join(padded).rstrip()

    yield line(columns)
    yield "  ".join("-" * w for w in widths)
    yield from map(line, cells)


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> Iterator[str]:
    """The lines (without their newline) of `rows` in one of FORMATS.

    json is one array of objects and nl one object a line, as `sqlite-utils query` and `--nl` print them:
    NULL is null. csv quotes what needs it (a newline stays inside its quoted cell) and leaves NULL empty."""
    if fmt == "table":
        yield from _table(columns, rows)
    elif fmt == "tsv":
        yield from ("\t".join(map(_tsv, row)) for row in [columns, *rows])
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in [columns, *rows]:
            writer.writerow(["" if v is None else _text(v) for v in row])
            yield buffer.getvalue().removesuffix("\n")
            buffer.seek(0)
            buffer.truncate()
    elif fmt in ("json", "nl"):
        objects = (json.dumps({c: _json_value(v) for c, v in zip(columns, row, strict=True)}, ensure_ascii=False)
                   for row in rows)
        yield from objects if fmt == "nl" else _json_array(objects)
    else:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def _json_array(objects: Iterable[str]) -> Iterator[str]:
    """One object a line inside [ ], so a big result streams and still parses as one JSON document."""
    previous = None
    for obj in objects:
        if previous is not None:
            yield previous + ","
        previous = ("[" if previous is None else " ") + obj
    yield "[]" if previous is None else previous + "]"
