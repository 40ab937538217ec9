"""`kexie add-site`: the site file it writes selects the same articles as a hand-written one.

Measured on the sample sites (whose hand-written files exist) and on three small sites built
here with URL shapes the probe was not tuned on (a Hanweb-style /art/2023/3/5/art_123_4567.html
CMS with ?uid=…&pageNum=2 pages, /content/2023-03/05/content_99.htm with ?page=2 lists, and
ASP ?id=123 articles), by crawling both files and comparing the stored article URLs.
"""

from __future__ import annotations

import random
import re
import threading
import tomllib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from cli.probe import site_name
from cli.probe_shapes import shape
from cli.probe_toml import guess_level, guess_region
from siteconfig.sites import load_site
from tools.sampleweb.server import SITES_ROOT, SampleWeb

from .conftest import LOCAL, SAMPLE_SITES, kexie, sample_archive
from .probing import add_site, generated, stored_urls

SAMPLE_KEYS = ["cdkx", "esast", "nyrb", "sxkjb", "xpjmirror", "xyast", "ylkx"]


# --- the six sample sites -----------------------------------------------------------------------

def _list_page_links(key: str) -> set[str]:
    """Every link path on the site's list pages (as the hand-written pagination_pattern names them)."""
    config = load_site(SAMPLE_SITES / f"{key}.toml")
    root = SITES_ROOT / key
    links: set[str] = set()
    for file in root.rglob("*.htm*"):
        path = "/" + file.relative_to(root).as_posix()
        if not config.is_list_page(path):
            continue
        tree = lxml.html.fromstring(file.read_bytes(), base_url="http://x" + path)
        tree.make_links_absolute()
        links |= {re.sub(r"^http://x|#.*$", "", str(h)) for h in tree.xpath("//a/@href | //area/@href")
                  if str(h).startswith("http://x/")}
    return links


