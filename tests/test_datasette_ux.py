"""What a person sees in a browser on `kexie serve`: a real Datasette over a crawled archive named demo.db,
its HTML pages fetched over HTTP.

An article's page reads as a page, the home page leads with articles, canned queries hide their SQL,
search scores rank like `kexie search`, titles link to their article, dates read alike, and the archive's
metadata and search box follow a file that is not called archive.db (also under plain `datasette -m`).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.searching import search_ids
from tools.sampleweb.server import SampleWeb

from .conftest import ROOT, sample_archive
from .datasette_process import Server
from .pngread import png_pixels

INTERNAL = ["near_bands", "near_signatures", "near_duplicates", "pages", "versions", "search_queue", "search_meta",
            "migrations", "articles_fts"]
QUERIES = list(yaml.safe_load((ROOT / "config" / "datasette.yaml").read_text("utf-8"))["databases"]["archive"]
               ["queries"])


@pytest.fixture(scope="module")
def demo(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample web crawled and indexed, in a file named demo.db."""
    return sample_archive(sample_web, tmp_path_factory, "demo.db")


@pytest.fixture(scope="module")
def served(demo: Path) -> Iterator[Server]:
    server = Server([sys.executable, "-m", "cli", "serve", "--db", str(demo)])
    yield server
    server.stop()


def visible(page: str) -> str:
    """The page without its link targets (the canned query's "Edit SQL" link carries the SQL in its href)."""
    return re.sub(r'href="[^"]*"', "", page)


def test_article_page_has_a_heading_and_wrapping_paragraphs(served: Server, demo: Path) -> None:
    conn = sqlite3.connect(demo)
    article_id, title, text = conn.execute("SELECT id, title, text FROM articles WHERE text LIKE '%' || char(10) || '%'"
                                           " ORDER BY length(text) DESC LIMIT 1").fetchone()
    page = served.text(f"/demo/articles/{article_id}")
    assert re.search(r"<h1[^>]*>\s*" + re.escape(html.escape(title, quote=False)) + r"\s*</h1>", page), page[:3000]
    body = page[page.index('class="kexie-text"'):]
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    assert len(paragraphs) > 1
    for paragraph in paragraphs:
        assert f"<p>{html.escape(paragraph, quote=False)}</p>" in body.replace("&#34;", '"').replace("&#39;", "'")
    assert '<link rel="stylesheet" href="/-/kexie.css">' in page
    css = served.text("/-/kexie.css")
    rule = re.search(r"\.kexie-text p \{([^}]*)\}", css)
    assert rule and "white-space: pre-wrap" in rule.group(1) and "overflow-wrap: anywhere" in rule.group(1)


def test_home_page_leads_with_articles_and_hides_internals(served: Server) -> None:
    page = served.text("/")
    links = re.findall(r'href="/demo/([a-z_]+)"', page)
    assert links[0] == "articles", links
    assert {"articles_overview", "sites", "article_urls", "duplicates", "rejects", "crawl_runs", "frontier",
            "search"} <= set(links)
    assert not set(INTERNAL) & set(links), links
    assert "One row per distinct text" in page  # described, not just named
    database = served.text("/demo")
    tables = re.findall(r'<h3><a href="/demo/([a-z_]+)"', database)
    assert tables and not set(INTERNAL) & set(tables), tables  # behind "hidden tables"


def test_canned_queries_hide_their_sql(served: Server) -> None:
    assert {"search", "latest_articles", "crawl_health"} <= set(QUERIES)
    for name in QUERIES:
        page = served.text(f"/demo/{name}", **({"q": "科协"} if name == "search" else {}))
        assert "SELECT" not in visible(page) and "FROM articles" not in visible(page), name
        assert re.search(r"<title>demo: [^<\n]+</title>", page), name


@pytest.mark.parametrize("query", ["科协", "院士", "2023年"])
def test_search_scores_rank_like_kexie_search(served: Server, demo: Path, query: str) -> None:
    rows = served.json("/demo/search.json", q=query, _shape="array")
    assert [r["id"] for r in rows] == search_ids(demo, query)[:100]
    scores = [r["score"] for r in rows]
    assert scores[0] == 1.0 and all(s > 0 for s in scores), scores
    assert scores == sorted(scores, reverse=True), scores


def test_titles_link_to_their_article_and_urls_are_links(served: Server) -> None:
    pages = {"/demo/articles_overview": {"_size": "max"}, "/demo/articles": {"_size": "max"},
             "/demo/search": {"q": "科协"}, "/demo/latest_articles": {}}
    for path, params in [*pages.items(), *[(p, {"_size": "max", "_nocol": "author"}) for p in list(pages)[:2]]]:
        rows = served.json(path + ".json", _shape="array", **params)
        page = served.text(path, **params)
        assert rows
        for row in rows:
            title = html.escape(row["title"], quote=False)
            assert re.search(rf'<a class="kexie-title-link" href="/demo/articles/{row["id"]}">{re.escape(title)}</a>',
                             page.replace("&#34;", '"').replace("&#39;", "'")), (path, row["id"])
            if "_size" not in params or "_nocol" in params:  # the article tables show no URL until asked
                assert f'<a href="{html.escape(row["url"])}">' in page, (path, row["url"])
    rejects = served.text("/demo/rejects")
    assert "kexie-title-link" not in rejects  # a reject's id is not an article's


