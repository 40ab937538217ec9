"""Many sites at once (issues 12, 26): bare Scrapy, bare Scrapy + trafilatura, `kexie crawl --all`, one run.

Why: with per-site politeness (delay D, one request at a time per host) a crawl of S sites takes
about S x pages x D seconds one site after another but only pages x D when the sites are crawled
side by side, as bare Scrapy does with one download slot per hostname. The targets: at every S,
kexie's wall time <= 1.3 x bare Scrapy's and <= 1.2 x bare Scrapy with `trafilatura.extract` in its
callback (issue 26), every article stored, and kexie's peak memory at the largest S within 20% of the
smallest (memory must not grow with the number of sites). `--memory N` also measures the memory of
`kexie crawl --all --dry-run` over N site files and of Scrapy's scheduler holding N sites' start
requests (bench/many_memory.py).

Each site has its own hostname (bench/hostweb.py: one local proxy port serving site00.test …, run
in a child process so its CPU is apart), because Scrapy keys slots by hostname, not port. Both
crawls run as measured process trees (bench/measure.py); hostweb's hit log gives the smallest gap
between two requests to one host (politeness) and the most hosts hit within one second (concurrency).

    .venv/bin/python bench/many_sites.py                    # S = 20 and 60, 15 articles a site, delay 1 s
    .venv/bin/python bench/many_sites.py --sites 300 --memory 3000    # issue 26
    .venv/bin/python bench/many_sites.py --quick --delay 0.2
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import hostweb, measure  # noqa: E402

MIB = 1024


@dataclass
class Point:
    """One S: both runs and what the web saw of each."""

    sites: int
    expected: int
    bare: measure.Run
    kexie: measure.Run
    fetched: int  # article responses the bare spider counted
    stored: int  # rows in the archive's articles table
    bare_hits: hostweb.Hits
    kexie_hits: hostweb.Hits
    extract: measure.Run  # bare Scrapy with trafilatura.extract in its article callback
    extracted: int  # articles trafilatura gave a text for


def min_spacing(hits: hostweb.Hits) -> float:
    """Smallest gap between two consecutive requests to one host, robots.txt left out."""
    gaps = []
    for log in hits.values():
        times = [t for path, t in log if path != "/robots.txt"]
        gaps += [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    return min(gaps, default=float("nan"))


def max_hosts_per_second(hits: hostweb.Hits) -> int:
    """The most distinct hosts with a (non-robots) request inside one sliding 1-second window."""
    events = sorted((t, host) for host, log in hits.items() for p, t in log if p != "/robots.txt")
    inside: Counter[str] = Counter()
    best, first = 0, 0
    for t, host in events:
        inside[host] += 1
        while events[first][0] <= t - 1.0:
            inside[events[first][1]] -= 1
            if not inside[events[first][1]]:
                del inside[events[first][1]]
            first += 1
        best = max(best, len(inside))
    return best


def stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def _failed(name: str, run: measure.Run) -> None:
    if run.returncode:
        print(f"{name} exited {run.returncode}:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}", file=sys.stderr)


def run_point(sites: int, articles: int, delay: float, tmp: Path, kexie_root: Path = ROOT) -> Point:
    web = hostweb.generate(tmp / "web", sites, articles, delay=delay)
    sites_dir, db = str(web["sites_dir"]), tmp / "crawl" / "archive.db"
    server, port = hostweb.spawn(tmp / "web")
    proxy = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy", "all_proxy")}
    env.update(http_proxy=proxy, HTTP_PROXY=proxy)
    timeout = 600 + 3 * sites * (articles + 5) * max(delay, 0.1)
    try:
        bare = measure.run([sys.executable, "-m", "bench.bare_many", sites_dir, str(delay)], env=env, cwd=ROOT,
                           keep_out=[server.pid], timeout=timeout)
        _failed("bare spider", bare)
        bare_hits = hostweb.fetch_hits(port, reset=True)
        extract = measure.run([sys.executable, "-m", "bench.bare_many", sites_dir, str(delay), "extract"], env=env,
                              cwd=ROOT, keep_out=[server.pid], timeout=timeout)
        _failed("bare spider + trafilatura", extract)
        hostweb.fetch_hits(port, reset=True)
        kexie = measure.run([sys.executable, "-m", "cli", "crawl", "--all", "--sites-dir", sites_dir,
                             "--db", str(db)], env=env, cwd=kexie_root, keep_out=[server.pid], timeout=timeout)
        _failed("kexie crawl", kexie)
        kexie_hits = hostweb.fetch_hits(port, reset=True)
    finally:
        server.terminate()
        server.wait()
    counts, extracted = _counts(bare), _counts(extract)
    return Point(sites, sites * articles, bare, kexie, int(counts.get("articles", 0)), stored_articles(db),
                 bare_hits, kexie_hits, extract=extract, extracted=int(extracted.get("extracted", 0)))


def _counts(run: measure.Run) -> dict[str, int]:
    try:
        return dict(json.loads((run.stdout.strip().splitlines() or ["{}"])[-1]))
    except json.JSONDecodeError:  # the bare spider died: its stderr is printed above
        return {}


def describe(p: Point) -> list[str]:
    def hosts(hits: hostweb.Hits) -> str:
        robots = sum(any(path == "/robots.txt" for path, _ in log) for log in hits.values())
        return (f"{len(hits)} hosts seen (robots.txt from {robots}), min gap to one host {min_spacing(hits):.2f} s,"
                f" at most {max_hosts_per_second(hits)} hosts within 1 s")

    ratio = p.kexie.wall / p.bare.wall if p.bare.wall else float("nan")
    ratio_x = p.kexie.wall / p.extract.wall if p.extract.wall else float("nan")
    return [f"S = {p.sites}: {p.expected} articles expected",
            f"  bare Scrapy  wall {p.bare.wall:7.1f} s  CPU {p.bare.cpu:6.1f} s  peak RSS"
            f" {p.bare.peak_tree_kb // MIB:4} MiB (largest process {p.bare.maxrss_kb // MIB} MiB)"
            f"  exit {p.bare.returncode}  article pages fetched {p.fetched}/{p.expected}",
            f"  bare+trafil. wall {p.extract.wall:7.1f} s  CPU {p.extract.cpu:6.1f} s  peak RSS"
            f" {p.extract.peak_tree_kb // MIB:4} MiB (largest process {p.extract.maxrss_kb // MIB} MiB)"
            f"  exit {p.extract.returncode}  articles extracted {p.extracted}/{p.expected}",
            f"  kexie crawl  wall {p.kexie.wall:7.1f} s  CPU {p.kexie.cpu:6.1f} s  peak RSS"
            f" {p.kexie.peak_tree_kb // MIB:4} MiB (largest process {p.kexie.maxrss_kb // MIB} MiB)"
            f"  exit {p.kexie.returncode}  articles stored {p.stored}/{p.expected}",
            f"  wall kexie/bare = {ratio:.2f}, kexie/(bare+trafilatura) = {ratio_x:.2f}; CPU kexie/(bare+trafilatura)"
            f" = {p.kexie.cpu / max(p.extract.cpu, 1e-9):.2f}; other load meanwhile {p.bare.other_cores:.2f} (bare)"
            f" / {p.kexie.other_cores:.2f} (kexie) cores",
            f"  web, bare:  {hosts(p.bare_hits)}",
            f"  web, kexie: {hosts(p.kexie_hits)}"]


def verdicts(points: list[Point]) -> list[str]:
    def line(ok: bool, text: str) -> str:
        return f"{'PASS' if ok else 'FAIL'}: {text}"

    lines = [line(p.kexie.wall <= 1.3 * p.bare.wall, f"S = {p.sites}: kexie wall {p.kexie.wall:.1f} s <= 1.3 x bare"
                  f" {p.bare.wall:.1f} s = {1.3 * p.bare.wall:.1f} s") for p in points]
    lines += [line(p.kexie.wall <= 1.2 * p.extract.wall, f"S = {p.sites}: kexie wall {p.kexie.wall:.1f} s <= 1.2 x bare"
                   f" Scrapy + trafilatura {p.extract.wall:.1f} s = {1.2 * p.extract.wall:.1f} s") for p in points]
    lines += [line(p.stored == p.expected and p.kexie.returncode == 0,
                   f"S = {p.sites}: every article stored ({p.stored}/{p.expected}, exit {p.kexie.returncode})")
              for p in points]
    small, large = min(points, key=lambda p: p.sites), max(points, key=lambda p: p.sites)
    if large.sites != small.sites:
        grow = large.kexie.peak_tree_kb / max(small.kexie.peak_tree_kb, 1)
        lines.append(line(grow <= 1.2, f"kexie peak RSS at S = {large.sites} is {grow:.2f} x that at S = {small.sites}"
                          f" ({large.kexie.peak_tree_kb // MIB} vs {small.kexie.peak_tree_kb // MIB} MiB; within 1.2)"))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", default=None, help="site counts to run, comma-separated (default 20,60)")
    parser.add_argument("--articles", type=int, default=None, help="articles per site (default 15)")
    parser.add_argument("--delay", type=float, default=1.0, help="politeness delay of every site, seconds")
    parser.add_argument("--quick", action="store_true", help="smoke run: S = 3, 5 articles a site")
    parser.add_argument("--kexie-root", type=Path, default=ROOT,
                        help="run `python -m cli` from this checkout (e.g. a `git archive` of another commit)")
    parser.add_argument("--memory", type=int, default=0,
                        help="also measure a --dry-run over this many site files and the scheduler with their starts")
    args = parser.parse_args()
    counts = [int(s) for s in (args.sites or ("3" if args.quick else "20,60")).split(",") if s.strip()]
    articles = args.articles or (5 if args.quick else 15)
    started = time.monotonic()
    measure.become_subreaper()
    print("\n".join(measure.machine()), flush=True)
    print(f"sites {counts}, {articles} articles a site, delay {args.delay} s, one request at a time per host;"
          f" kexie code from {args.kexie_root}", flush=True)
    points: list[Point] = []
    for sites in counts:
        with tempfile.TemporaryDirectory(prefix="kexie-many-") as tmp:
            points.append(run_point(sites, articles, args.delay, Path(tmp), args.kexie_root.resolve()))
        print("\n" + "\n".join(describe(points[-1])), flush=True)
    if len(points) > 1:
        small, large = min(points, key=lambda p: p.sites), max(points, key=lambda p: p.sites)
        print(f"\nkexie peak RSS S = {large.sites} / S = {small.sites}:"
              f" {large.kexie.peak_tree_kb / max(small.kexie.peak_tree_kb, 1):.2f}"
              f" (largest process {large.kexie.maxrss_kb / max(small.kexie.maxrss_kb, 1):.2f})")
    if args.memory:
        from bench.many_memory import report

        print("\n" + "\n".join(report(args.memory, args.kexie_root.resolve())), flush=True)
    print("\nTARGETS\n" + "\n".join(verdicts(points)))
    print(f"\nbench finished in {time.monotonic() - started:.0f} s")
    return 2 if any(p.bare.returncode or p.kexie.returncode for p in points) else 0


if __name__ == "__main__":
    sys.exit(main())
