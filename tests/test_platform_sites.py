"""Issue 22, part B: the platforms association sites run on, each on its own terms.

Replicas built from the real formats: a TRS WCM site (ylkx, in the sample web and the demo: a
pager written by createPageHTML, ./YYYYMM/t…html links, ArticleTitle/PubDate meta, TRS_Editor),
an old ASP county site in frames (hfkx: a <frameset> home page, NewsList.asp?ClassID=3&page=2,
ShowNews.asp?id=N, GBK, titles starting with the site's name and "--"), and two sites behind
anti-bot challenges (rsjs: HTTP 412 with a 瑞数 $_ts script; aqyz: a 200 安全验证 page), served
from tools/sampleweb/platforms/. For each: `kexie add-site` writes a file that crawls every
article with the right date and title, a hand-written file does the same, and a challenge is
said, flagged and not retried.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from extract.title import choose_title
from tools.sampleweb.generate.hfkx import hf_articles
from tools.sampleweb.generate.ylkx import yl_articles
from tools.sampleweb.server import PLATFORMS_ROOT, SampleWeb

from .conftest import LOCAL, SAMPLE_SITES, kexie
from .pageweb import PageWeb
from .probing import add_site, generated

HAND = PLATFORMS_ROOT / "_sites"


@pytest.fixture(scope="module")
def platforms() -> Iterator[SampleWeb]:
    web = SampleWeb(root=PLATFORMS_ROOT).start()
    yield web
    web.stop()


def crawl(key: str, folder: Path, db: Path, base: str | None = None, check: bool = True, *extra: str) -> object:
    moved = ["--base-url", f"{key}={base}"] if base else []
    return kexie("crawl", key, "--sites-dir", str(folder), *moved, *LOCAL, *extra, db=db, check=check)


def articles(db: Path) -> dict[str, tuple[str, str]]:
    """path?query -> (title, published_at) of the stored articles."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, title, published_at FROM articles").fetchall()
    return {re.sub(r"^https?://[^/]+", "", url): (title, published) for url, title, published in rows}


def run_errors(db: Path, site: str) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT errors_by_status FROM crawl_runs WHERE site = ? ORDER BY id DESC LIMIT 1",
                           (site,)).fetchone()
    return json.loads(row[0])


# --- TRS WCM --------------------------------------------------------------------------------------

def test_trs_site_made_and_hand_written_files_crawl_every_article(sample_web: SampleWeb, tmp_path: Path) -> None:
    base = sample_web.base_urls["ylkx"]
    made = generated(base + "/xwzx/gzdt/index.html", "ylkx", tmp_path / "made")
    text = made.read_text("utf-8")
    assert re.search(r"pagination_pattern = '.*index.*\\d", text), text
    assert "# TRS WCM: the pager is a createPageHTML" in text, text
    want = {a.path: (a.title, a.iso) for a in yl_articles()}
    assert len(want) == 11
    crawl("ylkx", tmp_path / "made", tmp_path / "made.db")
    crawl("ylkx", SAMPLE_SITES, tmp_path / "hand.db", base)
    assert articles(tmp_path / "made.db") == want
    assert articles(tmp_path / "hand.db") == want


@pytest.mark.parametrize(("script", "url", "pages"), [
    ('var countPage = 3//共多少页\ncreatePageHTML(countPage, 0, "index", "html");', "http://a/xw/index.html",
     ["/xw/index.html", "/xw/index_1.html", "/xw/index_2.html"]),
    ("createPageHTML(2, 1, 'index', 'shtml');", "http://a/xw/index_1.shtml", ["/xw/index.shtml", "/xw/index_1.shtml"]),
    ("createPageHTML('page_div', 4, 0, 'index', 'html', 57);", "http://a/xw/", [
        "/xw/index.html", "/xw/index_1.html", "/xw/index_2.html", "/xw/index_3.html"]),
    ('createPageHTML(1, 0, "index", "html");', "http://a/xw/index.html", []),
    ("function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}", "http://a/js/page.js", []),
])
def test_create_page_html_calls(script: str, url: str, pages: list[str]) -> None:
    from crawler.platforms.trs import page_urls

    assert page_urls(f"<div class='page'><script>{script}</script></div>", url) == ["http://a" + p for p in pages]


