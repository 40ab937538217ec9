"""Duplicates through the real crawl path: `kexie crawl` (spider, extract, clean, date, dedupe,
store) against three small sites written to tmp_path, so the bundled sample web stays untouched."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dedupe_texts import ORIGINAL, PARAS, TITLE, TRADITIONAL
from tools.sampleweb.server import SampleWeb

from .conftest import LOCAL, kexie

SITE_TOML = """name = "{name}"
level = "{level}"
region = "湖北省襄阳市"
official = {official}
spam = {spam}
base_url = "http://www.{key}.example"
start_urls = ["/news/index.html"]
article_pattern = '^/news/\\d+\\.html$'
"""
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_{site_name}</title></head><body>
<div class="nav"><a href="/news/index.html">首页</a> <a href="/news/index.html">新闻动态</a>
<a href="/about.html">关于我们</a></div>
<div class="article"><h1>{title}</h1><div class="info">发布日期：{date}　来源：{site_name}</div>
{paragraphs}</div>
<div class="footer">版权所有：{site_name}　ICP备05012345号</div></body></html>"""
SITES = {  # key: name, level, official, spam, (date, title, text) of /news/1.html
    "xykx": ("襄阳市科学技术协会", "city", "true", "false", ("2023-05-30", TITLE, ORIGINAL)),
    "xyrb": ("襄阳日报", "newspaper", "false", "false", ("2023-05-31", TITLE, "本报讯（记者 李晓燕）"
             + "\n".join(PARAS[:4]) + "\n记者手记：科技工作者是城市创新的底气。")),
    "mirror": ("新蒲京娱乐资讯", "portal", "false", "true", ("2023-05-20", "新蒲京-" + TITLE, TRADITIONAL(ORIGINAL))),
}


def write_page(root: Path, key: str, date: str, title: str, text: str) -> None:
    name = SITES[key][0]
    paragraphs = "\n".join(f"<p>{line}</p>" for line in text.splitlines())
    (root / key / "news" / "1.html").write_text(
        PAGE.format(title=title, site_name=name, date=date, paragraphs=paragraphs), encoding="utf-8")


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[SampleWeb, Path]]:
    sites_dir, root = tmp_path / "sites", tmp_path / "web"
    sites_dir.mkdir()
    for key, (name, level, official, spam, article) in SITES.items():
        (sites_dir / f"{key}.toml").write_text(
            SITE_TOML.format(key=key, name=name, level=level, official=official, spam=spam), encoding="utf-8")
        (root / key / "news").mkdir(parents=True)
        (root / key / "news" / "index.html").write_text(
            '<html><body><ul><li><a href="/news/1.html">1</a></li></ul></body></html>', encoding="utf-8")
        write_page(root, key, *article)
    server = SampleWeb(root=root).start()
    yield server, sites_dir
    server.stop()


def crawl(web: tuple[SampleWeb, Path], db: Path, *extra: str) -> None:
    server, sites_dir = web
    moved = [arg for key, url in server.base_urls.items() for arg in ("--base-url", f"{key}={url}")]
    kexie("crawl", *SITES, "--sites-dir", str(sites_dir), *moved, *LOCAL, *extra, db=db)


def test_crawl_links_copies_keeps_versions_and_recrawls_add_nothing(web: tuple[SampleWeb, Path],
                                                                    tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    crawl(web, db)
    conn = sqlite3.connect(db)
    places = conn.execute("SELECT site, kind, original_site FROM duplicates ORDER BY site").fetchall()
    assert places == [("mirror", "exact", "xykx"), ("xyrb", "near", "xykx")]
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    counts = conn.execute("SELECT sum(stored), sum(duplicates) FROM crawl_runs").fetchone()
    assert counts == (2, 2)  # the near copy is both stored and a duplicate

    tables = ("articles", "article_urls", "near_duplicates", "near_bands", "versions", "pages")
    before = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    crawl(web, db, "--full")  # every page fetched again, same texts: all unchanged
    assert {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables} == before

    server_root = web[0].root
    write_page(server_root, "xykx", "2023-05-30", TITLE, ORIGINAL + "\n（更正：与会代表为32名。）")
    crawl(web, db, "--full")
    versions = conn.execute("SELECT version, substr(text, -12) FROM versions ORDER BY version").fetchall()
    assert [v[0] for v in versions] == [1, 2] and "32名" in versions[1][1]
    assert "32名" in conn.execute("SELECT text FROM articles WHERE site = 'xykx'").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM duplicates").fetchone()[0] == 2  # a version is no duplicate
