"""Many sites in one crawl: side by side, each at its own polite pace (issue 12).

The sites have their own hostnames (site00.test …) behind a local proxy (bench/hostweb.py),
because Scrapy keys its per-site download slots by hostname, not port. The server's hit log
says when each request came: the gaps between two requests to one host must respect that
site's delay, and every site must have begun before any site ended. No speed is asserted
(that is bench/many_sites.py's business): only order and spacing, which a slow machine widens.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from bench.hostweb import HostWeb, generate

from .conftest import ROOT


def crawl(web: HostWeb, *args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "http_proxy": f"http://127.0.0.1:{web.port}", "KEXIE_DB": str(db)}
    env.pop("no_proxy", None), env.pop("NO_PROXY", None)
    return subprocess.run([sys.executable, "-m", "cli", "crawl", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240)


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_sites_are_crawled_side_by_side_each_at_its_own_pace(tmp_path: Path) -> None:
    made = generate(tmp_path / "web", sites=4, articles=4, per_list=2, delay=0.3)
    sites_dir = Path(str(made["sites_dir"]))
    slow = sites_dir / "site03.toml"  # one site asks for a longer delay than the others
    slow.write_text(re.sub(r"delay = [\d.]+", "delay = 1.2", slow.read_text("utf-8")), "utf-8")
    db = tmp_path / "a.db"
    with HostWeb(tmp_path / "web") as web:
        result = crawl(web, "--all", "--sites-dir", str(sites_dir), db=db)
        hits = web.hits()
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 16
        runs = conn.execute("SELECT site, finish_reason, stored, lost, complete FROM crawl_runs"
                            " ORDER BY site").fetchall()
    assert runs == [(f"site{i:02d}", "finished", 4, 0, 1) for i in range(4)], runs
    pages = {host: [t for path, t in log if path != "/robots.txt"] for host, log in hits.items()}
    assert sorted(pages) == [f"site{i:02d}.test" for i in range(4)]
    # Scrapy's jitter spaces requests 0.5–1.5 × the delay
    for host, times in pages.items():
        floor = 0.5 * (1.2 if host == "site03.test" else 0.3)
        assert min(gaps(sorted(times))) >= floor - 0.02, (host, gaps(sorted(times)))
    assert max(min(times) for times in pages.values()) < min(max(times) for times in pages.values()), \
        "a site began only after another had ended: the sites were not crawled side by side"
    for key in ("site00", "site03"):
        assert re.search(rf"^{key}\s+4\s+4\b", result.stdout, re.M), result.stdout
    assert re.search(r"^total \(4 sites\)\s+16\s+16\b", result.stdout, re.M), result.stdout


def test_more_sites_than_run_at_once_all_get_crawled(tmp_path: Path) -> None:
    """KEXIE_ACTIVE_SITES bounds how many sites are open at a time; the rest wait their turn."""
    made = generate(tmp_path / "web", sites=5, articles=2, per_list=2, delay=0.05)
    db = tmp_path / "a.db"
    with HostWeb(tmp_path / "web") as web:
        result = crawl(web, "--all", "--sites-dir", str(made["sites_dir"]), "-s", "KEXIE_ACTIVE_SITES=2", db=db)
        hits = web.hits()
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 10
        spans = conn.execute("SELECT site, started_at, finished_at FROM crawl_runs ORDER BY site").fetchall()
    assert len(spans) == 5 and all(finished for _, _, finished in spans), spans
    windows = sorted((min(t for _, t in log), max(t for _, t in log)) for log in hits.values())
    for start, _ in windows:  # at no moment were more than two sites being fetched
        assert sum(1 for s, e in windows if s <= start <= e) <= 2, windows
