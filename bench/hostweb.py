"""Many made-up sites (site00.test, site01.test, …) behind one local HTTP proxy port.

Why: Scrapy keys download slots (per-site delay and concurrency) by hostname, not port: sites on
127.0.0.1:PORT1, :PORT2 … would share one slot. Here each site has its own name; the crawler runs with
http_proxy=http://127.0.0.1:PORT, sends absolute-form requests (GET http://site07.test/news/3.html) and
this server answers from root/<host>/ itself (it forwards nothing; origin form with a Host header works
too). asyncio and keep-alive, and memweb.Site's cached responses, so hundreds of connections cost little.
Each request is logged per host with time.monotonic() (one clock for all processes), to check the gaps
between requests to one host and how many hosts were busy at once. bench/synthweb.py is tied to the six
sample sites' templates and paths, so only its text (bench/synthtext.py) is reused for the pages.

    python -m bench.hostweb ROOT     # prints {"port": PORT}; GET /_hits[?reset=1] returns the hit log
    with HostWeb(root) as web: ...   # the same server on a thread: web.port, web.hits()
"""

from __future__ import annotations

import asyncio
import html
import http.client
import json
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import memweb  # noqa: E402
from bench.synthtext import PLACES, article  # noqa: E402

Hits = dict[str, list[tuple[str, float]]]  # host -> [(path, monotonic time)] in arrival order
_NOT_FOUND = (b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n", b"")


class Server:
    """Serves root/<host>/<path>; bodies are read once and kept. /_hits is the hit log as JSON."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.sites: dict[str, memweb.Site] = {}  # memweb's document root: cached responses, 404s
        self.log: Hits = {}
        self.open: set[asyncio.StreamWriter] = set()  # live connections, closed on shutdown

    def response(self, host: str, path: str) -> tuple[bytes, bytes]:
        if host not in self.sites:
            if not host or host.startswith(("_", ".")) or "/" in host or not (self.root / host).is_dir():
                return _NOT_FOUND
            self.sites[host] = memweb.Site(self.root / host)
        return self.sites[host].response(path)

    def handle(self, target: str, headers: bytes) -> tuple[bytes, bytes]:
        split = urlsplit(target)
        host = split.hostname or ""
        if not host:  # origin form: the Host header names the site
            for line in headers.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"host":
                    host = value.strip().decode("latin-1").rsplit(":", 1)[0].lower()
        if split.path == "/_hits" and not host.endswith(".test"):
            body = json.dumps(self.log).encode()
            if "reset=1" in split.query:
                self.log = {}
            return f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n".encode(), body
        self.log.setdefault(host, []).append((split.path, time.monotonic()))
        return self.response(host, split.path)

    async def client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open.add(writer)
        try:
            await memweb.serve_keepalive(self.handle, reader, writer)
        finally:
            self.open.discard(writer)

    async def start(self, port: int = 0) -> asyncio.Server:
        return await asyncio.start_server(self.client, "127.0.0.1", port, backlog=1024)


class HostWeb:
    """The server on a daemon thread of this process, for tests: `with HostWeb(root) as web`."""

    def __init__(self, root: Path) -> None:
        self.server, self.port = Server(root), 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> HostWeb:
        self.thread.start()
        self.listening = asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        self.port = self.listening.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc: object) -> None:
        async def shut() -> None:  # end the keep-alive connections too, so no handler is left pending
            self.listening.close()
            for writer in list(self.server.open):
                writer.close()
            if tasks := [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]:
                await asyncio.wait(tasks, timeout=5)

        asyncio.run_coroutine_threadsafe(shut(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    def hits(self) -> Hits:
        return {host: list(times) for host, times in list(self.server.log.items())}


def spawn(root: Path) -> tuple[subprocess.Popen[str], int]:
    """The server in a child process (its CPU apart from the caller's): (process, port)."""
    proc = subprocess.Popen([sys.executable, "-m", "bench.hostweb", str(root)], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    return proc, int(json.loads(proc.stdout.readline())["port"])


def fetch_hits(port: int, reset: bool = False) -> Hits:
    """The hit log of a server on `port` (no proxy involved), optionally emptied."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/_hits?reset=1" if reset else "/_hits")
    log = json.loads(conn.getresponse().read())
    conn.close()
    return {host: [(path, t) for path, t in times] for host, times in log.items()}


_ARTICLE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_{name}</title>
<meta name="PubDate" content="{day} 10:00"><meta name="ColumnName" content="工作动态"></head>
<body><div class="header"><a href="/">{name}</a><ul class="nav"><li><a href="/">首页</a></li>
<li><a href="/news/index.html">工作动态</a></li><li><a href="/kp/">科普之窗</a></li>
<li><a href="/xh/">学会工作</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/news/index.html">工作动态</a> &gt; 正文</div>
<div class="article"><h1>{title}</h1>
<div class="info">发布日期：{day}　来源：{name}　浏览次数：{views}</div>
<div class="content">
{body}
</div></div>
<div class="footer">版权所有：{name}　地址：{region}　技术支持：县融媒体中心</div></body></html>
"""
_LIST = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>工作动态_{name}</title></head>
<body><div class="header"><a href="/">{name}</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; 工作动态</div>
<ul class="newslist">{items}
</ul><div class="page">共{pages}页　<a href="/news/index.html">首页</a>　{next}</div>
<div class="footer">版权所有：{name}</div></body></html>
"""
_SITE = """# generated by bench/hostweb.py
name = "{name}"
level = "county"
region = "{region}"
official = true
base_url = "http://{host}"
start_urls = ["/news/index.html"]
article_pattern = '^/news/\\d+\\.html$'
pagination_pattern = '^/news/index(_\\d+)?\\.html$'
[politeness]
delay = {delay}
concurrency = 1
[schedule]
interval_hours = 24
"""


def generate(root: Path, sites: int, articles: int, per_list: int = 10, delay: float = 1.0) -> dict[str, object]:
    """Sites site00.test … under root/<host>/ and their kexie site files in root/_sites/<key>.toml.
    Returns {"sites_dir": path, "hosts": {key: host}, "articles": {host: [article paths]}}."""
    sites_dir = root / "_sites"
    sites_dir.mkdir(parents=True, exist_ok=True)
    hosts: dict[str, str] = {}
    paths: dict[str, list[str]] = {}
    for s in range(sites):
        key, place = f"site{s:02d}", PLACES[s % len(PLACES)]
        host, name, region = f"{key}.test", f"{place}科学技术协会", f"测试省第{s // len(PLACES) + 1}片区{place}"
        folder = root / host / "news"
        folder.mkdir(parents=True, exist_ok=True)
        (root / host / "robots.txt").write_text("User-agent: *\nAllow: /\n", "utf-8")
        items = []
        for i in range(articles):
            day = date(2024, 6, 28) - timedelta(days=3 * i + s)
            title_pieces, paragraphs, byline = article(s * 10_000 + i, day)
            title = html.escape("".join(title_pieces))
            lead = f"{name}讯（第{i + 1}期）{day.month}月{day.day}日，{place}科协发布本站第{i + 1}条工作动态。"
            texts = [lead + "".join(paragraphs[0]), *("".join(p) for p in paragraphs[1:])]
            texts[-1] += byline
            body = "\n".join(f"<p>　　{html.escape(t)}</p>" for t in texts)
            page = _ARTICLE.format(title=title, name=name, day=day, views=37 + 11 * i + s, body=body, region=region)
            (folder / f"{i + 1}.html").write_text(page, "utf-8")
            items.append((f"/news/{i + 1}.html", title, day))
        chunks = [items[k:k + per_list] for k in range(0, len(items), per_list)] or [[]]
        lists = ["/news/index.html"] + [f"/news/index_{k}.html" for k in range(2, len(chunks) + 1)]
        for k, chunk in enumerate(chunks):
            lis = "".join(f'\n<li><a href="{p}" title="{t}">{t}</a><span>{d}</span></li>' for p, t, d in chunk)
            after = f'<a href="{lists[k + 1]}">下一页</a>' if k + 1 < len(lists) else ""
            page = _LIST.format(name=name, items=lis, pages=len(lists), next=after)
            (root / host / lists[k].lstrip("/")).write_text(page, "utf-8")
        (sites_dir / f"{key}.toml").write_text(_SITE.format(name=name, region=region, host=host, delay=delay), "utf-8")
        hosts[key], paths[host] = host, [item[0] for item in items]
    return {"sites_dir": str(sites_dir), "hosts": hosts, "articles": paths}


async def _main(root: Path) -> None:
    listening = await Server(root).start()
    print(json.dumps({"port": listening.sockets[0].getsockname()[1]}), flush=True)
    await listening.serve_forever()


if __name__ == "__main__":
    asyncio.run(_main(Path(sys.argv[1])))
