"""`kexie serve`: a real Datasette on 127.0.0.1 over a crawled archive, asked through its JSON API.

The search box must give the articles `kexie search` gives; descriptions, facets and canned queries
must be there; nothing may change the file.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.boolean_queries import Boolean, Texts, generate
from tests.searching import literal, queries_from, scan, search_ids
from tools.sampleweb.server import SampleWeb

from .conftest import ROOT, sample_archive
from .datasette_process import Server


@pytest.fixture(scope="module")
def served(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, str]]:
    db = sample_archive(sample_web, tmp_path_factory, name="kexie.db")  # not archive.db: the metadata follows
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    server = Server([sys.executable, "-m", "cli", "serve", "--db", str(db)])
    yield server, db, before
    server.stop()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before, "serving changed the archive"


def table_ids(server: Server, table: str, database: str = "kexie", **params: Any) -> list[int]:
    rows = server.json(f"/{database}/{table}.json", _shape="array", _col="id", _size="max", **params)
    assert len(rows) < 1000
    return [r["id"] for r in rows]


def test_search_box_gives_what_kexie_search_gives(served: tuple[Server, Path, str]) -> None:
    server, db, _ = served
    for term in queries_from(db)[::2] + ["科协 工作", "ai", "ＡＩ", "王喆", "三长"]:
        query = literal(term)
        on_table = table_ids(server, "articles", _search=query)
        assert set(on_table) == set(search_ids(db, query, "--with-duplicates")) == scan(db, term), query
        shown = table_ids(server, "articles_overview", _search=query, is_duplicate=0)
        assert set(shown) == set(search_ids(db, query)), query


def test_boolean_queries_equal_a_substring_scan(served: tuple[Server, Path, str]) -> None:
    """The table search box and the canned search read the syntax of kexie search (tests/boolean_queries.py),
    ranked as kexie search ranks; a malformed query gets the lenient reading (an unclosed phrase runs to the end)."""
    server, db, _ = served
    texts = Texts(db)
    for query, meaning in generate(texts, 24, seed=11):
        expected = texts.scan(meaning)
        assert set(table_ids(server, "articles", _search=query)) == expected, (query, meaning)
        shown = table_ids(server, "articles_overview", _search=query, is_duplicate=0)
        assert set(shown) == texts.scan(meaning, with_duplicates=False), (query, meaning)
        canned = server.json("/kexie/search.json", q=query, with_duplicates="1", _shape="array")
        assert [r["id"] for r in canned] == search_ids(db, query, "--with-duplicates")[:100], query
        assert len(canned) == 100 or {r["id"] for r in canned} == expected, (query, meaning)
    both = texts.scan(Boolean((("科协",), ("院士",))))
    assert both and set(table_ids(server, "articles", _search="科協 院士")) == both
    assert set(table_ids(server, "articles", _search='科协 "院士')) == both
    assert set(table_ids(server, "articles", _search="科协 -院士")) == texts.scan(Boolean((("科协",),), ("院士",)))


def test_facets_descriptions_and_read_only(served: tuple[Server, Path, str]) -> None:
    server, db, _ = served
    facets = server.json("/kexie/articles_overview.json", _size=0)["facet_results"]
    assert set(facets) == {"site", "region", "level", "year"}
    conn = __import__("sqlite3").connect(db)
    per_year = dict(conn.execute("SELECT substr(published_at, 1, 4), count(*) FROM articles GROUP BY 1"))
    assert {f["value"]: f["count"] for f in facets["year"]["results"]} == per_year
    meta = server.json("/-/metadata.json")["databases"]["kexie"]["tables"]
    assert "distinct text" in meta["articles"]["description"] and meta["articles"]["columns"]["published_at"]
    assert server.json("/-/databases.json")[0]["is_mutable"] is False
    plugins = server.json("/-/plugins.json")  # named archive.datasette_plugin, or kexie-archive by entry point
    assert any(p["name"] in ("archive.datasette_plugin", "kexie-archive") for p in plugins), plugins
    with pytest.raises(urllib.error.HTTPError) as refused:
        server.json("/kexie.json", sql="DELETE FROM articles")
    assert refused.value.code == 400


def test_canned_queries(served: tuple[Server, Path, str]) -> None:
    server, db, _ = served
    conn = __import__("sqlite3").connect(db)
    articles = conn.execute("SELECT count(*) FROM articles WHERE id NOT IN"
                            " (SELECT article_id FROM near_duplicates)").fetchone()[0]
    latest = server.json("/kexie/latest_articles.json", _shape="array")
    assert len(latest) == min(articles, 100) and latest[0]["published_at"] >= latest[-1]["published_at"]
    months = server.json("/kexie/articles_per_site_per_month.json", _shape="array")
    assert sum(r["articles"] for r in months) == articles
    for query in ("科协", "院士", "2023年"):
        found = server.json("/kexie/search.json", q=query, _shape="array")
        assert [r["id"] for r in found] == search_ids(db, query)[:100] and "<mark>" in found[0]["snippet"]
    site = found[0]["site"]
    narrowed = server.json("/kexie/search.json", q="科", site=site, since="2022-01-01", _shape="array")
    assert [r["id"] for r in narrowed] == search_ids(db, "科", "--site", site, "--since", "2022-01-01")[:100]
    clusters = server.json("/kexie/duplicate_clusters.json", _shape="array")
    copies = conn.execute("SELECT count(*) FROM duplicates").fetchone()[0]
    assert sum(r["copies"] for r in clusters) == copies
    reasons = server.json("/kexie/rejects_by_reason.json", _shape="array")
    assert sum(r["pages"] for r in reasons) == conn.execute("SELECT count(*) FROM rejects").fetchone()[0]
    health = server.json("/kexie/crawl_health.json", _shape="array")
    assert [r["site"] for r in health] == [r[0] for r in conn.execute("SELECT key FROM sites ORDER BY key")]
    with urllib.request.urlopen(server.base + "/kexie/search?" + urllib.parse.urlencode({"q": "院士"})) as page:
        assert "<mark>院士</mark>" in page.read().decode("utf-8")


def plugin_installed() -> bool:
    """Whether the `datasette` command itself loads the kexie plugin (from the package's entry point)."""
    datasette = Path(sys.executable).with_name("datasette")
    if not datasette.exists():
        return False
    listed = subprocess.run([str(datasette), "plugins"], capture_output=True, text=True, cwd="/", timeout=60).stdout
    return "datasette_plugin" in listed or "kexie" in listed


ENTRY_POINT = plugin_installed()


@pytest.mark.skipif(not ENTRY_POINT, reason="the kexie Datasette plugin entry point is not installed"
                    " (pyproject [project.entry-points.datasette]; reinstall with pip install -e .)")
def test_plain_datasette_loads_the_plugin_from_the_package(sample_web: SampleWeb,
                                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    db = sample_archive(sample_web, tmp_path_factory)
    metadata = ROOT / "config" / "datasette.yaml"
    server = Server([str(Path(sys.executable).with_name("datasette")), "serve", "-i", str(db), "-m", str(metadata)])
    try:
        assert set(table_ids(server, "articles", "archive", _search="院士")) == scan(db, "院士")
        assert server.json("/archive/search.json", q="院士", _shape="array")
    finally:
        server.stop()
