"""Search is Ctrl-F: `kexie search` returns exactly the articles whose title or text contain the query.

Checked against a plain substring scan on a real archive (the sample web, crawled) and on synthetic
rows that probe the edges: one character, the last character of a text, Latin case and full width,
spaces, quotes, emoji, updates and deletes before and after the index catches up.
The search helpers here (search_ids, scan, queries_from) are shared by the other archive tests.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from archive.db import Archive
from archive.queries import Filters, connect_read_only, search_conn
from archive.search import ensure_search_index, pending, update_index
from archive.search_text import fold, fts_query, grams, needle
from tests.searching import literal, queries_from, scan, search_ids
from tools.sampleweb.server import SampleWeb

from .conftest import kexie, sample_archive


@pytest.fixture(scope="module")
def archive_db(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_archive(sample_web, tmp_path_factory)


def test_search_on_the_crawled_sample_equals_a_substring_scan(archive_db: Path) -> None:
    queries = queries_from(archive_db)
    assert {len(q) for q in queries} >= set(range(1, 9))
    conn = connect_read_only(archive_db)
    for query in queries:
        if all("\u4e00" <= c <= "\u9fff" for c in query):
            assert fold(query) == query  # pure Chinese: the reference is a plain `in`
        for dups in (True, False):
            got = [h["id"] for h in search_conn(conn, literal(query), Filters(with_duplicates=dups), limit=-1).hits]
            assert len(got) == len(set(got)) and set(got) == scan(archive_db, query, dups), (query, dups)
    for query in [queries[3 * n] for n in range(8)] + ["科协 工作", "5G", "王喆"]:  # the command itself
        assert set(search_ids(archive_db, literal(query), "--with-duplicates")) == scan(archive_db, query), query
        assert set(search_ids(archive_db, literal(query))) == scan(archive_db, query, with_duplicates=False), query


def test_filters_paging_and_sorting(archive_db: Path) -> None:
    conn = sqlite3.connect(archive_db)
    everything = scan(archive_db, "科", with_duplicates=False)
    site = conn.execute("SELECT site FROM articles GROUP BY site ORDER BY count(*) DESC").fetchone()[0]
    level, region = conn.execute("SELECT level, region FROM sites WHERE key = ?", [site]).fetchone()
    of_site = {r[0] for r in conn.execute("SELECT id FROM articles WHERE site = ?", [site])}
    assert set(search_ids(archive_db, "科", "--site", site)) == everything & of_site
    of_level = {r[0] for r in conn.execute("SELECT a.id FROM articles a JOIN sites s ON s.key = a.site"
                                           " WHERE s.level = ?", [level])}
    assert set(search_ids(archive_db, "科", "--level", level)) == everything & of_level
    of_region = {r[0] for r in conn.execute("SELECT a.id FROM articles a JOIN sites s ON s.key = a.site"
                                            " WHERE instr(s.region, ?)", [region[:2]])}
    assert set(search_ids(archive_db, "科", "--region", region[:2])) == everything & of_region
    in_2022 = {r[0] for r in conn.execute("SELECT id FROM articles WHERE substr(published_at, 1, 4) = '2022'")}
    assert set(search_ids(archive_db, "科", "--since", "2022", "--until", "2022")) == everything & in_2022
    pages = [search_ids(archive_db, "科", "--limit", "7", "--page", str(p)) for p in range(1, len(everything) // 7 + 2)]
    flat = [i for page in pages for i in page]
    assert len(flat) == len(set(flat)) == len(everything) and all(len(p) == 7 for p in pages[:len(flat) // 7])
    newest = kexie("search", "科", "--sort", "newest", "--json", "--limit", "1000", db=archive_db).stdout
    dates = [json.loads(line)["published_at"][:10] for line in newest.splitlines()]
    assert dates == sorted(dates, reverse=True)
    shown = kexie("search", "科协", "--limit", "2", db=archive_db)
    assert shown.stdout.count("\n    http") == 2 and "articles contain '科协' (page 1 of" in shown.stderr
    assert kexie("search", "科", "--since", "2023-02-30", db=archive_db, check=False).returncode == 2


@pytest.fixture
def synthetic(tmp_path: Path) -> sqlite_utils.Database:
    archive = Archive(tmp_path / "synthetic.db")
    ensure_search_index(archive.db)
    archive.db.table("sites").insert({"key": "s", "name": "测试科协", "level": "city", "region": "湖南省长沙市"})
    rows = [("中国科协召开会议", "院士专家工作站建设。5G基站 ChatGPT"), ("Ｈｅｌｌｏ ＡＩ", "科协"),
            ("无关", 'He said "quote" and 100% — 😀表情 end 科'), ("标题含院士", "正文不含"),
            ("多行", "第一行末尾\n第二行开头 双  空格"), ("空正文", "")]
    for i, (title, text) in enumerate(rows, 1):
        archive.db.table("articles").insert({"id": i, "site": "s", "title": title, "text": text, "content_hash": str(i),
                                       "published_at": f"2023-0{i}-01"})
    return archive.db


def ids(db: sqlite_utils.Database, query: str) -> set[int]:
    conn = connect_read_only(db.conn.execute("PRAGMA database_list").fetchone()[2])
    return {h["id"] for h in search_conn(conn, query, Filters(with_duplicates=True), limit=-1).hits}


EDGES = ["科", "科协", "中国科协", "院士", "5g基站", "chatgpt", "CHATGPT", "hello", "ai", "Ａｉ", "g基", "quote",
         "said", "100%", "😀", "😀表情", "末尾 第二", "末尾\n第二", "双  空格", "双 空格", "end 科", "科。", "会议院",
         "正文不含", "标题含院士", "e", "。", "  科协  ", "不存在的词"]


def test_synthetic_edges_queued_and_indexed(synthetic: sqlite_utils.Database) -> None:
    conn = synthetic.conn
    reference = {q: {i for i, t, x in conn.execute("SELECT id, title, text FROM articles")
                     if needle(q) in fold(t) or needle(q) in fold(x)} for q in EDGES}
    assert reference["科"] == {1, 2, 3} and reference["末尾\n第二"] == {5} and reference["双 空格"] == set()
    assert pending(synthetic) == 6  # not indexed yet: searches scan the queue
    assert {q: ids(synthetic, literal(q)) for q in EDGES} == reference
    update_index(synthetic)
    assert pending(synthetic) == 0 and {q: ids(synthetic, literal(q)) for q in EDGES} == reference


def test_index_follows_updates_deletes_and_rebuilds(synthetic: sqlite_utils.Database) -> None:
    update_index(synthetic)
    synthetic.execute("UPDATE articles SET text = '改写后的正文' WHERE id = 2")
    synthetic.execute("UPDATE articles SET published_at = '2020-01-01' WHERE id = 1")  # not a search change
    synthetic.execute("DELETE FROM articles WHERE id = 4")
    synthetic.conn.commit()
    assert pending(synthetic) == 2
    for _ in range(2):  # before and after the queue is drained
        assert ids(synthetic, "科协") == {1} and ids(synthetic, "改写") == {2} and ids(synthetic, "院士") == {1}
        update_index(synthetic)
    synthetic.execute("UPDATE articles SET title = '科协新标题' WHERE id = 3")
    synthetic.execute("UPDATE articles SET title = '再改' WHERE id = 3")  # twice before indexing: old tokens kept once
    update_index(synthetic, [3])
    synthetic.conn.commit()
    assert ids(synthetic, "科协") == {1} and ids(synthetic, "再改") == {3} and pending(synthetic) == 0
    ensure_search_index(synthetic)  # idempotent
    assert ids(synthetic, "再改") == {3}
    count = synthetic.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert count == synthetic.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_ranking_puts_title_and_repeated_hits_first(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "rank.db")
    ensure_search_index(archive.db)
    archive.db.table("sites").insert({"key": "s", "name": "s", "level": "city", "region": ""})
    filler = "今天天气很好，大家一起去公园散步。" * 20
    texts = {1: ("会议", filler + "科普一次"), 2: ("科普大会", filler), 3: ("会议", filler + "科普" * 5)}
    texts.update({i: ("其他", filler) for i in range(4, 12)})  # so that 科普 is rare enough to weigh
    for i, (title, text) in texts.items():
        archive.db.table("articles").insert({"id": i, "site": "s", "title": title, "text": text, "content_hash": str(i),
                                       "published_at": "2023-01-01"})
    update_index(archive.db)
    archive.close()
    conn = connect_read_only(tmp_path / "rank.db")
    hits = search_conn(conn, "科普", limit=10).hits
    assert [h["id"] for h in hits] == [2, 3, 1] and hits[0]["score"] > hits[1]["score"] > hits[2]["score"]
    assert "<mark>科普</mark>" in hits[1]["snippet"]


def test_tokens_and_query_shapes() -> None:
    assert fold("ＡＢｃ１\u3000X\nİ") == "abc1 x i" and len(fold("İ")) == 1
    assert grams("科协 A") == "科协 协\uffff \uffffa a\ufffe" and grams("") == "" and grams("科") == "科\ufffe"
    assert fts_query("科") == '{text_2gram title_2gram} : "科"*'
    assert fts_query('"中国 科协"') == '{text_2gram title_2gram} : "中国 国\uffff \uffff科 科协"'
    assert fts_query('中国"科协') == '{text_2gram title_2gram} : ("中国" AND "科协")'  # a quote is syntax
    assert fts_query("   ") == '""'


def test_ensure_search_index_inside_a_migration_transaction(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "m.db")
    archive.db.table("sites").insert({"key": "s", "name": "s", "level": "city", "region": ""})
    archive.db.table("articles").insert({"id": 1, "site": "s", "title": "科协", "text": "院士", "content_hash": "1"})
    with archive.db.atomic():  # as archive.schema.migrate runs a migration
        ensure_search_index(archive.db)
    assert pending(archive.db) == 0 and ids(archive.db, "院士") == {1}


def test_sql_is_read_only_and_has_the_search_functions(archive_db: Path) -> None:
    result = kexie("sql", "DELETE FROM articles", db=archive_db, check=False)
    assert result.returncode == 2 and "readonly" in result.stderr.replace(" ", "").lower()
    out = kexie("sql", "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH kexie_fts_query('科协')",
             db=archive_db).stdout
    assert int(out.splitlines()[1]) == len(scan(archive_db, "科协"))


def test_every_archive_command_has_an_example() -> None:
    for command in ("search", "sql", "export", "report", "serve", "index", "reextract"):
        out = kexie(command, "--help").stdout
        assert "Example" in out and f"kexie {command}" in out, command


def test_search_without_an_index_says_what_to_do(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "bare.db").execute("CREATE TABLE articles (id INTEGER PRIMARY KEY)").connection.close()
    result = kexie("search", "科协", db=tmp_path / "bare.db", check=False)
    assert result.returncode == 2 and "kexie index" in result.stderr and "Traceback" not in result.stderr

