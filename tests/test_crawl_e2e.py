"""End to end: crawl the bundled sample web into a real SQLite archive and check every row.

The truth is tools/sampleweb/expected.json, written by hand from the sample pages.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tools.sampleweb.server import SampleWeb

from .conftest import ROOT, crawl_sample

EXPECTED = json.loads((ROOT / "tools" / "sampleweb" / "expected.json").read_text("utf-8"))["sites"]
BOILERPLATE = re.compile(
    r"ICP[备证]|公网安备|版权所有|Copyright|责任编辑|编辑[:：]|校审|技术支持|主办|社址|邮编|电话|"
    r"分享到|本文网址|近期浏览|用户登[录錄]|立即注[册冊]|通版|当前版|建议使用IE"
)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def crawled(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("e2e") / "archive.db"
    first = crawl_sample(sample_web, db)
    hits_after_first = {k: list(v) for k, v in sample_web.hits.items()}
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return {"db": db, "conn": conn, "output": first.stdout + first.stderr, "hits": hits_after_first,
            "web": sample_web}


def rows(crawled: dict[str, Any], sql: str, *params: Any) -> list[sqlite3.Row]:
    return crawled["conn"].execute(sql, params).fetchall()


def test_crawl_reports_and_has_no_traceback(crawled: dict[str, Any]) -> None:
    assert "Traceback" not in crawled["output"]
    for key in EXPECTED:
        assert re.search(rf"^{key}\s+\d+\s+\d+", crawled["output"], re.MULTILINE), crawled["output"]


@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_exact_articles_per_site(crawled: dict[str, Any], site: str) -> None:
    stored = {path_of(r["url"]): r for r in rows(crawled, "SELECT * FROM articles WHERE site = ?", site)}
    expected = {a["path"]: a for a in EXPECTED[site]["articles"]}
    assert set(stored) == set(expected)
    for path, want in expected.items():
        got = stored[path]
        assert got["title"] == want["title"], path
        assert got["published_at"] == want["published_at"], path
        for phrase in want.get("must_contain", []):
            assert phrase in got["text"], (path, phrase)
        for phrase in want.get("must_not_contain", []):
            assert phrase not in got["text"], (path, phrase)
        for field in ("author", "editor"):
            if field in want:
                assert want[field] in (got[field] or ""), (path, field, got[field])


def test_no_boilerplate_in_any_text(crawled: dict[str, Any]) -> None:
    for row in rows(crawled, "SELECT url, text FROM articles"):
        for line in row["text"].splitlines():
            if len(line) < 80:  # a short line naming these is chrome; long paragraphs may discuss them
                assert not BOILERPLATE.search(line), (row["url"], line)


@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_rejects_duplicates_and_unfetched(crawled: dict[str, Any], site: str) -> None:
    spec = EXPECTED[site]
    rejects = {path_of(r["url"]): r["reason"] for r in rows(crawled, "SELECT * FROM rejects WHERE site = ?", site)}
    missing = {m["path"]: "missing" for m in spec.get("missing", [])}  # a 404 article link is kept aside too
    assert rejects == {r["path"]: r["reason"] for r in spec.get("rejects", [])} | missing
    copies = rows(crawled, "SELECT * FROM duplicates WHERE site = ?", site)
    got = {(path_of(r["url"]), r["original_site"], path_of(r["original_url"])) for r in copies}
    assert got == {(d["path"], d["original_site"], d["original_path"]) for d in spec.get("duplicates", [])}
    fetched = set(map(path_of, (r["url"] for r in rows(crawled, "SELECT url FROM pages WHERE site = ?", site))))
    for skipped in spec.get("not_fetched", []):
        assert skipped["path"] not in fetched and skipped["path"] not in crawled["hits"][site]


def test_mirror_copy_is_not_stored_twice(crawled: dict[str, Any]) -> None:
    hashes = rows(crawled, "SELECT content_hash, count(*) AS n FROM articles GROUP BY content_hash HAVING n > 1")
    assert hashes == []
    spam_originals = rows(crawled, "SELECT a.url FROM articles a JOIN sites s ON s.key = a.site WHERE s.spam = 1"
                                   " AND a.id IN (SELECT article_id FROM article_urls WHERE kind != 'original')")
    assert spam_originals == []


def test_gbk_site_decoded_cleanly(crawled: dict[str, Any]) -> None:
    texts = rows(crawled, "SELECT a.title, a.text FROM articles a JOIN pages p ON p.id = a.page_id"
                          " WHERE p.encoding = 'gb18030'")
    assert texts, "the GBK sample site stored nothing"
    assert all("\ufffd" not in r["text"] + r["title"] for r in texts)


def test_raw_pages_kept_for_reextraction(crawled: dict[str, Any]) -> None:
    import zlib

    row = rows(crawled, "SELECT p.body, a.title FROM articles a JOIN pages p ON p.id = a.page_id LIMIT 1")[0]
    assert b"<html" in zlib.decompress(row["body"]).lower()
    missing = rows(crawled, "SELECT count(*) FROM articles WHERE page_id IS NULL")[0][0]
    assert missing == 0


def test_runs_recorded(crawled: dict[str, Any]) -> None:
    runs = rows(crawled, "SELECT * FROM crawl_runs")
    assert {r["site"] for r in runs} == set(EXPECTED)
    assert all(r["finish_reason"] == "finished" and r["finished_at"] for r in runs)
    assert sum(r["stored"] for r in runs) == rows(crawled, "SELECT count(*) FROM articles")[0][0]
    assert sum(r["duplicates"] for r in runs) == rows(crawled, "SELECT count(*) FROM duplicates")[0][0]
    assert sum(r["rejected"] for r in runs) == rows(crawled, "SELECT count(*) FROM rejects")[0][0]


def test_second_crawl_stores_nothing_new(crawled: dict[str, Any]) -> None:
    conn = crawled["conn"]
    before = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "article_urls", "rejects", "pages")}
    web: SampleWeb = crawled["web"]
    marks = {k: len(v) for k, v in web.hits.items()}
    crawl_sample(web, Path(crawled["db"]))
    after = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    assert after == before
    for site, spec in EXPECTED.items():
        again = set(web.hits[site][marks[site]:])
        known = {a["path"] for a in spec["articles"]} | {r["path"] for r in spec.get("rejects", [])}
        # (a missing page is asked for again: it may come back)
        assert not again & known, f"{site} fetched known articles again: {again & known}"
