"""A generated "backlog site" served on 127.0.0.1 with faults the test switches on and off.

The crawl-safety tests need sites larger than the sample web (hundreds of articles over a chain
of list pages, so a crawl can be caught half-way) and a server that misbehaves on cue: a list
page answering 503, every response slowed down. Article texts come from bench/synthtext.py
(distinct per article and per `seed`, so neither dedupe merges them) and carry their number.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.synthtext import article

PER_PAGE = 25
FIRST_DAY = date(2022, 1, 1)


def list_path(page: int) -> str:
    """List page 1 is /news/index.html, page k is /news/index_k.html."""
    return "/news/index.html" if page == 1 else f"/news/index_{page}.html"


def published(n: int) -> date:
    """Article n's date: one a day, so the newest article has the highest number."""
    return FIRST_DAY + timedelta(days=n)


def _text(n: int, seed: int, long: bool) -> tuple[str, list[str]]:
    """(title, paragraphs) of article n; `long` adds other articles' paragraphs to fill a disk sooner."""
    pieces, paras, byline = article(n, published(n), seed=seed)
    paragraphs = [f"本站第{seed}号测试站点发布的第{n}号稿件{byline}。", *("".join(p) for p in paras)]
    for extra in range(1, 8 if long else 0):
        paragraphs += ["".join(p) for p in article(n + 100_000 * extra, published(n), seed=seed)[1]]
    return f"{''.join(pieces)}（第{n}号）", paragraphs


def _page(title: str, body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8">{head}<title>{html.escape(title)}_测试科协</title>'
            f"</head>\n<body><div class=\"nav\"><a href=\"/news/index.html\">首页</a> 工作动态</div>\n"
            f"{body}\n<div class=\"footer\">版权所有 测试科学技术协会</div></body></html>\n")


def write_site(root: Path, n: int, *, seed: int = 1, long: bool = False, numbered: bool = False,
               disallow: tuple[str, ...] = ()) -> list[str]:
    """Write articles 1..n and their list pages (newest first, 25 a page, each linking the next)
    under `root`; returns the article paths. `numbered` adds links to every list page."""
    pages = (n + PER_PAGE - 1) // PER_PAGE
    paths = [f"/news/{k}.html" for k in range(1, n + 1)]
    (root / "news").mkdir(parents=True, exist_ok=True)
    for k in range(1, n + 1):
        title, paragraphs = _text(k, seed, long)
        day = published(k).isoformat()
        body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
        page = _page(title, f'<div class="article"><h1>{html.escape(title)}</h1>\n'
                            f'<div class="info">发布日期：{day} 来源：测试科协</div>\n{body}</div>',
                     head=f'<meta name="PubDate" content="{day} 10:00">')
        (root / f"news/{k}.html").write_text(page, encoding="utf-8")
    for p in range(1, pages + 1):
        newest = n - (p - 1) * PER_PAGE
        items = "".join(f'<li><a href="/news/{k}.html">{html.escape(_text(k, seed, False)[0])}</a>'
                        f"<span>{published(k).isoformat()}</span></li>\n"
                        for k in range(newest, max(newest - PER_PAGE, 0), -1))
        pager = "".join(f'<a href="{list_path(q)}">{q}</a> ' for q in range(1, pages + 1)) if numbered else ""
        if p < pages:
            pager += f'<a href="{list_path(p + 1)}">下一页</a>'
        page = _page(f"工作动态 第{p}页", f'<ul class="list">\n{items}</ul>\n<div class="pager">{pager}</div>')
        (root / list_path(p).lstrip("/")).write_text(page, encoding="utf-8")
    rules = "".join(f"Disallow: {path}\n" for path in disallow)
    (root / "robots.txt").write_text(f"User-agent: *\n{rules}Allow: /\n", encoding="utf-8")
    return paths


def write_site_file(sites_dir: Path, key: str, base_url: str, interval_hours: float = 0) -> Path:
    """The kexie site file of a backlog site (schema: siteconfig/schema.py)."""
    sites_dir.mkdir(parents=True, exist_ok=True)
    path = sites_dir / f"{key}.toml"
    path.write_text(f"""name = "测试科协{key}"
level = "county"
region = "测试省测试县"
official = true
base_url = "{base_url}"
start_urls = ["/news/index.html"]
article_pattern = '^/news/\\d+\\.html$'
pagination_pattern = '^/news/index(_\\d+)?\\.html$'
max_list_pages = 50

[politeness]
delay = 0.0
concurrency = 4

[schedule]
interval_hours = {interval_hours}

[incremental]
known_run = 10
""", encoding="utf-8")
    return path


class _Server(ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True
    allow_reuse_address = True


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, web: FaultWeb, **kwargs: Any) -> None:
        self.web = web
        super().__init__(*args, **kwargs)

    def guess_type(self, path: Any) -> str:
        kind = super().guess_type(path)
        return f"{kind}; charset=utf-8" if kind.startswith("text/") else kind

    def send_head(self) -> Any:
        path = urlsplit(self.path).path
        failing = self.web.record(path, self.headers.get("User-Agent", ""))
        if self.web.delay:
            time.sleep(self.web.delay)
        if failing:
            self.send_error(503, "Service Unavailable (injected)")
            return None
        return super().send_head()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the test reads `hits` instead."""


@dataclass
class FaultWeb:
    """One folder served on 127.0.0.1 until `stop()`; faults can change while a crawl runs."""

    root: Path
    delay: float = 0.0
    hits: list[str] = field(default_factory=list)
    visits: list[tuple[str, str]] = field(default_factory=list)  # (path, User-Agent)
    failures: dict[str, int] = field(default_factory=dict)
    base_url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: _Server | None = None

    def fail(self, path: str, times: int) -> None:
        """Answer `path` with 503 the next `times` times it is asked for."""
        with self._lock:
            self.failures[path] = times

    def heal(self) -> None:
        with self._lock:
            self.failures.clear()

    def record(self, path: str, agent: str) -> bool:
        """Log a request; True if it is to fail."""
        with self._lock:
            self.hits.append(path)
            self.visits.append((path, agent))
            left = self.failures.get(path, 0)
            if left:
                self.failures[path] = left - 1
            return left > 0

    def start(self) -> FaultWeb:
        self._server = _Server(("127.0.0.1", 0), partial(_Handler, web=self, directory=str(self.root)))
        threading.Thread(target=self._server.serve_forever, name=f"faultweb-{self.root.name}", daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FaultWeb:
        return self if self._server else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
