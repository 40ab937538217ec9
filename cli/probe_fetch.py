"""The polite fetcher behind `kexie add-site`: one request at a time, a delay, a cap, robots.txt.

Probing a site must not look like an attack on a small county server, and must never hang on a
dead one: requests go out one by one with a delay between them, time out quickly, and stop at a
fixed number (the probe needs a few list pages and a few articles, not the site). urllib, so the
probe does not need Scrapy's reactor; robots.txt is read with Protego, the parser the crawl's
RobotsTxtMiddleware uses, so the probe and the crawl agree on wildcard rules (the standard
library's parser does not know `*` and `$`).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from protego import Protego

from crawler.settings import USER_AGENT

MAX_BODY = 5 * 1024 * 1024  # no list or article page is larger; a stream that never ends is cut here


class ProbeError(Exception):
    """A page the probe cannot do without (the start page) could not be fetched: one line for the user."""


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    body: bytes
    content_type: str

    @property
    def html(self) -> bool:
        head = self.body[:1024].lstrip().lower()
        return "html" in self.content_type.lower() or head.startswith((b"<!doctype html", b"<html"))


@dataclass
class Fetcher:
    """Fetches pages of one site, obeying its robots.txt (read on the first request)."""

    delay: float = 1.0
    timeout: float = 10.0
    max_requests: int = 40
    requests: int = 0
    log: list[str] = field(default_factory=list)  # one line per request, for --verbose
    _last: float = 0.0
    _robots: dict[str, Protego] = field(default_factory=dict)
    sitemaps: list[str] = field(default_factory=list)  # Sitemap: lines of robots.txt

    def get(self, url: str) -> Fetched:
        """One page, or ProbeError saying why not (refused by robots.txt, the cap, the network, HTTP)."""
        if not self.allowed(url):
            raise ProbeError(f"robots.txt of {_origin(url)} disallows {url}")
        return self._get(url)

    def try_get(self, url: str) -> Fetched | None:
        """A page the probe can do without: None when it cannot be had, or is not a 200."""
        try:
            page = self.get(url)
        except ProbeError:
            return None
        return page if page.status == 200 else None

    def allowed(self, url: str) -> bool:
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        return bool(self._robots[origin].can_fetch(url, USER_AGENT))

    def _read_robots(self, origin: str) -> Protego:
        try:
            got = self._get(urljoin(origin, "/robots.txt"))
        except ProbeError:
            got = None
        if got is not None and got.status == 200:
            parser = Protego.parse(got.body.decode("utf-8", "replace"))
            self.sitemaps.extend(urljoin(origin, url) for url in parser.sitemaps)
        else:
            parser = Protego.parse("")  # no robots.txt: everything allowed (401/403 too: RFC 9309 says so for 4xx)
        return parser

    def _get(self, url: str) -> Fetched:
        if self.requests >= self.max_requests:
            raise ProbeError(f"stopped at {self.max_requests} requests (the probe's cap)")
        wait = self._last + self.delay - time.monotonic()
        if self.requests and wait > 0:
            time.sleep(wait)
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 - http(s) only
                got = Fetched(answer.geturl(), answer.status, answer.read(MAX_BODY),
                              answer.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as exc:
            kind = exc.headers.get("Content-Type", "") if exc.headers else ""
            try:  # the body of an error answer too: a 412 may be an anti-bot challenge (cli/probe_frames.py)
                body = exc.read(MAX_BODY)
            except OSError:
                body = b""
            got = Fetched(exc.geturl() or url, exc.code, body, kind)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            self.log.append(f"{url}: {reason}")
            raise ProbeError(f"cannot fetch {url}: {reason}") from exc
        finally:
            self._last = time.monotonic()
        self.log.append(f"{got.status} {url}")
        return got


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"