def test_article_page_given_as_list_page_is_refused(sample_web: SampleWeb, tmp_path: Path) -> None:
    page = yl_articles()[3].path
    out = add_site(sample_web.base_urls["ylkx"] + page, "--key", "art", "--sites-dir", str(tmp_path), "--write",
                   check=False)
    assert out.returncode == 1 and "is an article page" in out.stderr, out.stderr
    assert not list(tmp_path.iterdir())


# --- old ASP county site in frames --------------------------------------------------------------------

def test_frameset_site_made_and_hand_written_files_crawl_every_article(platforms: SampleWeb, tmp_path: Path) -> None:
    base = platforms.base_urls["hfkx"]
    made = generated(base + "/", "hfkx", tmp_path / "made")  # the home page: a <frameset>
    text = made.read_text("utf-8")
    assert 'start_urls = ["/NewsList.asp?ClassID=3"]' in text and 'name = "禾丰县科学技术协会"' in text, text
    assert "is a frameset or iframe shell" in text, text
    want = {a.path: (a.title, a.iso) for a in hf_articles()}
    assert len(want) == 9 and not any(title.startswith("禾丰县") for title, _ in want.values())
    crawl("hfkx", tmp_path / "made", tmp_path / "made.db")
    crawl("hfkx", HAND, tmp_path / "hand.db", base)
    assert articles(tmp_path / "made.db") == want
    assert articles(tmp_path / "hand.db") == want


def test_big_iframe_shell_is_followed(platforms: SampleWeb, tmp_path: Path) -> None:
    made = generated(platforms.base_urls["hfkx"] + "/default.htm", "hfkx", tmp_path)  # one page-sized <iframe>
    assert 'start_urls = ["/NewsList.asp?ClassID=3"]' in made.read_text("utf-8"), made.read_text("utf-8")


# --- anti-bot challenges ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "status"), [("rsjs", "412"), ("aqyz", "200")])
def test_anti_bot_challenge_exit_1_flagged_and_not_retried(platforms: SampleWeb, tmp_path: Path, key: str,
                                                           status: str) -> None:
    db = tmp_path / "a.db"
    before = len(platforms.hits[key])
    out = crawl(key, HAND, db, platforms.base_urls[key], check=False)
    assert out.returncode == 1, out.stderr  # type: ignore[attr-defined]
    stderr = out.stderr  # type: ignore[attr-defined]
    assert f"anti-bot challenge: HTTP {status}" in stderr and "Traceback" not in stderr, stderr
    assert run_errors(db, key) == {"anti-bot challenge": 1}
    assert len(platforms.hits[key]) - before <= 2, platforms.hits[key][before:]  # robots.txt and the list page
    health = kexie("health", "--sites-dir", str(HAND), db=db, check=False)
    line = next(ln for ln in health.stdout.splitlines() if ln.startswith(key))
    assert health.returncode == 1 and "anti-bot challenge" in line and "without a browser" in line, line
    probe = add_site(platforms.base_urls[key] + "/", "--key", key, "--sites-dir", str(tmp_path), "--write",
                     check=False)
    assert probe.returncode == 1 and "anti-bot challenge" in probe.stderr and "stops" in probe.stderr, probe.stderr
    assert not (tmp_path / f"{key}.toml").exists()


def test_articles_behind_a_challenge_are_not_all_asked_for(platforms: SampleWeb, tmp_path: Path) -> None:
    """rsart serves its list page but answers every article with 412 and $_ts: after the first,
    the queued article requests are not sent, and all of them wait in the frontier for the next crawl."""
    db = tmp_path / "r.db"
    # a polite pause between requests, as every real crawl has (with none, the local server answers the
    # whole queue before the first 412 is read)
    out = crawl("rsart", HAND, db, platforms.base_urls["rsart"], False, "-s", "DOWNLOAD_DELAY=0.3")
    assert out.returncode == 1 and "anti-bot challenge: HTTP 412" in out.stderr, out.stderr  # type: ignore[attr-defined]
    asked = [p for p in platforms.hits["rsart"] if re.search(r"/\d{6}/t", p)]
    assert 1 <= len(asked) <= 2, asked  # the first, perhaps one more already on its way
    assert run_errors(db, "rsart") == {"anti-bot challenge": 1}
    with sqlite3.connect(db) as conn:
        waiting = conn.execute("SELECT count(*) FROM frontier WHERE site = 'rsart' AND kind = 'article'"
                               " AND state = 'failed'").fetchone()[0]
    assert waiting == 9


