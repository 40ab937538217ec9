"""A slow DNS server that knows no name: every query is answered NXDOMAIN after a delay.

Why: a crawl of many dead sites behind a slow or rate-limited resolver is what made a crawl idle
for minutes after its last site (issue 26). The tests run the crawl in a private network
namespace (`unshare -n -m`) whose /etc/resolv.conf points here, so no query leaves the machine
and the resolver's speed is the test's choice. Each query's name is logged to stdout, one a line.

    python -m tests.slowdns --port 53 --delay 1.0
    unshare -n -m python -m tests.slowdns --delay 1.0 --log Q.txt --run -- CMD ARGS…

With --run (inside a fresh network and mount namespace, as root) it brings up loopback, points
/etc/resolv.conf (bind-mounted over, in this namespace only) at itself, serves from a thread,
runs the command and exits with its code.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import struct
import subprocess
import sys
import tempfile
import threading
from typing import Any


def nxdomain(query: bytes) -> bytes:
    """The answer to a query: its id and question, QR and RA set, RD copied, RCODE 3."""
    qid, flags = struct.unpack("!HH", query[:4])
    header = struct.pack("!HHHHHH", qid, 0x8000 | (flags & 0x0100) | 0x0080 | 3, 1, 0, 0, 0)
    return header + query[12:question_end(query)]


def question_end(query: bytes) -> int:
    """Where the first question ends (its name's labels, then QTYPE and QCLASS)."""
    at = 12
    while at < len(query) and query[at]:
        at += 1 + query[at]
    return min(at + 5, len(query))


def qname(query: bytes) -> str:
    labels, at = [], 12
    while at < len(query) and query[at]:
        labels.append(query[at + 1:at + 1 + query[at]].decode("ascii", "replace"))
        at += 1 + query[at]
    return ".".join(labels)


class SlowNx(asyncio.DatagramProtocol):
    def __init__(self, delay: float, log: Any = sys.stdout) -> None:
        self.delay = delay
        self.log = log
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if len(data) < 12:
            return
        print(qname(data), file=self.log, flush=True)
        asyncio.get_running_loop().call_later(self.delay, self.answer, data, addr)

    def answer(self, data: bytes, addr: tuple[str, int]) -> None:
        self.transport.sendto(nxdomain(data), addr)


async def serve(port: int, delay: float, log: Any = sys.stdout, ready: threading.Event | None = None) -> None:
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(lambda: SlowNx(delay, log), local_addr=("127.0.0.1", port))
    if ready is not None:
        ready.set()
    await asyncio.Event().wait()


def run_behind(command: list[str], delay: float, log: Any) -> int:
    """Run a command whose every name lookup asks this server (call inside `unshare -n -m`)."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
        conf.write("nameserver 127.0.0.1\noptions timeout:30 attempts:1\n")
    subprocess.run(["mount", "--bind", conf.name, "/etc/resolv.conf"], check=True)
    os.unlink(conf.name)
    ready = threading.Event()
    threading.Thread(target=asyncio.run, args=(serve(53, delay, log, ready),), daemon=True).start()
    if not ready.wait(10):
        raise SystemExit("the DNS server did not start")
    return subprocess.run(command).returncode


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A DNS server that answers every query NXDOMAIN after a delay")
    parser.add_argument("--port", type=int, default=53)
    parser.add_argument("--delay", type=float, default=1.0, help="seconds before each answer")
    parser.add_argument("--log", help="file for the names asked (default: stdout)")
    parser.add_argument("--run", action="store_true", help="run the command after `--` behind this server, then exit")
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    args, command = parser.parse_args(argv[:split]), argv[split + 1:]
    log = open(args.log, "a", buffering=1) if args.log else sys.stdout  # noqa: SIM115 - open for the process
    if args.run:
        sys.exit(run_behind(command, args.delay, log))
    try:
        asyncio.run(serve(args.port, args.delay, log))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
