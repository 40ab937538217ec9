"""A small, fast static server for the synthetic web: one port per site, in its own process.

Why not the sample web's ThreadingHTTPServer: it closes the connection after every response
(HTTP/1.0) and starts a thread per connection, so it spends more CPU per page than we want
beside a crawler on a two-core machine. This is asyncio with HTTP/1.1 keep-alive, file bodies
cached in memory after the first read, and the sample web's per-site charset header (the
lying GBK site stays a liar). It runs in a child process so its CPU is measured apart from
the crawl and from the benchmark's in-process timings.

    python -m bench.memweb ROOT     # prints {"KEY": "http://127.0.0.1:PORT", ...}, serves until killed
"""

from __future__ import annotations

import asyncio
import functools
import json
import sys
import time
import tomllib
from collections.abc import Callable
from email.utils import formatdate
from pathlib import Path
from urllib.parse import unquote, urlsplit

_TYPES = {".htm": "text/html", ".html": "text/html", ".xml": "application/xml", ".txt": "text/plain"}


class Site:
    """One site's document root; responses are built once per path and kept."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        hints = root / "_site.toml"
        self.charset = tomllib.loads(hints.read_text("utf-8")).get("header_charset", "utf-8") if hints.exists() \
            else "utf-8"
        self.cache: dict[str, tuple[bytes, bytes]] = {}
        self.stamp = formatdate(time.time(), usegmt=True)

    def response(self, target: str) -> tuple[bytes, bytes]:
        """(status line and headers, body) for a request target."""
        if target in self.cache:
            return self.cache[target]
        path = unquote(urlsplit(target).path)
        file = (self.root / path.lstrip("/")).resolve()
        if any(part.startswith("_") for part in path.split("/")) or not file.is_relative_to(self.root) \
                or not file.is_file():
            return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n", b""
        body = file.read_bytes()
        mime = _TYPES.get(file.suffix.lower(), "application/octet-stream")
        ctype = f"{mime}; charset={self.charset}" if mime.startswith("text/") else mime
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                f"Last-Modified: {self.stamp}\r\n").encode("latin-1")
        if len(self.cache) < 50_000:
            self.cache[target] = (head, body)
        return head, body


async def serve_keepalive(respond: Callable[[str, bytes], tuple[bytes, bytes]], reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
    """One HTTP/1.1 keep-alive connection: `respond(target, headers)` gives (status and headers, body)."""
    try:
        while True:
            request = await reader.readuntil(b"\r\n\r\n")
            line, _, headers = request.partition(b"\r\n")
            method, target, version = (line.decode("latin-1").split(" ") + ["", ""])[:3]
            close = b"connection: close" in headers.lower() or version == "HTTP/1.0"
            head, body = respond(target, headers)
            writer.write(head + (b"Connection: close\r\n\r\n" if close else b"\r\n"))
            if method != "HEAD":
                writer.write(body)
            await writer.drain()
            if close:
                break
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


def _site_response(site: Site, target: str, headers: bytes) -> tuple[bytes, bytes]:
    return site.response(target)


async def serve(root: Path, host: str = "127.0.0.1") -> None:
    """Serve every site folder under root; print where each lives as one JSON line."""
    urls: dict[str, str] = {}
    servers = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")):
        site = Site(folder)
        respond = functools.partial(_site_response, site)
        server = await asyncio.start_server(functools.partial(serve_keepalive, respond), host, 0, backlog=1024)
        servers.append(server)
        urls[folder.name] = f"http://{host}:{server.sockets[0].getsockname()[1]}"
    print(json.dumps(urls), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


async def _fetch_loop(host: str, port: int, paths: list[str], stop: float) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    done = 0
    while time.monotonic() < stop:
        writer.write(f"GET {paths[done % len(paths)]} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        done += 1
    writer.close()
    return done


def ceiling(base_urls: dict[str, str], paths: dict[str, list[str]], seconds: float = 2.0,
            connections: int = 16) -> tuple[int, float]:
    """(responses, seconds) of `connections` keep-alive clients hammering the server; the client
    is Python too, so this is a lower bound of what the server can do."""

    async def run() -> list[int]:
        stop = time.monotonic() + seconds
        keys = sorted(base_urls)
        jobs = []
        for i in range(connections):
            split = urlsplit(base_urls[keys[i % len(keys)]])
            jobs.append(_fetch_loop(split.hostname or "", split.port or 80, paths[keys[i % len(keys)]], stop))
        return await asyncio.gather(*jobs)

    started = time.monotonic()
    counts = asyncio.run(run())
    return sum(counts), time.monotonic() - started


if __name__ == "__main__":
    asyncio.run(serve(Path(sys.argv[1])))
