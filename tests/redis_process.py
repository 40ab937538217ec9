"""A real redis-server for the distributed-crawl tests: its own port and folder, never a mock.

`make test` installs Debian's redis-server (Makefile target `redis`); without it these tests
fail and say so, unless KEXIE_SKIP_REDIS=1 is set on a machine that cannot have it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _binary() -> str:
    binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else "")
    if not binary:
        if os.environ.get("KEXIE_SKIP_REDIS"):
            pytest.skip("redis-server is not installed (KEXIE_SKIP_REDIS=1)")
        pytest.fail("redis-server is not installed: `make test` installs Debian's redis-server (needs root)")
    return binary


class RedisServer:
    """A redis-server that can be stopped and started again on the same port (a Redis restart),
    keeping its data (`appendonly=True`, as the README recommends) or not."""

    def __init__(self, folder: Path, appendonly: bool = False) -> None:
        self.folder, self.appendonly = folder, appendonly
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes" if self.appendonly else "no", "--appendfsync", "always", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM, as systemd stops it: with appendonly its data is on disk for the next start."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@contextmanager
def redis_server(folder: Path, appendonly: bool = False) -> Iterator[str]:
    """A redis-server on 127.0.0.1 until the block ends; yields its URL."""
    with restartable_redis(folder, appendonly) as server:
        yield server.url


@contextmanager
def restartable_redis(folder: Path, appendonly: bool = False) -> Iterator[RedisServer]:
    server = RedisServer(folder, appendonly)
    server.start()
    try:
        yield server
    finally:
        server.stop()