@pytest.fixture(scope="module")
def sample_files(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("generated")
    files = {}
    for key in SAMPLE_KEYS:
        hand = load_site(SAMPLE_SITES / f"{key}.toml")
        files[key] = generated(sample_web.base_urls[key] + hand.start_urls[0], key, folder)
    return files


@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_patterns_select_the_hand_written_articles(sample_files: dict[str, Path], key: str) -> None:
    hand, made = load_site(SAMPLE_SITES / f"{key}.toml"), load_site(sample_files[key])
    links = _list_page_links(key)
    blocked = {path for path in links if path.startswith("/admin/")}  # robots.txt keeps these out of any crawl
    want = {p for p in links - blocked if hand.is_article(p)}
    got = {p for p in links - blocked if made.is_article(p)}
    assert got == want, f"missed {sorted(want - got)}, extra {sorted(got - want)}"
    assert {p for p in links if made.is_list_page(p)} >= {p for p in links if hand.is_list_page(p)} - {"/"}
    assert not made.verified and made.name == hand.name
    assert made.start_urls == hand.start_urls


def test_generated_sample_files_crawl_the_same_articles(sample_web: SampleWeb, sample_files: dict[str, Path],
                                                      tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    hand = sample_archive(sample_web, tmp_path_factory)
    folder = next(iter(sample_files.values())).parent
    kexie("crawl", "--all", "--sites-dir", str(folder), *LOCAL, db=tmp_path / "made.db")
    hand, made = stored_urls(hand), stored_urls(tmp_path / "made.db")
    for key in SAMPLE_KEYS:
        assert made.get(key) == hand.get(key), key


def test_feed_found_and_site_guesses(sample_files: dict[str, Path]) -> None:
    nyrb = tomllib.loads(sample_files["nyrb"].read_text("utf-8"))
    assert nyrb["feed_urls"] == ["/rss.xml"] and nyrb["level"] == "portal"
    esast = tomllib.loads(sample_files["esast"].read_text("utf-8"))
    assert (esast["official"], esast["level"], esast["region"]) == (True, "city", "恩施州")
    assert "GBK" in sample_files["xyast"].read_text("utf-8")  # the encoding is worth a comment


# --- three sites the probe was not tuned on ---------------------------------------------------------

_SENTENCES = [
    "围绕科技志愿服务开展调研", "组织专家深入田间地头指导生产", "举办青少年科技创新大赛", "推进基层科普阵地建设",
    "开展全国科技工作者日系列活动", "邀请院士专家作专题报告", "召开学会秘书长工作会议", "发布年度科普工作要点",
    "推动科技成果转化落地", "走进社区讲解防灾减灾知识", "组织科普大篷车进校园", "加强科技人才队伍建设",
    "开展农村实用技术培训", "建设院士专家工作站", "宣传科学家精神", "开展老年人智能技术培训",
    "推进学会服务地方产业", "组织科技下乡集中示范", "发布优秀科普作品名单", "举办科普讲解大赛",
]


def _article(title: str, day: str, seed: int) -> bytes:
    rng = random.Random(seed)
    body = "".join(f"<p>{day[:4]}年，{rng.choice(['市', '县', '区'])}科协{'，'.join(rng.sample(_SENTENCES, 6))}，"
                   f"共有{rng.randint(100, 9999)}名群众参与，发放资料{rng.randint(10, 999)}份。</p>" for _ in range(4))
    return (f"<html><head><meta charset='utf-8'><title>{title}_示例市科学技术协会</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a></div><h1>{title}</h1><div>发布时间：{day}</div>"
            f"<div class='content'>{body}</div></body></html>").encode()


def _list(title: str, items: list[tuple[str, str]], pager: list[tuple[str, str]], nav: list[tuple[str, str]]) -> bytes:
    links = "".join(f"<li><a href='{href}'>{text}</a></li>" for href, text in items)
    pages = " ".join(f"<a href='{href}'>{text}</a>" for href, text in pager)
    menu = "".join(f"<a href='{href}'>{text}</a> " for href, text in nav)
    return (f"<html><head><meta charset='utf-8'><title>{title}_示例市科学技术协会</title></head><body>"
            f"<div class='nav'>{menu}</div><ul>{links}</ul><div class='page'>{pages}</div></body></html>").encode()


_TITLES = [f"示例市科协{word}（第{n}期）" for n, word in enumerate(["召开年度工作会议", "开展科普进社区活动",
           "举办青少年科技节", "组织专家下乡服务", "表彰优秀科技工作者", "推进学会改革", "发布科普基地名单",
           "开展科技志愿服务", "召开全委会议", "举办院士报告会", "培训基层科普骨干", "开展科普日活动"], 1)]


def _build(kind: str) -> tuple[dict[str, bytes], str, str, str]:
    """(pages by path?query, start path, hand-written article_pattern, hand-written pagination_pattern)."""
    pages: dict[str, bytes] = {"/robots.txt": b"User-agent: *\nDisallow: /admin/\n"}
    nav = [("/", "首页"), ("/about.htm", "科协概况"), ("/admin/login.htm", "登录")]
    arts = []
    for i, title in enumerate(_TITLES):
        month, day = 1 + i % 9, 1 + (3 * i) % 27
        url = {"hanweb": f"/art/2023/{month}/{day}/art_123_{4500 + 7 * i}.html",
               "content": f"/content/2023-{month:02d}/{day:02d}/content_{90 + 13 * i}.htm",
               "asp": f"/news/show.asp?id={300 + 11 * i}"}[kind]
        pages[url] = _article(title, f"2023-{month:02d}-{day:02d}", i)
        arts.append((url, title))
    lists = {"hanweb": ["/col/col123/index.html"] + [f"/col/col123/index.html?uid=4567&pageNum={n}" for n in (2, 3)],
             "content": [f"/kpzx/list.htm?page={n}" for n in (1, 2, 3)],
             "asp": ["/news/list.asp?classid=3"] + [f"/news/list.asp?classid=3&page={n}" for n in (2, 3)]}[kind]
    nav += {"hanweb": [("/col/col124/index.html", "通知公告"), ("/col/col125/index.html", "学会工作")],
            "content": [("/kpzx/list.htm?page=1", "科普资讯"), ("/tzgg/list.htm?page=1", "通知公告")],
            "asp": [("/news/list.asp?classid=4", "通知公告"), ("/news/show.asp?id=1", "联系我们")]}[kind]
    for n, path in enumerate(lists):
        pager = [(lists[0], "首页")] + [(p, str(k + 1)) for k, p in enumerate(lists)]
        if n + 1 < len(lists):
            pager += [(lists[n + 1], "下一页"), (lists[-1], "尾页")]
        pages[path] = _list(f"新闻动态 第{n + 1}页", arts[4 * n:4 * n + 4], pager, nav)
    pages["/"] = _list("首页", arts[:3], [], nav)
    pattern, pager_pattern = {
        "hanweb": (r"^/art/\d{4}/\d{1,2}/\d{1,2}/art_123_\d+\.html$",
                   r"^/col/col123/index\.html(?:\?uid=\d+&pageNum=\d+)?$"),
        "content": (r"^/content/\d{4}-\d{2}/\d{2}/content_\d+\.htm$", r"^/kpzx/list\.htm\?page=\d+$"),
        "asp": (r"^/news/show\.asp\?id=\d+$", r"^/news/list\.asp\?classid=3(?:&page=\d+)?$"),
    }[kind]
    return pages, lists[0], pattern, pager_pattern


@pytest.fixture()
def serve() -> Iterator[Callable[[dict[str, bytes]], str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(pages: dict[str, bytes]) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                body = pages.get(self.path)
                self.send_response(200 if body is not None else 404)
                kind = "text/plain" if self.path.endswith(".txt") else "text/html; charset=utf-8"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Quiet."""

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.request_queue_size = 64
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


_HAND = """name = "示例市科学技术协会"
level = "city"
region = "示例省示例市"
official = true
base_url = "{base}"
start_urls = ["{start}"]
article_pattern = '{pattern}'
pagination_pattern = '{pager}'
"""


@pytest.mark.parametrize("kind", ["hanweb", "content", "asp"])
def test_unseen_site_shapes_crawl_like_hand_written(kind: str, serve: Callable[[dict[str, bytes]], str],
                                                    tmp_path: Path) -> None:
    pages, start, pattern, pager = _build(kind)
    base = serve(pages)
    made = generated(base + start, kind, tmp_path / "made")
    (tmp_path / "hand").mkdir()
    (tmp_path / "hand" / f"{kind}.toml").write_text(_HAND.format(base=base, start=start, pattern=pattern,
                                                                 pager=pager), "utf-8")
    for which in ("made", "hand"):
        kexie("crawl", kind, "--sites-dir", str(tmp_path / which), *LOCAL, db=tmp_path / f"{which}.db")
    want = {p for p in pages if re.search(pattern, p)}
    assert stored_urls(tmp_path / "hand.db")[kind] == want
    assert stored_urls(tmp_path / "made.db")[kind] == want, made.read_text("utf-8")


# --- failures and the small guessers ------------------------------------------------------------------

def test_unreachable_url_is_one_error_line_exit_2(tmp_path: Path) -> None:
    out = add_site("http://127.0.0.1:9/news/", "--sites-dir", str(tmp_path), "--write", check=False)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("error: ") and len(out.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_page_without_articles_says_so_and_writes_nothing(serve: Callable[[dict[str, bytes]], str],
                                                           tmp_path: Path) -> None:
    menu = [("/about.htm", "科协概况"), ("/contact.htm", "联系我们"), ("/news/", "新闻")]
    base = serve({"/": _list("示例市科学技术协会", [], [], menu)})
    out = add_site(base + "/", "--key", "empty", "--sites-dir", str(tmp_path), "--write", check=False)
    assert out.returncode == 1 and "no article-like links" in out.stderr and "Traceback" not in out.stderr
    assert not list(tmp_path.iterdir())


def test_refuses_to_overwrite(sample_web: SampleWeb, tmp_path: Path) -> None:
    (tmp_path / "xyast.toml").write_text("# mine\n", "utf-8")
    out = add_site(sample_web.base_urls["xyast"] + "/xwdt/index.htm", "--key", "xyast", "--sites-dir", str(tmp_path),
                   "--write", check=False)
    assert out.returncode == 2 and "exists" in out.stderr
    assert (tmp_path / "xyast.toml").read_text("utf-8") == "# mine\n"


def test_prints_the_file_without_write_and_base_url_as(sample_web: SampleWeb, tmp_path: Path) -> None:
    out = add_site(sample_web.base_urls["esast"] + "/xwzx/gzdt/index.html", "--key", "esast",
                   "--base-url-as", "http://www.esast.example")
    data = tomllib.loads(out.stdout)
    assert data["base_url"] == "http://www.esast.example" and data["verified"] is False
    assert "articles: 9" in out.stderr


@pytest.mark.parametrize(("url", "regex"), [
    ("http://a/xwzx/gzdt/202303/t20230328_1422789.html", r"/xwzx/gzdt/\d{6}/t\d{8}_\d+\.html"),
    ("http://a/news/kj/2022/1228/256702.html", r"/news/kj/\d{4}/\d{4}/\d+\.html"),
    ("http://a/art/2023/3/5/art_123_4567.html", r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html"),
    ("http://a/col/col123/index.html?uid=ab1&pageNum=2", r"/col/col123/index\.html\?uid=[^&]*&pageNum=\d+"),
])
def test_shapes(url: str, regex: str) -> None:
    assert shape(url) == regex


@pytest.mark.parametrize(("title", "name", "level", "region"), [
    ("工作动态_恩施州科学技术协会", "恩施州科学技术协会", "city", "恩施州"),
    ("科協(xié)要聞_常德市科學(xué)技術(shù)協會", "常德市科学技术协会", "city", "常德市"),
    ("中国科协 - 首页", "中国科协", "national", ""),
    ("欢迎访问江苏省科学技术协会", "江苏省科学技术协会", "provincial", "江苏省"),
    ("新闻-陕西科技报", "陕西科技报", "newspaper", ""),
    ("徐州市铜山区科学技术协会", "徐州市铜山区科学技术协会", "county", "徐州市铜山区"),
])
def test_name_level_region(title: str, name: str, level: str, region: str) -> None:
    assert site_name(title) == name
    assert (guess_level(name), guess_region(name)) == (level, region)
