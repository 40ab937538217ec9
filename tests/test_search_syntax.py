"""Search syntax (issue 25): words that must all occur, OR, -word and NOT word, "a phrase", in any mix of
traditional and simplified script. `kexie search`, `kexie export -q` and the scan of articles not yet
indexed give exactly the articles a plain substring scan finds for the query's meaning (tests/boolean_queries.py
generates the combinations); a malformed query is `error:`, exit 2, in the CLI.
Datasette's search box and canned search are checked the same way in tests/test_datasette.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlite_utils

from archive.queries import Filters, connect_read_only, search_conn
from archive.search import rebuild_index
from archive.search_syntax import Query, QuerySyntaxError, parse, read
from tests.boolean_queries import Boolean, Texts, generate
from tests.searching import search_ids
from tools.sampleweb.server import SampleWeb

from .conftest import kexie, sample_archive

MALFORMED = ['科协 "院士', "OR 科协", "科协 OR", "科协 NOT", "科协 OR -院士", "NOT 科协", "科协 - 院士", "科协 AND",
             "院士 OR OR 专家", "NOT NOT 科协"]


@pytest.fixture(scope="module")
def archive_db(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_archive(sample_web, tmp_path_factory, "boolean.db")


@pytest.fixture(scope="module")
def texts(archive_db: Path) -> Texts:
    return Texts(archive_db)


def test_the_syntax_reads_as_documented() -> None:
    assert parse("科协 院士") == Query((("科协",), ("院士",)))
    assert parse("科协 院士 OR 专家") == Query((("科协",), ("院士", "专家")))  # OR binds tighter than spaces
    assert parse('科协 -通知 NOT "工作 会议"') == Query((("科协",),), ("通知", "工作 会议"))
    assert parse('"科协 工作"  AND\u3000院士') == Query((("科协 工作",), ("院士",)))
    assert parse('科协"院士 专家"') == Query((("科协",), ("院士 专家",)))  # a quote always opens a phrase
    assert parse("COVID-19 or not") == Query((("COVID-19",), ("or",), ("not",)))  # operators in capitals only
    assert parse('-"通知" 科协') == Query((("科协",),), ("通知",))
    for query in MALFORMED + ["-科协", "NOT 科协 -院士", "", "  "]:
        with pytest.raises(QuerySyntaxError):
            parse(query)
    # the lenient reading of the SQL functions (Datasette's search box): never an error
    assert read('科协 "院士') == Query((("科协",), ("院士",)))
    assert read("OR 科协 OR") == read("科协 NOT") == Query((("科协",),))  # an operator with no word is dropped
    assert read("科协 - 院士 AND") == Query((("科协",), ("院士",)))
    assert read("科协 OR -院士") == Query((("科协",),), ("院士",))
    assert read("-科协") == Query((), ("科协",))  # finds nothing


def ids_of(conn_path: Path, query: str, with_duplicates: bool = True) -> set[int]:
    conn = connect_read_only(conn_path)
    try:
        hits = search_conn(conn, query, Filters(with_duplicates=with_duplicates), limit=-1).hits
    finally:
        conn.close()
    found = [h["id"] for h in hits]
    assert len(found) == len(set(found)), query
    return set(found)


def test_the_first_example_of_the_issue(archive_db: Path, texts: Texts) -> None:
    both = texts.scan(Boolean((("科协",), ("院士",))), with_duplicates=False)
    assert both and both < texts.scan(Boolean((("科协",),)))  # several articles hold both words
    assert set(search_ids(archive_db, "科协 院士")) == both
    assert set(search_ids(archive_db, "科協 院士")) == both  # traditional script too


def test_generated_queries_equal_a_substring_scan(archive_db: Path, texts: Texts, tmp_path: Path) -> None:
    """Many combinations in-process, on the index and on the scan of articles not yet indexed."""
    cases = generate(texts, 300)
    sizes = []
    for query, meaning in cases:
        for dups in (True, False):
            assert ids_of(archive_db, query, dups) == texts.scan(meaning, dups), (query, meaning, dups)
        sizes.append(len(texts.scan(meaning)))
    assert sum(0 < n < len(texts.rows) for n in sizes) > 100 and 0 in sizes  # the cases are not all trivial
    queued = tmp_path / "queued.db"
    shutil.copy(archive_db, queued)
    with sqlite_utils.Database(queued) as db:
        rebuild_index(db)  # every article back in the queue: searches scan them with kexie_match
    for query, meaning in cases[:80]:
        assert ids_of(queued, query) == texts.scan(meaning), (query, meaning)


def test_cli_search_and_export_equal_a_substring_scan(archive_db: Path, texts: Texts) -> None:
    for query, meaning in generate(texts, 12, seed=3):
        expected = texts.scan(meaning, with_duplicates=False)
        assert set(search_ids(archive_db, query)) == expected, (query, meaning)
        out = kexie("export", "-q", query, db=archive_db).stdout
        assert {json.loads(line)["id"] for line in out.splitlines()} == expected, (query, meaning)
    ranked = search_ids(archive_db, "科协 OR 院士")  # ranked by bm25 as before: title hits first
    assert ranked[:3] and all("科协" in t or "院士" in t for t in titles(archive_db, ranked[:3]))


def titles(db: Path, ids: list[int]) -> list[str]:
    conn = connect_read_only(db)
    try:
        return [conn.execute("SELECT title FROM articles WHERE id = ?", [i]).fetchone()[0] for i in ids]
    finally:
        conn.close()


@pytest.mark.parametrize("query", MALFORMED)
def test_a_malformed_query_is_an_error(archive_db: Path, query: str, tmp_path: Path) -> None:
    for args in (("search", query), ("export", "-q", query, "-o", str(tmp_path / "out.jsonl"))):
        result = kexie(*args, db=archive_db, check=False)
        assert result.returncode == 2 and result.stdout == "", (args, result)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and query.split()[0] in lines[0], (args, lines)
    assert not (tmp_path / "out.jsonl").exists()  # nothing written


def test_help_documents_the_syntax() -> None:
    for command in ("search", "export"):
        out = kexie(command, "--help").stdout
        assert " OR " in out and "-通知" in out and '"' in out, command
