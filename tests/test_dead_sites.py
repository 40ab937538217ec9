"""Hundreds of dead sites: a crawl ends as soon as its last site is done (issue 26).

The crawl runs in a private network namespace whose resolver (tests/slowdns.py) knows no name
and answers each query after a second: the kind of slow resolver behind which a crawl of many
dead hosts used to finish its last site, then idle for minutes while the reactor's thread pool
worked through lookups nobody waited for any more. No query leaves the machine.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from .conftest import ROOT

SITES = 120


def _namespaces_work() -> str:
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return "needs root, unshare and ip (a private network namespace with its own resolver)"
    probe = subprocess.run(["unshare", "-n", "-m", "true"], capture_output=True, text=True)
    return "" if probe.returncode == 0 else f"unshare -n -m failed: {probe.stderr.strip()}"


def write_dead_sites(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"dead{i:04d}.toml").write_text(
            f'name = "停用站{i}"\nlevel = "county"\nregion = "无"\nofficial = true\n'
            f'base_url = "http://dead{i:04d}.kexie-nowhere.invalid"\nstart_urls = ["/news/index.html"]\n'
            "article_pattern = '^/news/\\d+\\.html$'\npagination_pattern = ''\n\n"
            "[politeness]\ndelay = 1.0\nconcurrency = 1\n", encoding="utf-8")


@pytest.mark.skipif(bool(_namespaces_work()), reason=_namespaces_work() or "-")
def test_a_crawl_of_dead_sites_exits_once_its_last_site_is_done(tmp_path: Path) -> None:
    write_dead_sites(tmp_path / "sites", SITES)
    db, asked = tmp_path / "archive.db", tmp_path / "asked.txt"
    crawl = [sys.executable, "-m", "cli", "crawl", "--all", "--sites-dir", str(tmp_path / "sites"), "--db", str(db),
             "-s", "DOWNLOAD_TIMEOUT=3"]
    result = subprocess.run(["unshare", "-n", "-m", sys.executable, "-m", "tests.slowdns", "--delay", "1",
                             "--log", str(asked), "--run", "--", *crawl],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    ended = time.time()
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        count, finished, errors, last = conn.execute(
            "SELECT count(*), count(finished_at), sum(errors), max(finished_at) FROM crawl_runs").fetchone()
    assert (count, finished) == (SITES, SITES)
    assert errors >= SITES  # every dead site's list page failed, and said so
    idle = ended - datetime.fromisoformat(last).timestamp()
    # it used to idle 90 s here (120 dead sites) after the last run, running abandoned lookups
    assert idle < 20, f"the crawl idled {idle:.0f} s after its last site was done"
    # one lookup a name: robots.txt, the list page and the frontier share it (it was six)
    names = asked.read_text().split()
    assert len(names) <= SITES * 1.5, f"{len(names)} lookups for {SITES} dead hosts"
