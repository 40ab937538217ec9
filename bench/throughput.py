"""Crawl-to-archive throughput (issue 7): (a) bare Scrapy fetch, (b) bare trafilatura on one core,
(c) our full `kexie crawl` into a fresh archive, over one synthetic web, in one run.

    .venv/bin/python bench/throughput.py                  # 10,000 pages, then (c) at 1k, 5k, 20k
    .venv/bin/python bench/throughput.py --quick          # 1,000 pages, no scale runs
    .venv/bin/python bench/throughput.py --pages 200 --skip-scale --reextract

Pages are article pages (the crawl also fetches list pages and robots.txt; so does (a), minus
robots.txt). (a) and (c) run as subprocesses measured as process trees (bench/measure.py), so
worker processes are counted; (b) and the stage split run in this process. Nothing here checks
speed in tests: the targets are printed as PASS/FAIL lines at the end.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
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

from bench import measure, memweb, stage_split, stages  # noqa: E402
from bench.synthweb import SynthWeb, generate  # noqa: E402
from crawler.runner import LOCAL_POLITENESS  # noqa: E402

LOCAL = [arg for k, v in LOCAL_POLITENESS.items() for arg in ("-s", f"{k}={v}")]
MIB = 1024


class Server:
    """bench/memweb.py in a child process; its CPU is read from /proc, apart from the crawl's."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.memweb", str(root)], cwd=ROOT,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.base_urls: dict[str, str] = json.loads(self.proc.stdout.readline())

    def cpu(self) -> float:
        return measure.proc_cpu(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class Row:
    name: str
    pages: int
    wall: float
    cpu: float
    rss_kb: int | None = None
    tree_kb: int | None = None
    other: float | None = None
    server_cpu: float | None = None

    @property
    def rate(self) -> float:
        return self.pages / self.wall if self.wall else 0.0


def _measured(name: str, cmd: list[str], pages: int, server: Server, timeout: float) -> tuple[Row, measure.Run]:
    before = server.cpu()
    run = measure.run(cmd, cwd=ROOT, keep_out=[server.proc.pid], timeout=timeout)
    if run.returncode:
        print(f"{name} FAILED (exit {run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}", file=sys.stderr)
    return Row(name, pages, run.wall, run.cpu, run.maxrss_kb, run.peak_tree_kb, run.other_cores,
               server.cpu() - before), run


def fetch_only(web: SynthWeb, server: Server, tmp: Path) -> Row:
    urls = tmp / f"urls-{web.pages}.txt"
    urls.write_text("\n".join(server.base_urls[k] + p for k in sorted(web.articles)
                              for p in web.lists[k] + web.articles[k]), "utf-8")
    cmd = [sys.executable, "-m", "bench.fetchonly", str(urls), json.dumps(LOCAL_POLITENESS)]
    row, run = _measured("(a) bare Scrapy fetch", cmd, web.pages, server, timeout=max(600, web.pages * 0.1))
    stats = json.loads((run.stdout.strip().splitlines() or ["{}"])[-1])
    if stats.get("downloader/response_status_count/200", 0) < web.pages:
        print(f"(a) warning: only {stats} of {web.pages} article pages fetched", file=sys.stderr)
    return row


def crawl(web: SynthWeb, server: Server, db: Path, learn: bool = True) -> tuple[Row, dict[str, float]]:
    """`kexie crawl` of every synthetic site into a fresh archive; (row, what the archive holds).
    learn=False: no learned containers (extract/learning.py), both extractors on every page."""
    moved = [arg for k in sorted(web.articles) for arg in ("--base-url", f"{k}={server.base_urls[k]}")]
    cmd = [sys.executable, "-m", "cli", "crawl", *sorted(web.articles), "--sites-dir", str(web.sites_dir),
           *moved, *LOCAL, *([] if learn else ["-s", "KEXIE_LEARN_CONTAINERS=0"]), "--db", str(db)]
    row, _ = _measured(f"(c) kexie crawl {web.pages}", cmd, web.pages, server, timeout=max(900, web.pages * 0.3))
    return row, archive_counts(db)


def archive_counts(db: Path) -> dict[str, float]:
    if not db.exists():
        return {"articles": 0, "rejects": 0, "pages": 0, "in_crawl_s": 0.0}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        one = lambda sql: con.execute(sql).fetchone()[0] or 0  # noqa: E731
        return {"articles": one("SELECT count(*) FROM articles"), "rejects": one("SELECT count(*) FROM rejects"),
                "pages": one("SELECT count(*) FROM pages"), "in_crawl_s": one("SELECT max(duration_s) FROM crawl_runs")}


def bare(web: SynthWeb, server: Server) -> Row:
    """(b) in this process, with the CPU others burned meanwhile (the server idles: no fetching)."""
    bodies = [body for _, _, body in stages.article_bodies(web)]
    busy, served = measure.busy_seconds(), server.cpu()
    cpu, wall, _ = stages.bare_trafilatura(bodies)
    other = max(0.0, measure.busy_seconds() - busy - cpu - (server.cpu() - served)) / wall
    return Row("(b) bare trafilatura, 1 core", len(bodies), wall, cpu, other=other)


def bare_again(web: SynthWeb, server: Server) -> Row:
    """(b) again on its first 2,000 pages, right after (c): a VM's CPU speed drifts (10-25 % within
    one run here), so the targets compare (c) with the mean of the (b) runs on either side of it."""
    bodies = [body for _, _, body in stages.article_bodies(web, min(2000, web.pages))]
    busy, served = measure.busy_seconds(), server.cpu()
    cpu, wall, _ = stages.bare_trafilatura(bodies)
    other = max(0.0, measure.busy_seconds() - busy - cpu - (server.cpu() - served)) / wall
    return Row("(b') the same, after (c)", len(bodies), wall, cpu, other=other)


def reextract(db: Path, crawl_row: Row) -> list[str]:
    """`kexie reextract` over the crawl's archive, when another developer has written it."""
    probe = subprocess.run([sys.executable, "-m", "cli", "--help"], cwd=ROOT, capture_output=True, text=True)
    if not re.search(r"(?m)^\s+reextract\b", probe.stdout):
        module = "exists" if (ROOT / "pipelines" / "reextract.py").exists() else "does not exist yet"
        return [f"reextract: NOT AVAILABLE - `kexie reextract` is not a command yet (pipelines/reextract.py {module};"
                " another developer is writing it); nothing measured"]
    pages = int(archive_counts(db)["articles"])
    run = measure.run([sys.executable, "-m", "cli", "reextract", "--db", str(db)], cwd=ROOT,
                      timeout=max(900, pages * 0.3))
    if run.returncode:
        return [f"reextract: FAILED (exit {run.returncode}): {run.stderr.strip()[-1500:]}"]
    rate = pages / run.wall
    verdict = "PASS" if rate >= crawl_row.rate else "FAIL"
    return [f"reextract: {pages} stored articles in {run.wall:.1f} s = {rate:.1f} pages/s,"
            f" CPU {1000 * run.cpu / pages:.2f} ms/page, ru_maxrss {run.maxrss_kb // MIB} MiB;"
            f" vs crawl {crawl_row.rate:.1f} pages/s: {rate / crawl_row.rate:.2f}x  [{verdict}: reextract >= crawl]"]


def main() -> None:
    from bench.report import main_table, scale_table, stage_table, targets

    args = parse_args()
    started = time.monotonic()
    measure.become_subreaper()
    print("\n".join(measure.machine()), flush=True)
    with tempfile.TemporaryDirectory(prefix="kexie-bench-") as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.monotonic()
        web = generate(tmp / f"web-{args.pages}", args.pages, args.keep_xpath)
        print(f"synthetic web: {web.pages} article + {sum(map(len, web.lists.values()))} list pages, six templates,"
              f" generated in {time.monotonic() - t0:.1f} s; site configs "
              + ("WITH the sample content_xpath" if args.keep_xpath else "without content_xpath (as config/sites)"),
              flush=True)
        with Server(web.root) as server:
            paths = {k: web.articles[k][:200] for k in web.articles}
            before = server.cpu()
            served, seconds = memweb.ceiling(server.base_urls, paths, seconds=args.ceiling)
            per_request = 1e6 * (server.cpu() - before) / max(served, 1)
            server_line = (f"server ceiling: {served / seconds:.0f} req/s with 16 keep-alive Python clients"
                           f" (client-bound lower bound); server CPU {per_request:.0f} us/request, i.e."
                           f" ~{1e6 / max(per_request, 1):.0f} req/s per core")
            print(server_line, flush=True)
            a = fetch_only(web, server, tmp)
            b = bare(web, server)
            c, counts = crawl(web, server, tmp / "crawl" / "archive.db", learn=not args.no_learn)
            b2 = bare_again(web, server)
            sample = stages.article_bodies(web, min(args.sample, web.pages))
            split = stages.stage_times(web, server.base_urls[sorted(web.articles)[0]], sample)
            steps = stage_split.split_pages(stages._pages(web, server.base_urls[sorted(web.articles)[0]], sample),
                                            stages._learning())
            extra = reextract(tmp / "crawl" / "archive.db", c) if args.reextract else []
        print("\n" + "\n".join(main_table(a, b, b2, c, counts, server_line)), flush=True)
        print("\n" + "\n".join(stage_table(split, a, c)), flush=True)
        print("\n" + "\n".join(stage_split.table(
            f"CPU PER PAGE BY STEP  (the worker's stages and a worker's pickling, {len(sample)} sampled pages,"
            " learned containers on)", steps[0], len(sample), b.cpu / b.pages * len(sample))), flush=True)
        print("\n".join(f"  not timed: {m}" for m in steps[1]))
        if extra:
            print("\n" + "\n".join(extra))
        points = [(web.pages, c, counts)]
        for size in [s for s in args.scale if s != web.pages]:
            sweb = generate(tmp / f"web-{size}", size, args.keep_xpath)
            with Server(sweb.root) as sserver:
                db = tmp / f"crawl-{size}" / "archive.db"
                points.append((size, *crawl(sweb, sserver, db, learn=not args.no_learn)))
            shutil.rmtree(tmp / f"web-{size}", ignore_errors=True)
            print(f"  scale point {size} done ({time.monotonic() - started:.0f} s so far)", flush=True)
        points.sort(key=lambda p: p[0])
        if len(points) > 1:
            print("\n" + "\n".join(scale_table(points)))
        print("\n" + "\n".join(targets(a, b, b2, c, points)))
    print(f"\nbench finished in {time.monotonic() - started:.0f} s")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=None, help="article pages for (a), (b), (c) (default 10000)")
    parser.add_argument("--scale", default=None, help="sizes for extra (c) runs (default 1000,5000,20000)")
    parser.add_argument("--skip-scale", action="store_true", help="no extra (c) runs")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1000 pages, no scale runs unless --scale")
    parser.add_argument("--reextract", action="store_true", help="also time `kexie reextract` over the crawl's archive")
    parser.add_argument("--keep-xpath", action="store_true",
                        help="keep the sample sites' content_xpath (default: none, like the real site files)")
    parser.add_argument("--no-learn", action="store_true",
                        help="crawl without learned containers (both extractors on every page), for a before/after")
    parser.add_argument("--sample", type=int, default=1000, help="pages for the per-stage CPU split (default 1000)")
    parser.add_argument("--ceiling", type=float, default=2.0, help="seconds of the server ceiling test")
    args = parser.parse_args()
    args.pages = args.pages or (1000 if args.quick else 10_000)
    skip = args.skip_scale or (args.quick and args.scale is None)
    args.scale = [] if skip else [int(s) for s in (args.scale or "1000,5000,20000").split(",") if s.strip()]
    return args


if __name__ == "__main__":
    main()
