"""Dedupe and store against a real SQLite file: one article per text, every URL kept, nothing lost."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from archive.db import Archive
from dedupe.decide import decide
from dedupe.write import store
from extract.page import Page
from extract.process import process

TEXT = "恩施州科协召开第五次代表大会，回顾五年工作，部署今后任务。\n全州科技工作者团结奋斗，服务创新驱动发展。"


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    a = Archive(tmp_path / "a.db")
    for key, official, spam in (("official", 1, 0), ("portal", 0, 0), ("mirror", 0, 1)):
        a.upsert_site({"key": key, "name": key, "level": "city", "region": "", "official": official, "spam": spam,
                       "verified": 1, "base_url": f"http://{key}.example", "config_path": ""})
    return a


def page(site: str, url: str, text: str = TEXT, published: str = "2022-12-15", title: str = "五年答卷") -> Page:
    return Page(url=url, body=f"<html><body>{url}{text}</body></html>".encode(), site=site, text=text,
                title=title, published_at=published, fetched_at="2026-01-01T00:00:00+00:00")


def put(archive: Archive, p: Page) -> str:
    return store(decide(p, archive), archive, None)


def test_copies_link_to_one_article_and_official_wins(archive: Archive) -> None:
    assert put(archive, page("mirror", "http://mirror.example/news/488.html", title="新蒲京-五年答卷")) == "stored"
    punctuated = TEXT.replace("，", ",").replace("。", ".") + "  "
    assert put(archive, page("portal", "http://portal.example/a/1.html", punctuated)) == "duplicate"
    assert put(archive, page("official", "http://www.official.example/xw/t20221215_1.html")) == "duplicate"
    db = archive.db
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    article = db.execute("SELECT site, url, title FROM articles").fetchone()
    assert article == ("official", "http://www.official.example/xw/t20221215_1.html", "五年答卷")
    kinds = dict(db.execute("SELECT site, kind FROM article_urls").fetchall())
    assert kinds == {"official": "original", "mirror": "exact", "portal": "exact"}
    assert db.execute("SELECT count(*) FROM duplicates").fetchone()[0] == 2


def test_spam_never_promoted_over_portal(archive: Archive) -> None:
    put(archive, page("portal", "http://portal.example/a/1.html", published="2022-12-20"))
    assert put(archive, page("mirror", "http://mirror.example/n/1.html", published="2022-12-01")) == "duplicate"
    assert archive.db.execute("SELECT site FROM articles").fetchone()[0] == "portal"


def test_same_url_again_is_unchanged_and_changed_text_is_a_version_not_an_overwrite(archive: Archive) -> None:
    url = "http://portal.example/a/1.html"
    put(archive, page("portal", url))
    assert put(archive, page("portal", "https://www.portal.example/a/1.html#x")) == "unchanged"
    assert put(archive, page("portal", url, TEXT + "\n补充一段新内容。")) == "changed"
    assert archive.db.execute("SELECT text FROM articles").fetchone()[0] == TEXT + "\n补充一段新内容。"
    history = archive.db.execute("SELECT version, text FROM versions ORDER BY version").fetchall()
    assert history == [(1, TEXT), (2, TEXT + "\n补充一段新内容。")]
    pages = archive.db.execute("SELECT count(*) FROM pages WHERE url = ?", [url]).fetchone()[0]
    assert pages == 2  # the changed raw page is kept beside the first
    assert archive.db.execute("SELECT count(*) FROM duplicates").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty_page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "not_html"),
        (b"<html><head><title>x</title></head><body><div></div></body></html>", "no_text"),
        ("<html><body><h1>无日期</h1><p>" + "没有任何日期的正文段落，内容足够长。" * 10 + "</p></body></html>",
         "no_date"),
    ],
)
def test_broken_pages_are_kept_aside_with_reason(archive: Archive, body: bytes | str, reason: str) -> None:
    raw = body.encode() if isinstance(body, str) else body
    p = process(Page(url="http://portal.example/bad.html", body=raw, site="portal"))
    assert p.reject_reason == reason
    assert put(archive, p) == "rejected"
    row = archive.db.execute("SELECT r.reason, p.body FROM rejects r JOIN pages p ON p.id = r.page_id").fetchone()
    assert row[0] == reason and zlib.decompress(row[1]) == raw


def test_batches_commit_and_survive_reopen(tmp_path: Path) -> None:
    a = Archive(tmp_path / "b.db")
    a.upsert_site({"key": "portal", "name": "p", "level": "portal", "region": "", "official": 0, "spam": 0,
                   "verified": 1, "base_url": "http://p.example", "config_path": ""})
    a.begin()
    put(a, page("portal", "http://p.example/1.html"))
    a.db.rollback()  # a crash before the batch commits loses only that batch...
    assert Archive(tmp_path / "b.db").db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    a.begin()
    put(a, page("portal", "http://p.example/1.html"))
    a.commit()  # ...and a committed batch is there for the next reader
    assert Archive(tmp_path / "b.db").db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_a_stage_that_raises_keeps_the_page_with_the_error(archive: Archive) -> None:
    from pipelines.pool import safe_process

    broken = Page(url="http://portal.example/x.html", site="portal", content_xpath="//div[",
                  body="<html><body><p>正文内容足够长的一段话，用来测试提取阶段出错时页面不会丢失。</p></body></html>".encode())
    p = safe_process(broken)
    assert p.reject_reason == "extract_error" and "XPath" in p.reject_detail
    assert put(archive, p) == "rejected"
    assert archive.db.execute("SELECT reason FROM rejects").fetchone()[0] == "extract_error"
