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


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A redis-server on 127.0.0.1 until the block ends; yields its URL."""
    binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else "")
    if not binary:
        if os.environ.get("KEXIE_SKIP_REDIS"):
            pytest.skip("redis-server is not installed (KEXIE_SKIP_REDIS=1)")
        pytest.fail("redis-server is not installed: `make test` installs Debian's redis-server (needs root)")
    port = _free_port()
    folder.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)
