"""Platform list pages (issue 22, part A): Hanweb jpage, JSON-API shells, redirect shells.

On the replicas in the sample web (tools/sampleweb/generate/platforms.py, built from the real
request and response formats): `kexie add-site <list page>` recognises the platform and writes a
file that crawls every article of the list with the titles and dates of expected.json, and the
hand-written files with the documented keys (config/sample-sites/) do the same.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tomllib
import urllib.request
from pathlib import Path

import pytest

from siteconfig.schema import ConfigError
from siteconfig.sites import load_site
from tools.sampleweb.server import SampleWeb

from .conftest import LOCAL, ROOT, SAMPLE_SITES, kexie

EXPECTED = json.loads((ROOT / "tools" / "sampleweb" / "expected.json").read_text("utf-8"))["sites"]
PLATFORM_SITES = {"jnast": "/col/col352/index.html", "lnast": "/gkmlpt/index.html#5", "hzkx": "/news/index.html"}


def stored(db: Path, site: str) -> dict[str, tuple[str, str]]:
    """path -> (title, published_at) of the site's stored articles."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, title, published_at FROM articles WHERE site = ?", (site,)).fetchall()
    return {re.sub(r"^https?://[^/]+", "", url): (title, published) for url, title, published in rows}


def rejected(db: Path, site: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT url FROM rejects WHERE site = ?", (site,))]


def expected(site: str, column: str = "") -> dict[str, tuple[str, str]]:
    return {a["path"]: (a["title"], a["published_at"]) for a in EXPECTED[site]["articles"] if column in a["path"]}


def crawl(web: SampleWeb | None, folder: Path, db: Path, *keys: str) -> str:
    """A crawl of some sites of a folder; with `web`, their base_url moved to the local sample web."""
    moved = [arg for key in keys for arg in ("--base-url", f"{key}={web.base_urls[key]}")] if web else []
    return kexie("crawl", *keys, "--sites-dir", str(folder), *moved, *LOCAL, db=db).stdout


@pytest.fixture(scope="module")
def generated(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files `kexie add-site` writes for the three replicas' list pages."""
    folder = tmp_path_factory.mktemp("platform-files")
    more = {"jnastmore": ("jnast", "/col/col353/index.html")}  # the "load more" column (morecolumndataproxy.jsp)
    for key, (site, path) in ({key: (key, path) for key, path in PLATFORM_SITES.items()} | more).items():
        out = kexie("add-site", sample_web.base_urls[site] + path, "--key", key, "--sites-dir", str(folder),
                    "--write", "--delay", "0", "--timeout", "5", timeout=120)
        assert "wrote" in out.stderr, out.stderr
    return folder


def test_add_site_recognises_each_platform(generated: Path) -> None:
    files = {key: tomllib.loads((generated / f"{key}.toml").read_text("utf-8")) for key in PLATFORM_SITES}
    assert files["jnast"]["platform"] == "hanweb" and "json_api" not in files["jnast"]
    assert files["jnast"]["name"] == "江南市科学技术协会"  # the home page is a redirect shell: followed for the name
    gkmlpt, vue = files["lnast"]["json_api"], files["hzkx"]["json_api"]
    assert files["lnast"]["platform"] == files["hzkx"]["platform"] == "json_api"
    assert gkmlpt == {"url": "/gkmlpt/api/all/5?page={page}&sid=2", "first_page": 1, "items": "$.articles[*]",
                      "link": "url", "title": "title", "date": "first_publish_time", "total": "$.total"}
    assert vue["url"] == "/api/cms/article/list?channelId=12&pageSize=3&pageNum={page}"
    assert (vue["items"], vue["link"], vue["date"], vue["total"]) == ("$.data.records[*]", "linkUrl", "publishTime",
                                                                     "$.data.total")


def test_generated_files_crawl_every_article_with_its_title_and_date(sample_web: SampleWeb, generated: Path,
                                                                     tmp_path: Path) -> None:
    db = tmp_path / "made.db"
    crawl(None, generated, db, *PLATFORM_SITES, "jnastmore")  # add-site wrote the sample web's addresses
    assert stored(db, "jnast") == expected("jnast", "/art_352_")  # the column add-site was shown
    assert stored(db, "jnastmore") == expected("jnast", "/art_353_")
    assert stored(db, "lnast") == expected("lnast")
    assert stored(db, "hzkx") == expected("hzkx")
    assert not rejected(db, "jnast") and not rejected(db, "lnast")


def test_hand_written_files_crawl_every_article(sample_web: SampleWeb, tmp_path: Path) -> None:
    db = tmp_path / "hand.db"
    crawl(sample_web, SAMPLE_SITES, db, *PLATFORM_SITES)
    for key in PLATFORM_SITES:
        assert stored(db, key) == expected(key), key
        assert not rejected(db, key), key
    dataproxy = [hit for hit in sample_web.hits["jnast"] if "dataproxy.jsp" in hit]
    assert any("/morecolumndataproxy.jsp?" in hit and "columnid=353" in hit for hit in dataproxy)
    assert all("unitid=" in hit and "webid=" in hit for hit in dataproxy)  # the form fields of the page's script
    api = [hit for hit in sample_web.hits["hzkx"] if hit.startswith("/api/")]
    assert any("pageNum=2" in hit for hit in api) and not any("pageNum=3" in hit for hit in api)  # 3 + 1 items
    # an article page without a date of its own gets the list's (Unix time in gkmlpt's JSON), never htmldate's guess
    assert stored(db, "lnast")["/gkmlpt/content/5/5099/post_5099345.html"][1] == "2024-04-02T15:30:00+08:00"


def test_redirect_shells_are_followed_not_stored(sample_web: SampleWeb, tmp_path: Path) -> None:
    """The home page and one list record are script redirects: their targets are crawled, the shells
    neither stored nor rejected as undated."""
    text = (SAMPLE_SITES / "jnast.toml").read_text("utf-8")
    columns = 'start_urls = ["/col/col352/index.html", "/col/col353/index.html"]'
    (tmp_path / "jnast.toml").write_text(text.replace(columns, 'start_urls = ["/"]'), "utf-8")
    db = tmp_path / "shell.db"
    crawl(sample_web, tmp_path, db, "jnast")
    assert stored(db, "jnast") == expected("jnast", "/art_352_")
    assert not rejected(db, "jnast")


def test_dataproxy_replica_answers_post_and_get_alike(sample_web: SampleWeb) -> None:
    base = sample_web.base_urls["jnast"] + "/module/web/jpage/dataproxy.jsp"
    form = "col=1&appid=1&webid=1&path=/&columnid=352&sourceContentType=1&unitid=2410&webname=x&permissiontype=0"
    query = "?startrecord=5&endrecord=8&perpage=2"
    with urllib.request.urlopen(base + query + "&" + form) as got:
        by_get = got.read().decode("utf-8")
    with urllib.request.urlopen(urllib.request.Request(base + query, data=form.encode(), method="POST")) as got:
        by_post = got.read().decode("utf-8")
    assert by_get == by_post and by_get.count("<record>") == 4 and "<totalrecord>9</totalrecord>" in by_get
    with urllib.request.urlopen(base + query) as got:  # without the script's form fields: an empty datastore
        assert "<record>" not in got.read().decode("utf-8")


_API = '[json_api]\nurl = "/api?p={page}"\nitems = "$.a[*]"\nlink = "url"\n'


@pytest.mark.parametrize(("top", "table", "message"), [
    ('platform = "wordpress"', "", "field 'platform' = 'wordpress'"),
    ('platform = "json_api"', "", "needs field 'json_api.url'"),
    ('platform = "json_api"', _API.replace("{page}", "1"), "{page}"),
    ('platform = "json_api"', _API.replace("$.a[*]", "$.a[*"), "bad JSONPath"),
    ("", _API, 'needs platform = "json_api"'),
])
def test_platform_keys_are_validated(tmp_path: Path, top: str, table: str, message: str) -> None:
    head, _, tail = (SAMPLE_SITES / "xyast.toml").read_text("utf-8").partition("[politeness]")
    path = tmp_path / "bad.toml"
    path.write_text(f"{top}\n{head}{table}\n[politeness]{tail}", "utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_site(path)


def test_readme_documents_the_platform_keys() -> None:
    from siteconfig.platforms import FIELDS

    readme = (ROOT / "README.md").read_text("utf-8")
    adding = readme[readme.index("### Adding a site"):readme.index("## Archive schema")]
    for key in FIELDS:
        assert f"`{key.rpartition('.')[2]}`" in readme, key
    for platform in ("hanweb", "json_api"):
        assert f'platform = "{platform}"' in adding, platform


@pytest.mark.parametrize(("page", "target"), [
    (b'<html><head><meta http-equiv="Refresh" content="0; URL=/col/col9/index.html"></head><body></body></html>',
     "http://x.example/col/col9/index.html"),
    (b"<html><body><script>location.replace('../../art/2024/1/2/art_9_1.html')</script>\xe8\xb7\xb3\xe8\xbd\xac</body></html>",
     "http://x.example/art/2024/1/2/art_9_1.html"),
    (b'<html><body><script>window.location = "http://x.example/news/";</script></body></html>', "http://x.example/news/"),
    (b"<html><body><script>if(mobile){location.href='/m/'}</script><p>" + "科协".encode() * 60
     + b"</p></body></html>", None),  # a page with text of its own is not a shell, whatever its script does
    (b'<html><head><meta http-equiv="refresh" content="300"></head><body></body></html>', None),  # a reload
])
def test_redirect_target(page: bytes, target: str | None) -> None:
    from crawler.platforms.shells import redirect_target

    assert redirect_target(page, "http://x.example/col/col1/index.html") == target


def test_hanweb_old_style_column_and_proxy_chain() -> None:
    """Older columns name their fields only in the nextgroup link; each proxy answer leads to the next
    group until <totalrecord>."""
    from crawler.platforms import hanweb

    column = ('<div id="div1"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/jpage/'
              'dataproxy.jsp?page=1&appid=1&webid=7&path=/&columnid=88&unitid=99&webname=x&permissiontype=0">'
              '</a>]]></nextgroup><recordset><record><![CDATA[<li><a href="/art/2023/5/6/art_88_1.html">'
              '标题</a><span>[2023-05-06]</span></li>]]></record></recordset></datastore></script>'
              "<script>$('#div1').jpage({perPage:1,totalRecord:3,groupSize:1})</script></div>")
    listed = hanweb.column_page(column, "http://x.example/col/col88/index.html")
    assert listed.articles == ["http://x.example/art/2023/5/6/art_88_1.html"]
    assert listed.dates == {"http://x.example/art/2023/5/6/art_88_1.html": "2023-05-06"}
    (proxy,) = listed.lists
    assert proxy.startswith("http://x.example/module/jpage/dataproxy.jsp?startrecord=2&endrecord=2&perpage=1&")
    assert "columnid=88" in proxy and "unitid=99" in proxy and "webid=7" in proxy
    answer = ("<datastore><totalrecord>3</totalrecord><recordset><record><![CDATA[<li><a href='/art/2023/5/1/"
              "art_88_2.html'>x</a></li>]]></record></recordset></datastore>")
    second = hanweb.proxy_page(answer, proxy)
    assert second.articles == ["http://x.example/art/2023/5/1/art_88_2.html"] and second.only
    assert "startrecord=3&endrecord=3" in second.lists[0]
    assert hanweb.proxy_page(answer, second.lists[0]).lists == []  # record 3 of 3: the end


def test_json_list_dates() -> None:
    from crawler.platforms.jsonapi import date_value

    assert date_value(1713405600) == date_value("1713405600") == "2024-04-18T10:00:00+08:00"
    assert date_value(1713405600000) == "2024-04-18T10:00:00+08:00"  # milliseconds
    assert date_value("2024-04-18 10:00:00") == "2024-04-18 10:00:00" and date_value(None) == date_value(True) == ""


def test_an_api_page_that_answers_html_is_an_error_of_the_run(sample_web: SampleWeb, tmp_path: Path) -> None:
    """HTML where a JSON list API's answer should be (a login or error page, a moved API) is the run's
    error with its reason, never parsed as a list (the reverse of JSON where a page should be)."""
    folder = tmp_path / "sites"
    folder.mkdir()
    text = (SAMPLE_SITES / "hzkx.toml").read_text("utf-8")
    # the API moved: its address now answers the (HTML) shell page
    text = text.replace('url = "/api/cms/article/list?channelId=12&pageSize=3&pageNum={page}"',
                        'url = "/news/index.html?pageNum={page}"')
    (folder / "hzkx.toml").write_text(text, "utf-8")
    db = tmp_path / "html.db"
    result = kexie("crawl", "hzkx", "--sites-dir", str(folder), "--base-url", f"hzkx={sample_web.base_urls['hzkx']}",
                   *LOCAL, db=db, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "JSON was expected" in result.stderr, result.stderr
    with sqlite3.connect(db) as conn:
        errors = json.loads(conn.execute("SELECT errors_by_status FROM crawl_runs WHERE site = 'hzkx'").fetchone()[0])
    assert errors == {"unexpected_html": 1}


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The bodies the redirect-shell check parses (crawler/platforms/shells.py), in order."""
    import lxml.html

    from crawler.platforms import shells

    bodies: list[bytes] = []
    real = lxml.html.fromstring

    def counting(body: bytes) -> lxml.html.HtmlElement:
        bodies.append(body)
        return real(body)

    monkeypatch.setattr(shells.lxml.html, "fromstring", counting)
    return bodies


def test_redirect_check_parses_no_page_that_names_no_refresh_or_location(parsed: list[bytes]) -> None:
    """Every article page passes this check in the crawl process: one without the words a shell needs
    is not parsed there (its worker parses it anyway); a shell or a UTF-16 page still is."""
    from crawler.platforms import shells

    article = (ROOT / "tools" / "sampleweb" / "sites" / "xyast").rglob("*.htm*")
    pages = [p.read_bytes() for p in sorted(article)]
    plain = [p for p in pages if len(p) <= 20_000 and b"refresh" not in p.lower() and b"location" not in p.lower()]
    assert plain and all(shells.redirect_target(p, "http://x.example/a.html") is None for p in plain)
    assert parsed == []
    shell = '<html><head><meta http-equiv="refresh" content="0;url=/b.html"></head></html>'
    assert shells.redirect_target(shell.encode("utf-16"), "http://x.example/a.html") == "http://x.example/b.html"
    assert shells.redirect_target(shell.encode(), "http://x.example/a.html") == "http://x.example/b.html"
    assert len(parsed) == 2


def test_redirect_check_parses_no_page_that_only_mentions_a_location(parsed: list[bytes]) -> None:
    """`window.location` read, not assigned (a 设为首页 link on every page of a portal), is no shell and
    is not parsed; an assignment spaced with a full-width or no-break space, in GB18030, Big5 or UTF-8,
    still is, and found."""
    from crawler.platforms import shells

    portal = ('<html><body><a href="javascript:SetHome(this,window.location)">设为首页</a>'
              '<a href="javascript:AddFavorite(window.location,document.title)">加入收藏</a><p>科协</p></body></html>')
    assert shells.redirect_target(portal.encode(), "http://x.example/a.html") is None
    assert parsed == []
    for space in ("\u3000", "\xa0", "\u2003"):
        shell = ('<html><head><meta charset="{codec}"></head><body><script>'
                 f'top.location.href{space}={space}"/b.html";</script>跳转中</body></html>')
        for codec in ("utf-8", "gb18030", "big5"):
            try:
                body = shell.replace("{codec}", codec).encode(codec)
            except UnicodeEncodeError:
                continue
            assert shells.redirect_target(body, "http://x.example/a.html") == "http://x.example/b.html", (space, codec)
    assert parsed


def test_meta_refresh_check_decodes_no_page_that_names_no_refresh() -> None:
    """Scrapy's MetaRefreshMiddleware decoded every HTML response in the crawl process; the one in the
    settings leaves a page unread when its bytes name no refresh, and still follows one that does
    (spelled in capitals, or with a character reference)."""
    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.misc import load_object
    from scrapy.utils.test import get_crawler

    from crawler import settings

    (name,) = [name for name, order in settings.DOWNLOADER_MIDDLEWARES.items() if order == 580]
    crawler = get_crawler(settings_dict={"DOWNLOADER_MIDDLEWARES": settings.DOWNLOADER_MIDDLEWARES})
    middleware = load_object(name).from_crawler(crawler)
    request = Request("http://x.example/a.html")
    article = ROOT / "tools" / "sampleweb" / "sites" / "xyast" / "xwdt" / "2808.htm"
    plain = HtmlResponse(request.url, body=article.read_bytes(), request=request)
    assert middleware.process_response(request, plain) is plain
    assert plain._cached_ubody is None  # never decoded
    for refresh in ('http-equiv="REFRESH"', 'http-equiv="&#114;efresh"'):
        for codec in ("utf-8", "gb18030", "utf-16"):
            body = f'<html><head><meta {refresh} content="0; url=/b.html"></head><body>跳转</body></html>'
            page = HtmlResponse(request.url, body=body.encode(codec), request=request,
                                headers={"Content-Type": f"text/html; charset={codec}"})
            moved = middleware.process_response(request, page)
            assert isinstance(moved, Request) and moved.url == "http://x.example/b.html", (refresh, codec)