def test_a_real_page_carrying_the_ts_script_is_no_challenge() -> None:
    from crawler.platforms.challenge import challenge

    ruishu = (PLATFORMS_ROOT / "rsjs" / "_challenge.html").read_bytes()
    head = ruishu.split(b"</head>")[0]
    article = yl_articles()[0]
    page = head + b"</head><body><h1>" + article.title.encode() + b"</h1>" + "".join(
        f"<p>{p}</p>" for p in article.paras).encode() + b"</body></html>"
    assert challenge(200, page) == ""
    assert challenge(412, ruishu).startswith("anti-bot challenge")


# --- responses of the wrong kind --------------------------------------------------------------------------

def test_json_where_html_expected_is_a_run_error(tmp_path: Path) -> None:
    body = json.dumps({"total": 2, "list": [{"url": "/news/1.htm", "title": "示例"}]}, ensure_ascii=False).encode()
    pages = {"/robots.txt": b"", "/api/list": body, "/news/1.htm": body,
             "/news/list.htm": "<html><body><a href='/news/1.htm'>示例新闻标题</a></body></html>".encode()}
    with PageWeb(pages) as base:
        _json_crawl(base, tmp_path)


def _json_crawl(base: str, tmp_path: Path) -> None:
    (tmp_path / "api.toml").write_text(
        f'name = "示例市科学技术协会"\nlevel = "city"\nregion = "示例市"\nofficial = true\nbase_url = "{base}"\n'
        'start_urls = ["/api/list", "/news/list.htm"]\narticle_pattern = \'^/news/\\d+\\.htm$\'\n', "utf-8")
    out = kexie("crawl", "api", "--sites-dir", str(tmp_path), *LOCAL, db=tmp_path / "j.db", check=False)
    assert out.returncode == 1, out.stderr
    assert "JSON where an HTML page was expected" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and "Spider error" not in out.stderr, out.stderr
    assert run_errors(tmp_path / "j.db", "api") == {"unexpected_json": 2}  # the list page and the article


# --- titles ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sep", ["--", "-", "_", "|", "——", "："])
@pytest.mark.parametrize("where", ["prefix", "suffix"])
@pytest.mark.parametrize("confirm", ["h1", "meta"])
def test_site_name_affix_taken_off_when_confirmed(sep: str, where: str, confirm: str) -> None:
    name, headline = "禾丰县科学技术协会", "县科协召开第七次代表大会"
    title = f"{name}{sep}{headline}" if where == "prefix" else f"{headline}{sep}{name}"
    head = f"<title>{title}</title>" + (f'<meta name="ArticleTitle" content="{headline}">' if confirm == "meta" else "")
    body = f"<h1>{headline}</h1>" if confirm == "h1" else "<div class='logo'>禾丰科协</div>"
    tree = lxml.html.fromstring(f"<html><head>{head}</head><body>{body}<p>正文。</p></body></html>")
    assert choose_title(tree) == headline


def test_a_title_part_that_is_not_the_site_name_stays() -> None:
    tree = lxml.html.fromstring("<html><head><title>院士讲科学：人工智能的未来</title></head><body>"
                                "<h1>人工智能的未来</h1></body></html>")
    assert choose_title(tree) == "院士讲科学：人工智能的未来"


# --- add-site extras ------------------------------------------------------------------------------------------

def test_add_site_finds_sitemap_xml_and_reads_robots_like_the_crawl(platforms: SampleWeb, tmp_path: Path) -> None:
    """hfkx's robots.txt has no Sitemap: line but /sitemap.xml exists; it refuses /Show… but allows
    /ShowNews.asp, a longer rule (RFC 9309, Protego, the crawl), and /*?print=1 (a wildcard)."""
    from cli.probe_fetch import Fetcher

    base = platforms.base_urls["hfkx"]
    text = generated(base + "/NewsList.asp?ClassID=3", "hfkx", tmp_path).read_text("utf-8")
    assert 'sitemap_urls = ["/sitemap.xml"]' in text and "ShowNews" in text, text
    fetcher = Fetcher(delay=0)
    assert fetcher.allowed(base + "/ShowNews.asp?id=386") and not fetcher.allowed(base + "/ShowClass.asp?ClassID=1")
    assert not fetcher.allowed(base + "/NewsList.asp?print=1")
