"""Distributed crawl (issue 15): pages/s of 1 and 2 `kexie worker`s plus the archiver, and of one
plain `kexie crawl --all` process, on the same many-sites web in the same run.

Why: workers exist to crawl more sites at once than one machine should, and to add machines'
CPU. Two scenarios show each side on this one machine:
  polite   every site has its delay (one request at a time per host): a worker crawling --sites
           N at a time is bounded by politeness, so 2 workers x N sites at once take about half
           the time of 1 worker x N.
  cpu      no delay: extraction and storing bound the crawl; on a 2-core machine 2 workers cannot
           beat 1 by much (their gain is more machines, not more processes on one).
Each site has its own hostname behind bench/hostweb.py's proxy (Scrapy keys slots by hostname);
the kexie processes reach it through http_proxy, like bench/many_sites.py. A real redis-server
is started per run. Enqueue, workers and archiver run as one measured process tree
(bench/measure.py): wall time is from enqueue to the last exit (the archiver's). With a delay under
1 s the workers space requests by 1 s anyway (a NOTE in the output says so; --quick shows it).

    .venv/bin/python bench/workers.py --quick     # about a minute
    .venv/bin/python bench/workers.py             # 60 sites x 15 articles, delay 1 s; 8 x 150 at full speed
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import hostweb, measure  # noqa: E402
from bench.many_sites import min_spacing, stored_articles  # noqa: E402

MIB = 1024
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
KEXIE = [sys.executable, "-m", "cli"]
# Runs the enqueue, then the workers and the archiver side by side, as one tree measure.run can follow.
_GROUP = (
    "import json, subprocess, sys\n"
    "spec = json.load(open(sys.argv[1]))\n"
    "def start(name, cmd):\n"
    "    return subprocess.Popen(cmd, stdout=open(f\"{spec['logs']}/{name}.log\", 'ab'), stderr=subprocess.STDOUT)\n"
    "codes = {'enqueue': start('enqueue', spec['enqueue']).wait()}\n"
    "procs = {n: start(n, c) for n, c in spec['together'].items()} if not codes['enqueue'] else {}\n"
    "archiver = procs.pop('archiver', None)\n"
    "codes.update({n: p.wait() for n, p in procs.items()})\n"
    "if archiver and any(codes.values()):  # a worker failed: its jobs stay queued and the archiver would wait\n"
    "    archiver.terminate()\n"
    "if archiver:\n"
    "    codes['archiver'] = archiver.wait()\n"
    "print(json.dumps(codes))\n"
    "sys.exit(1 if any(codes.values()) else 0)\n"
)


@dataclass
class Result:
    label: str
    pools: str  # KEXIE_WORKERS of each crawling process
    run: measure.Run
    stored: int
    requests: int
    min_gap: float
    redis_cpu: float
    per_worker: str


def redis_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A throw-away redis-server on a free port (tests/redis_process.py's way, without pytest)."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    folder.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    for _ in range(200):  # 10 s
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return server, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
        if server.poll() is not None:
            break
    server.kill()
    raise RuntimeError(f"redis-server ({binary}) did not start on port {port}")


def per_worker(db: Path) -> str:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute("SELECT coalesce(worker, '-'), count(*) FROM crawl_runs GROUP BY 1 ORDER BY 1").fetchall()
    return " ".join(f"{w}:{n}" for w, n in rows)


def measured(label: str, pools: str, cmd: list[str], db: Path, env: dict[str, str], port: int,
             keep: list[int], redis_pid: int = 0) -> Result:
    before = measure.proc_cpu(redis_pid) if redis_pid else 0.0
    run = measure.run(cmd, env=env, cwd=ROOT, keep_out=keep, timeout=1800)
    hits = hostweb.fetch_hits(port, reset=True)
    if run.returncode:
        logs = "".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}\n"
                       for log in sorted(db.parent.glob("*.log")))
        print(f"{label} exited {run.returncode}:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}\n{logs}", file=sys.stderr)
    return Result(label, pools, run, stored_articles(db),
                  sum(p != "/robots.txt" for log in hits.values() for p, _ in log), min_spacing(hits),
                  (measure.proc_cpu(redis_pid) - before) if redis_pid else 0.0, per_worker(db) if db.exists() else "")


def distributed(label: str, workers: list[tuple[str, int]], extra: list[str], sites_dir: str, tmp: Path,
                env: dict[str, str], port: int, web_pid: int) -> Result:
    """enqueue, then the workers [(name, --sites)] and one archiver; KEXIE_WORKERS=1 each when there are several."""
    out = tmp / label.replace(" ", "-")
    out.mkdir()
    db = out / "archive.db"
    redis, url = redis_server(out / "redis")
    pools = ["-s", "KEXIE_WORKERS=1"] if len(workers) > 1 else []
    spec = {"logs": str(out),
            "enqueue": [*KEXIE, "crawl", "--all", "--redis", url, "--sites-dir", sites_dir, "--db", str(db)],
            "together": {**{name: [*KEXIE, "worker", "--redis", url, "--name", name, "--sites", str(sites),
                                   "--exit-when-done", "--cache-dir", str(out / f"cache-{name}"), *extra, *pools]
                            for name, sites in workers},
                         "archiver": [*KEXIE, "archiver", "--redis", url, "--db", str(db), "--exit-when-done"]}}
    (out / "spec.json").write_text(json.dumps(spec))
    try:
        return measured(label, "1 each" if pools else "default (one per core)",
                        [sys.executable, "-c", _GROUP, str(out / "spec.json")], db, env, port,
                        [web_pid, redis.pid], redis.pid)
    finally:
        redis.terminate()
        redis.wait(10)


def scenario(name: str, sites: int, articles: int, delay: float, at_once: int, tmp: Path) -> list[Result]:
    web = hostweb.generate(tmp / "web", sites, articles, delay=delay)
    sites_dir = str(web["sites_dir"])
    server, port = hostweb.spawn(tmp / "web")
    proxy = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy", "all_proxy")}
    env.update(http_proxy=proxy, HTTP_PROXY=proxy, PYTHONUNBUFFERED="1")
    extra = FAST if delay == 0 else []
    half = at_once if delay else max(1, at_once // 2)  # polite: each worker N sites; cpu: N split over two
    single = tmp / "single" / "archive.db"
    single.parent.mkdir()
    try:
        return [measured(f"{name} kexie crawl", "default (one per core)",
                         [*KEXIE, "crawl", "--all", "--sites-dir", sites_dir, "--db", str(single), *extra],
                         single, env, port, [server.pid]),
                distributed(f"{name} 1 worker", [("w1", at_once)], extra, sites_dir, tmp, env, port, server.pid),
                distributed(f"{name} 2 workers", [("w1", half), ("w2", half)], extra, sites_dir, tmp, env, port,
                            server.pid)]
    finally:
        server.terminate()
        server.wait()


def table(results: list[Result], want: int) -> list[str]:
    head = (f"{'run':<22}{'KEXIE_WORKERS':<24}{'wall s':>7}{'stored':>11}{'pages/s':>9}{'CPU s':>7}{'redis':>6}"
            f"{'PSS MiB':>8}{'max MiB':>8}{'GETs':>6}{'min gap':>8}{'other':>6} exit  sites per worker")
    return [head, "-" * len(head)] + [
        f"{r.label:<22}{r.pools:<24}{r.run.wall:7.1f}{f'{r.stored}/{want}':>11}{rate(r):9.1f}{r.run.cpu:7.1f}"
        f"{r.redis_cpu:6.1f}{r.run.peak_tree_kb // MIB:8}{r.run.maxrss_kb // MIB:8}{r.requests:6}{r.min_gap:8.2f}"
        f"{r.run.other_cores:6.2f} {r.run.returncode:4}  {r.per_worker}" for r in results]


def rate(r: Result) -> float:
    return r.stored / r.run.wall if r.run.wall else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a short run: few sites, small delay (< ~60 s)")
    parser.add_argument("--delay", type=float, default=None, help="polite scenario's delay (default 1, quick 0.2)")
    args = parser.parse_args()
    delay = args.delay if args.delay is not None else (0.2 if args.quick else 1.0)
    # (name, sites, articles a site, delay, sites a worker takes at once (split over two in cpu))
    plans = [("polite", 8, 5, delay, 4), ("cpu", 4, 40, 0.0, 4)] if args.quick else \
        [("polite", 60, 15, delay, 30), ("cpu", 8, 150, 0.0, 8)]
    started, ok, summary = time.monotonic(), True, []
    measure.become_subreaper()
    print("\n".join(measure.machine()), flush=True)
    for name, sites, articles, pause, at_once in plans:
        how = f"delay {pause} s, 1 request at a time per host" if pause else f"no delay ({' '.join(FAST[1::2])})"
        print(f"\n{name}: {sites} sites x {articles} articles, {how}; 1 worker --sites {at_once}, 2 workers --sites"
              f" {at_once if pause else max(1, at_once // 2)} each and -s KEXIE_WORKERS=1; kexie crawl: every site"
              " at once", flush=True)
        with tempfile.TemporaryDirectory(prefix="kexie-dist-") as tmp:
            single, one, two = results = scenario(name, sites, articles, pause, at_once, Path(tmp))
        print("\n".join(table(results, sites * articles)), flush=True)
        same = single.stored == one.stored == two.stored == sites * articles
        ok = ok and same and not any(r.run.returncode for r in results)
        slow = min(one.min_gap, two.min_gap) > 2 * single.min_gap and 0 < pause < 1  # the worker's 1 s floor
        why = ("politeness bounds it: 2 workers crawl twice as many sites at once" + (
            f"; NOTE workers spaced requests >= {min(one.min_gap, two.min_gap):.2f} s, not the site files'"
            f" {pause} s (kexie crawl: {single.min_gap:.2f} s): AutoThrottle's floor in a worker is DOWNLOAD_DELAY"
            " (1 s), as no site is known when it starts") * slow if pause else
               f"CPU bounds it: {os.cpu_count()} cores shared by both workers and the archiver; workers pay off"
               " on more machines")
        summary.append(f"{name}: 2 workers / 1 worker pages/s = {rate(two) / max(rate(one), 1e-9):.2f}, 1 worker"
                       f" / kexie crawl = {rate(one) / max(rate(single), 1e-9):.2f}; articles"
                       f" {'SAME' if same else 'DIFFER'}"
                       f" ({single.stored}, {one.stored}, {two.stored} of {sites * articles}); {why}")
    print("\n(pages/s: articles stored per wall second; CPU s: all kexie processes; redis: redis-server CPU s;"
          " PSS: sampled peak of the tree; max: largest process; GETs: non-robots requests the web saw;"
          " min gap: between two requests to one host; other: cores other processes used meanwhile)")
    print("\n".join(summary) + f"\n\nbench finished in {time.monotonic() - started:.0f} s")
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