def test_published_at_reads_as_a_date_plus_time_when_known(served: Server, demo: Path) -> None:
    stored = dict(sqlite3.connect(demo).execute("SELECT id, published_at FROM articles"))
    assert any(len(v) == 10 for v in stored.values()) and any("T" in v for v in stored.values())
    page = served.text("/demo/articles", _size="max")
    shown = re.findall(r'<td class="col-published_at[^"]*"><time class="kexie-date" datetime="([^"]+)"[^>]*>'
                       r'(\d{4}-\d{2}-\d{2})(?: <span class="kexie-clock">(\d{2}:\d{2})</span>)?</time>', page)
    assert sorted(raw for raw, _, _ in shown) == sorted(stored.values())
    for raw, day, clock in shown:
        assert raw.startswith(day) and (clock == raw[11:16] if "T" in raw else not clock), raw
    rows = served.json("/demo/articles.json", _shape="array", _size="max", _col="published_at")
    assert {r["id"]: r["published_at"] for r in rows} == stored  # the data itself is untouched


def test_a_file_not_named_archive_keeps_metadata_and_search(served: Server, demo: Path) -> None:
    near = {r[0] for r in sqlite3.connect(demo).execute("SELECT article_id FROM near_duplicates")}
    total = sqlite3.connect(demo).execute("SELECT count(*) FROM articles").fetchone()[0]
    datasette = Path(sys.executable).with_name("datasette")
    plain = Server([str(datasette), "serve", "-i", str(demo), "-m", str(ROOT / "config" / "datasette.yaml")])
    try:
        for server in (plain, served):  # the README's datasette command, and kexie serve
            tables = server.json("/-/metadata.json")["databases"]["demo"]["tables"]
            assert "distinct text" in tables["articles"]["description"] and tables["pages"]["hidden"]
            for query in ("院士", "科协", "2023年"):
                found = [r["id"] for r in server.json("/demo/articles.json", _search=query, _shape="array",
                                                       _col="id", _size="max")]
                expected = search_ids(demo, query, "--with-duplicates")
                assert set(found) == set(expected) and 0 < len(found) < total, (server.base, query)
                shown = server.json("/demo/articles_overview.json", _search=query, is_duplicate=0, _shape="array",
                                    _size="max")
                assert {r["id"] for r in shown} == set(expected) - near
            assert server.json("/demo/search.json", q="院士", _shape="array")
    finally:
        plain.stop()


def dark_pixels(png: bytes, left: int, top: int, right: int, bottom: int) -> int:
    """How many pixels of the box are dark (text)."""
    width, _, bpp, pixels = png_pixels(png)
    stride = width * bpp
    return sum(1 for y in range(top, bottom) for x in range(left, right)
               if sum(pixels[y * stride + x * bpp:y * stride + x * bpp + 3]) < 3 * 120)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless chromium is not installed")
def test_screenshot_of_an_article_page(served: Server, tmp_path: Path) -> None:
    """Installs nothing: without a CJK font (fonts-noto-cjk) the Chinese shows as boxes, but the layout is the
    same. The article's title and text wrap within the left part of a 1200 px window, so its right part
    holds no text (a one-row table of 17 columns ran across it and off screen)."""
    shot = tmp_path / "article.png"
    article_id = served.json("/demo/articles.json", _shape="array", _size=1, _col="title")[0]["id"]
    sandbox = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    subprocess.run([str(shutil.which("chromium")), "--headless", *sandbox, "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={shot}", "--window-size=1200,900", served.base + f"/demo/articles/{article_id}"],
                   capture_output=True, timeout=120, check=False)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert int.from_bytes(data[16:20], "big") == 1200 and int.from_bytes(data[20:24], "big") == 900
    assert dark_pixels(data, 0, 60, 800, 650) > 2000  # the title and text are there
    assert dark_pixels(data, 900, 60, 1180, 650) < 50  # and nothing runs off to the right


