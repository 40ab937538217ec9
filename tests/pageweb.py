"""A few pages served from a dict on 127.0.0.1 (path?query -> bytes), for tests that need a site
the sample web has no reason to hold (a list page that answers JSON). Content-Type by extension:
JSON bodies as application/json, the rest as HTML."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class PageWeb:
    def __init__(self, pages: dict[str, bytes]) -> None:
        self.pages = pages
        self.server: ThreadingHTTPServer | None = None

    def __enter__(self) -> str:
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                body = pages.get(self.path)
                self.send_response(200 if body is not None else 404)
                json = (body or b"").lstrip()[:1] in (b"{", b"[")
                self.send_header("Content-Type", "application/json" if json else "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
