"""A hostile site on 127.0.0.1: what a scheduled crawl meets on the real web, on one server.

Each path misbehaves in one way (a page too big, a gzip bomb, a redirect loop, a redirect off
the site, a body cut short, a 503 that passes, a page that never comes, an endless sitemap-index
chain and pagination, sitemaps gzipped, with a DOCTYPE or empty, an ftp: link); good articles
sit among them, so a test can check they are still archived. `hits` records every path asked for.
"""

from __future__ import annotations

import gzip
import html
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

GOOD = (1, 2, 8, 11, 12)  # article numbers that must end up archived
BOMB = gzip.compress(b"<html><body><p>" + b" " * 100_000_000 + b"</p></body></html>", 9)  # 100 MB, ~100 kB sent
# a billion-laughs DTD: lol9 would expand to 10^9 "lol"s
LAUGHS = ('<!DOCTYPE urlset [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)) + "]>")
URLSET = '<?xml version="1.0" encoding="UTF-8"?>{doctype}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' \
         '<url><loc>{base}/news/{n}.html</loc><lastmod>2024-03-0{n_}</lastmod></url></urlset>'


def article(n: int) -> bytes:
    """A plain, datable Chinese article page, its text unique to n."""
    paras = "".join(f"<p>　　测试市科学技术协会第{n}号稿件第{k}段：本市科协组织专家开展第{n * 7 + k}场科普讲座，"
                    f"围绕青少年科学素质提升、基层科普阵地建设和院士专家进社区等内容作了交流。</p>"
                    for k in range(1, 5))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>科协第{n}号工作动态_测试市科协</title>'
            f'<meta name="PubDate" content="2024-03-0{n % 9 + 1} 09:00"></head><body><h1>科协第{n}号工作动态</h1>'
            f"<div>发布日期：2024-03-0{n % 9 + 1}</div>{paras}</body></html>").encode()


class _Handler(BaseHTTPRequestHandler):
    web: HostileWeb

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet."""

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path, base = self.path, self.web.base_url
        self.web.hits.append(path)
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path.startswith("/news/index"):  # a crawl trap: every list page links a next one
            page = int(path.removeprefix("/news/index").removeprefix("_").removesuffix(".html") or 1)
            links = "".join(f'<li><a href="/news/{n}.html">稿件{n}</a></li>' for n in range(1, 11))
            links += f'<li><a href="/news/index_{page + 1}.html">下一页</a></li>'
            links += f'<li><a href="{base.replace("http:", "ftp:")}/news/13.html">附件</a></li>'
            return self.send(200, f"<html><body><ul>{links}</ul></body></html>".encode())
        if path in ("/news/1.html", "/news/2.html", "/news/11.html", "/news/12.html"):
            return self.send(200, article(int(path[6:-5])))
        if path == "/news/3.html":  # 9 MB, no Content-Length: only counting bytes can stop it
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(9 * 1024):
                try:
                    self.wfile.write(b"<p>" + "大".encode() * 340 + b"</p>")
                except OSError:
                    return None
            return None
        if path == "/news/4.html":
            return self.send(200, BOMB, Content_Encoding="gzip")
        if path == "/news/5.html":
            return self.send(302, b"", Location=f"{base}/news/5b.html")
        if path == "/news/5b.html":
            return self.send(302, b"", Location=f"{base}/news/5.html")
        if path == "/news/6.html":
            return self.send(301, b"", Location="http://elsewhere.invalid/news/6.html")
        if path == "/news/7.html":  # promises 5000 bytes, sends 100, hangs up
            self.send_response(200)
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(article(7)[:100])
            return None
        if path == "/news/8.html":
            self.web.flaky += 1
            return self.send(503, b"busy") if self.web.flaky <= 2 else self.send(200, article(8))
        if path == "/news/9.html":  # never answers within the crawl's DOWNLOAD_TIMEOUT
            time.sleep(self.web.slow)
            try:
                return self.send(200, article(9))
            except OSError:  # the crawl gave up waiting, as it should
                return None
        if path == "/news/10.html":
            return self.send(404, b"gone")
        if path == "/sitemap.xml.gz":  # gzipped, served as a file (no Content-Encoding)
            body = URLSET.format(doctype="", base=base, n=11, n_=1).encode()
            return self.send(200, gzip.compress(body), "application/x-gzip")
        if path == "/doctype.xml":
            doctype = '<!DOCTYPE urlset [<!ENTITY e "x">]>'
            return self.send(200, URLSET.format(doctype=doctype, base=base, n=12, n_=2).encode(), "application/xml")
        if path == "/laughs.xml":  # an entity bomb used before, between and after legitimate locs
            body = URLSET.format(doctype=LAUGHS, base=base, n=1, n_=1).replace(
                "<url>", "<url><loc>&lol9;</loc></url><url>", 1).replace("</urlset>", f"<url><loc>&lol9;</loc>"
                f"</url><url><loc>{base}/news/11.html</loc></url></urlset>")
            return self.send(200, body.encode(), "application/xml")
        if path == "/xxe.xml":  # external entities: a local file and a URL of this server (must not be asked for)
            doctype = (f'<!DOCTYPE urlset [<!ENTITY file SYSTEM "file:///etc/hostname"><!ENTITY net SYSTEM'
                       f' "{base}/secret.txt"><!ENTITY % p SYSTEM "{base}/secret.dtd"> %p;]>')
            body = URLSET.format(doctype=doctype, base=base, n=2, n_=2).replace(
                "<url>", "<url><loc>&net;</loc></url><url>", 1).replace("</urlset>", f"<url><loc>&file;</loc>"
                f"<lastmod>&net;</lastmod></url><url><loc>{base}/news/12.html</loc></url></urlset>")
            return self.send(200, body.encode(), "application/xml")
        if path == "/about.html":  # a list page with no article link
            return self.send(200, "<html><body><p>关于我们</p></body></html>".encode())
        if path == "/empty.xml":
            return self.send(200, b"", "application/xml")
        if path == "/feed.xml":  # a feed that is not XML at all
            return self.send(200, b"Service temporarily unavailable", "application/rss+xml")
        if path.startswith("/index") and path.endswith(".xml"):  # sitemap indexes, each naming the next
            n = int(path[6:-4])
            body = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f"<sitemap><loc>{base}/index{n + 1}.xml</loc></sitemap></sitemapindex>")
            return self.send(200, body.encode(), "application/xml")
        return self.send(404, b"no such page")


class HostileWeb:
    """The hostile site, served until `stop()`; `slow` is how long /news/9.html keeps a client waiting."""

    def __init__(self, slow: float = 6.0) -> None:
        handler = type("Handler", (_Handler,), {"web": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.hits: list[str] = []
        self.flaky = 0
        self.slow = slow

    def site_file(self, key: str = "hostile") -> str:
        """A kexie site file for this server."""
        return "\n".join([
            'name = "测试市科学技术协会"', 'level = "city"', 'region = "测试省测试市"', "official = true",
            f'base_url = "{html.escape(self.base_url)}"', 'start_urls = ["/news/index.html"]',
            "article_pattern = '^/news/\\d+\\.html$'", "pagination_pattern = '^/news/index(_\\d+)?\\.html$'",
            "max_list_pages = 5",
            'sitemap_urls = ["/sitemap.xml.gz", "/doctype.xml", "/empty.xml", "/index0.xml"]',
            'feed_urls = ["/feed.xml"]',
            "[politeness]", "delay = 0.0", "concurrency = 4", "[schedule]", "interval_hours = 0", ""])

    def __enter__(self) -> HostileWeb:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
