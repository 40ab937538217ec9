"""`kexie sql` output formats (those of `sqlite-utils query`) and `kexie --version`.

Every format runs on one awkward result: a NULL, an empty text, a text holding a newline, a tab and
a backslash, Chinese, a number and a BLOB.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from archive.readonly import render, width

from .conftest import kexie

QUERY = ("SELECT 1 AS id, '科协\n第二段\t有制表符 a\\b' AS text, NULL AS missing, '' AS empty"
         " UNION ALL SELECT 22, '中国科学技术协会', 3.5, 'x' ORDER BY id")
WANT = [{"id": 1, "text": "科协\n第二段\t有制表符 a\\b", "missing": None, "empty": ""},
        {"id": 22, "text": "中国科学技术协会", "missing": 3.5, "empty": "x"}]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Any archive file will do: the query selects constants (the search index is not needed)."""
    path = tmp_path_factory.mktemp("sql") / "archive.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (b BLOB)")
        conn.execute("INSERT INTO t VALUES (x'00ff10')")
        conn.commit()
    return path


def sql(db: Path, *options: str, query: str = QUERY) -> str:
    return kexie("sql", *options, query, db=db).stdout


def test_csv_parses_back_to_the_values(db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(sql(db, "--csv"), newline="")))
    assert rows == [{k: "" if v is None else str(v) for k, v in row.items()} for row in WANT]


def test_json_and_nl_parse_with_null(db: Path) -> None:
    assert json.loads(sql(db, "--json")) == WANT
    assert [json.loads(line) for line in sql(db, "--nl").splitlines()] == WANT
    assert json.loads(sql(db, "--json", query="SELECT 1 WHERE 0")) == []
    blob = json.loads(sql(db, "--json", query="SELECT b FROM t"))
    assert blob == [{"b": {"$base64": True, "encoded": "AP8Q"}}]  # as sqlite-utils writes a BLOB


def test_tsv_is_one_line_a_row_with_escapes(db: Path) -> None:
    for out in (sql(db), sql(db, "--tsv")):  # a pipe gets TSV by default, as before
        lines = out.splitlines()
        assert len(lines) == 3 and all(line.count("\t") == 3 for line in lines)
        assert lines[0] == "id\ttext\tmissing\tempty"
        assert lines[1] == "1\t科协\\n第二段\\t有制表符 a\\\\b\t\\N\t"  # NULL is \N, the empty text stays empty
        assert lines[2] == "22\t中国科学技术协会\t3.5\tx"


def columns_of(line: str) -> list[str]:
    """The line as a terminal shows it: one entry per column, a Chinese character filling two."""
    return [part for c in line for part in ([c] if width(c) == 1 else [c, ""] if width(c) == 2 else [])]


def test_table_is_aligned_for_chinese(db: Path) -> None:
    lines = sql(db, "--table").splitlines()
    assert len(lines) == 4 and set(lines[1]) == {"-", " "} and lines[1].count("  ") == 3
    gaps = [i for i, c in enumerate(lines[1]) if c == " "]  # the separators between the columns
    for line in lines:  # every line is blank there, at the same terminal columns (Chinese counts two)
        shown = columns_of(line) + [" "] * len(lines[1])
        assert all(shown[i] == " " for i in gaps), line
    assert "NULL" in lines[2] and "\\n" in lines[2]  # NULL shown as NULL, the newline kept on the row
    assert lines[2].startswith(" 1") and lines[3].startswith("22")  # numbers right-aligned


def test_render_table_pads_by_display_width() -> None:
    lines = list(render(["t", "n"], [("科协", 1), ("ab", None)], "table"))
    assert lines == ["t        n", "----  ----", "科协     1", "ab    NULL"]


def test_version_names_package_and_libraries() -> None:
    out = kexie("--version").stdout
    assert len(out.splitlines()) == 1
    assert out.startswith("kexie-archive 0.1.0 ") and "Scrapy " in out and "trafilatura " in out
    assert f"SQLite {sqlite3.sqlite_version}" in out
