"""Serve the bundled sample sites on 127.0.0.1, one port per site.

Each site gets its own origin so robots.txt, sitemaps and allowed domains behave as on the
real web. `python -m http.server` has a listen backlog of 5 and drops Scrapy's connections,
so this uses a threading server with a real backlog. A site's `_site.toml` may make the
server lie about the charset, as many association sites do.
"""

from __future__ import annotations

import argparse
import io
import threading
import time
import tomllib
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

from tools.sampleweb import platform_hints
from tools.sampleweb.dynamic import answer

SITES_ROOT = Path(str(resources.files("tools.sampleweb") / "sites"))  # package data, installed with the wheel
PLATFORMS_ROOT = Path(__file__).resolve().parent / "platforms"  # platform replicas for the tests, not the demo
_TYPES = {".htm": "text/html", ".html": "text/html", ".xml": "application/xml", ".txt": "text/plain",
          ".asp": "text/html", ".shtml": "text/html", ".js": "application/javascript"}


class _Server(ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True
    allow_reuse_address = True


class _Handler(SimpleHTTPRequestHandler):
    header_charset = "utf-8"
    hits: list[str]

    def __init__(self, *args: Any, header_charset: str, hits: list[str], visits: list[tuple[float, str, str]],
                 delay: float, hints: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.header_charset = header_charset
        self.hints = hints or {}
        self.hits = hits
        self.visits = visits
        self.delay = delay
        super().__init__(*args, **kwargs)

    def guess_type(self, path: str | Any) -> str:
        suffix = Path(str(path)).suffix.lower()
        mime = _TYPES.get(suffix, "application/octet-stream")
        return f"{mime}; charset={self.header_charset}" if mime.startswith("text/") else mime

    def send_head(self) -> Any:
        self.hits.append(self.path)
        self.visits.append((time.monotonic(), self.headers.get("User-Agent", ""), self.path))
        if self.delay:
            time.sleep(self.delay)
        if any(part.startswith("_") for part in self.path.split("?")[0].split("/")):
            self.send_error(404, "Not found")
            return None
        if self.hints.get("challenge") and platform_hints.challenged(self.path, self.hints):
            return platform_hints.challenge(self, Path(str(self.directory)), self.hints)
        if (dynamic := self.dynamic()) is not None:
            return dynamic
        if self.hints.get("query_files") and "?" in self.path:  # NewsList.asp?ClassID=3: NewsList.asp@ClassID=3
            self.path = platform_hints.query_file(self.path)
        return super().send_head()

    def dynamic(self, form: bytes = b"") -> Any:
        """A Hanweb proxy or JSON API answer (tools/sampleweb/dynamic.py), as a file-like body."""
        found = answer(Path(self.directory), self.path, form, f"http://{self.headers.get('Host', '')}")
        if found is None:
            return None
        status, kind, body = found
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        """POST reaches only the dynamic answers (dataproxy.jsp takes its fields as a form)."""
        self.hits.append(self.path)
        self.visits.append((time.monotonic(), self.headers.get("User-Agent", ""), self.path))
        form = self.rfile.read(min(int(self.headers.get("Content-Length") or 0), 1 << 20))
        body = self.dynamic(form)
        if body is None:
            self.send_error(405, "Method not allowed")
            return
        self.copyfile(body, self.wfile)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the crawl's own log says what was fetched."""


class SampleWeb:
    """All sample sites, served until `stop()`; `base_urls[key]` is where each lives."""

    def __init__(self, root: Path = SITES_ROOT, host: str = "127.0.0.1", port_base: int = 0,
                 delay: float = 0.0) -> None:
        """port_base=0 picks free ports; otherwise site i (in key order) listens on port_base + i,
        so the same site keeps the same address across runs and re-crawls find it known.
        `delay` slows every response, for tests that must catch a crawl in the middle."""
        self.root = root
        self.delay = delay
        self.host = host
        self.port_base = port_base
        self.base_urls: dict[str, str] = {}
        self.hits: dict[str, list[str]] = {}
        self.visits: dict[str, list[tuple[float, str, str]]] = {}  # (when, User-Agent, path): who fetched what
        self._servers: list[_Server] = []

    def site_dirs(self) -> list[Path]:
        return sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("_"))

    def start(self) -> SampleWeb:
        for index, site_dir in enumerate(self.site_dirs()):
            hints_file = site_dir / "_site.toml"
            hints = tomllib.loads(hints_file.read_text("utf-8")) if hints_file.exists() else {}
            hits: list[str] = []
            visits: list[tuple[float, str, str]] = []
            handler = partial(
                _Handler, directory=str(site_dir), header_charset=hints.get("header_charset", "utf-8"), hits=hits,
                visits=visits, delay=self.delay, hints=hints,
            )
            server = _Server((self.host, self.port_base + index if self.port_base else 0), handler)
            threading.Thread(target=server.serve_forever, name=f"sampleweb-{site_dir.name}", daemon=True).start()
            self._servers.append(server)
            self.base_urls[site_dir.name] = f"http://{self.host}:{server.server_address[1]}"
            self.hits[site_dir.name] = hits
            self.visits[site_dir.name] = visits
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def __enter__(self) -> SampleWeb:
        return self if self._servers else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    """Serve the sample web in the foreground (for poking at it with a browser)."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.sampleweb.server",
        description="Serve the bundled sample sites on 127.0.0.1, one port per site, until Ctrl-C. "
                    "`kexie demo` serves them the same way and crawls them.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port-base", type=int, default=0, metavar="PORT",
                        help="site i (in key order) listens on PORT + i (default: free ports)")
    parser.add_argument("--delay", type=float, default=0.0, metavar="SECONDS",
                        help="wait this long before every response, as a slow site would (default: 0)")
    args = parser.parse_args(argv)
    if not 0 <= args.port_base <= 65535 or args.delay < 0:
        parser.error("--port-base must be a port number (0 picks free ports) and --delay not negative")
    try:
        web = SampleWeb(host=args.host, port_base=args.port_base, delay=args.delay).start()
    except OSError as exc:
        parser.exit(2, f"error: cannot serve the sample web on {args.host} from port {args.port_base}: {exc}\n")
    for key, url in web.base_urls.items():
        print(f"{key:12} {url}/")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        web.stop()


if __name__ == "__main__":
    main()