def test_article_tables_lead_with_title_site_date_and_an_excerpt(served: Server, demo: Path) -> None:
    """Issue 25: the articles table showed every column, full texts included, the title off to the right."""
    texts = dict(sqlite3.connect(demo).execute("SELECT id, text FROM articles"))
    page = served.text("/demo/articles")
    table = page[page.index('<table class="rows-and-columns'):]
    heads = re.findall(r'<th [^>]*class="col-([a-z_]+)"', table)
    assert heads == ["title", "site", "published_at", "text"], heads
    assert "<span class=\"kexie-label\">标题</span> title" in table and "excerpt" in table
    excerpts = [html.unescape(e) for e in re.findall(r'<td class="col-text kexie-excerpt">([^<]*)</td>', table)]
    assert len(excerpts) == len(re.findall(r"<tr>", table)) - 1 > 10  # one a row
    flat = [text.replace("\n", " ") for text in texts.values()]
    for shown in excerpts:
        assert len(shown) <= 61 and any(text.startswith(shown.rstrip("…")) for text in flat), shown
    assert max(map(len, texts.values())) > 200  # so an excerpt is shorter than a full text
    overview = served.text("/demo/articles_overview")
    heads = re.findall(r'<th [^>]*class="col-([a-z_]+)"', overview[overview.index('<table class="rows-and-columns'):])
    assert heads[:3] == ["title", "site_name", "published_at"] and "url" not in heads, heads
    everything = served.text("/demo/articles", _nocol="text_original")  # the reader's choice wins
    heads = re.findall(r'<th [^>]*class="col-([a-z_]+)"', everything[everything.index('<table class="rows-and-c'):])
    assert heads[:2] == ["id", "site"] and "text" in heads and "kexie-label" not in everything
    rows = served.json("/demo/articles.json", _shape="array", _size=5)
    assert all(texts[r["id"]] == r["text"] and "text_original" in r for r in rows)  # the JSON keeps every column


def test_labels_in_chinese_with_the_english_names(served: Server) -> None:
    meta = served.json("/-/metadata.json")
    assert meta["title"].startswith("科协") and "archive" in meta["title"]
    tables = meta["databases"]["demo"]["tables"]
    assert tables["articles"]["title"] == "文章 · articles"
    assert all("·" in t["title"] and re.search(r"[\u4e00-\u9fff]", t["title"]) and name in t["title"]
               for name, t in tables.items() if not t.get("hidden"))
    queries = meta["databases"]["demo"]["queries"]
    assert all(re.match(r"[\u4e00-\u9fff]+ · [A-Z]", q["title"]) for q in queries.values()), queries
    home = served.text("/")
    assert "文章 · articles" in home and "搜索文章 · Search articles" in home
    search = served.text("/demo/search", q="科协 院士")
    for example in ("科协 院士", "院士 OR 专家", "-通知", "NOT 通知", "&#34;科协 工作&#34;"):
        assert example in search.replace('"', "&#34;"), example  # the syntax is explained where one searches
    heads = re.findall(r'<th class="col-([a-z_]+)"', search)
    assert heads[0] == "title" and heads.index("url") > heads.index("snippet"), heads
    css = served.text("/-/kexie.css")
    assert re.search(r"td\.col-url[^{}]*\{[^}]*break-all", css)  # a URL breaks anywhere, so it squeezes no title
    assert re.search(r"td\.col-title[^{}]*\{[^}]*min-width", css)


def separators(png: bytes) -> list[int]:
    """The y of each horizontal line across the page below the header: the borders between table rows."""
    width, height, bpp, pixels = png_pixels(png)
    found = []
    for y in range(60, height):
        row = [tuple(pixels[(y * width + x) * bpp:(y * width + x) * bpp + 3]) for x in range(16, width - 16, 4)]
        common = max(set(row), key=row.count)
        if row.count(common) > 0.8 * len(row) and sum(common) < 3 * 200:
            found.append(y)
    return found


def link_pixels(png: bytes, top: int, bottom: int, right: int) -> list[tuple[int, int]]:
    """(x, y) of every link-coloured (blue) pixel between two lines, left of `right`."""
    width, _, bpp, pixels = png_pixels(png)
    found = []
    for y in range(top, bottom):
        for x in range(right):
            r, _g, b = pixels[(y * width + x) * bpp:(y * width + x) * bpp + 3]
            if b > r + 40 and b > 110 and r < 120:
                found.append((x, y))
    return found


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless chromium is not installed")
@pytest.mark.parametrize("path", ["/demo/articles", "/demo/search?q=" + urllib.parse.quote("科协 院士")])
def test_screenshot_of_the_article_table_and_search(served: Server, tmp_path: Path, path: str) -> None:
    """The first screen (1200x900) shows several result rows, each a few lines tall, each led by its title as
    a link that starts at the left edge and runs wide (not squeezed to a few characters by a URL column, not
    pushed off to the right by full texts). Chinese shows as boxes without a CJK font; the layout is the same."""
    shot = tmp_path / "table.png"
    sandbox = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    subprocess.run([str(shutil.which("chromium")), "--headless", *sandbox, "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={shot}", "--window-size=1200,900", served.base + path],
                   capture_output=True, timeout=120, check=False)
    data = shot.read_bytes()
    lines = separators(data)
    assert len(lines) >= 4, lines  # the header line and three rows at least, on the first screen
    assert max(b - a for a, b in zip(lines[:4], lines[1:4], strict=False)) < 160, lines
    title = link_pixels(data, lines[0] + 2, lines[1] - 1, 400)  # the first row's title
    assert title and min(x for x, _ in title) < 40, title[:5]  # first, at the left edge
    rows = max(y for _, y in title) - min(y for _, y in title)
    assert rows < 45, rows  # on one line or two, not squeezed into a narrow column
