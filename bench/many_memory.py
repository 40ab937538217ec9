"""Memory at thousands of sites (issue 26): `kexie crawl --all --dry-run` over N site files, and
Scrapy's scheduler holding N sites' start requests.

Why these two: a crawl of N sites first loads and checks every site file (the dry run stops right
after that, listing them), then hands Scrapy one start request per site at once; both grow with N,
and neither may grow with the sites' pages. The dry run is a measured process (bench/measure.py,
peak RSS of the tree); the scheduler is measured in a child process with tracemalloc (the bytes the
N requests, their fingerprints and the downloader-aware queue hold) and its RSS before and after.

    python -m bench.many_memory 3000                # both, printed as lines
    python -m bench.many_memory scheduler 3000      # the child: one JSON line
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import hostweb, measure  # noqa: E402

MIB = 1024


def scheduler(sites: int) -> dict[str, float]:
    """In this process: a Scrapy scheduler with the bare spider's settings, N start requests in it."""
    import scrapy
    from scrapy.core.engine import ExecutionEngine
    from scrapy.core.scheduler import Scheduler
    from scrapy.utils.reactor import install_reactor
    from scrapy.utils.test import get_crawler

    from bench.bare_many import settings

    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    crawler = get_crawler(scrapy.Spider, settings(sites, 1.0))
    crawler.spider = crawler._create_spider("many")
    crawler.engine = ExecutionEngine(crawler, lambda _: None)  # the downloader-aware queue asks its slots
    queue = Scheduler.from_crawler(crawler)
    queue.open(crawler.spider)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    for n in range(sites):
        queue.enqueue_request(scrapy.Request(f"http://site{n:04d}.test/news/index.html"))
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {"requests": len(queue), "held_kib": held / 1024, "rss_before_kib": rss_before,
            "rss_after_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def report(sites: int, kexie_root: Path = ROOT) -> list[str]:
    """Both measurements as printable lines."""
    lines = [f"MEMORY AT {sites} SITES"]
    with tempfile.TemporaryDirectory(prefix="kexie-many-mem-") as tmp:
        web = hostweb.generate(Path(tmp) / "web", sites, 1)
        # a dry run only reads an archive, never creates one (a typo in --db must not leave one behind)
        empty = "import sys; from archive.db import Archive; Archive(sys.argv[1]).close()"
        subprocess.run([sys.executable, "-c", empty, str(Path(tmp) / "archive.db")], cwd=kexie_root, check=True)
        run = measure.run([sys.executable, "-m", "cli", "crawl", "--all", "--dry-run", "--sites-dir",
                           str(web["sites_dir"]), "--db", str(Path(tmp) / "archive.db")], cwd=kexie_root, timeout=900)
        listed = sum(1 for line in run.stdout.splitlines() if ".test" in line or "site" in line)
        lines.append(f"  kexie crawl --all --dry-run: peak RSS {run.maxrss_kb // MIB} MiB (tree PSS"
                     f" {run.peak_tree_kb // MIB} MiB), wall {run.wall:.1f} s, CPU {run.cpu:.1f} s,"
                     f" exit {run.returncode}, {listed} output lines")
    child = measure.run([sys.executable, "-m", "bench.many_memory", "scheduler", str(sites)], cwd=ROOT, timeout=600)
    try:
        got = json.loads((child.stdout.strip().splitlines() or ["{}"])[-1])
        lines.append(f"  Scrapy scheduler with {got['requests']} start requests (one per host, downloader-aware queue):"
                     f" {got['held_kib'] / 1024:.1f} MiB held ({1024 * got['held_kib'] / max(got['requests'], 1):.0f}"
                     f" bytes a request), process peak RSS {got['rss_before_kib'] // MIB} ->"
                     f" {got['rss_after_kib'] // MIB} MiB")
    except (json.JSONDecodeError, KeyError):
        lines.append(f"  scheduler: FAILED (exit {child.returncode}): {child.stderr.strip()[-1500:]}")
    return lines


if __name__ == "__main__":
    if sys.argv[1:2] == ["scheduler"]:
        print(json.dumps(scheduler(int(sys.argv[2]))))
    else:
        print("\n".join(report(int(sys.argv[1]))))
