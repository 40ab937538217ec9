"""Helpers of the distributed-crawl tests: real `kexie worker` / `kexie archiver` processes, the
queueing command, and what of an archive two crawls must agree on."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.conftest import ELSEWHERE, LOCAL, SAMPLE_SITES, kexie
from tools.sampleweb.server import SampleWeb

LEASE = "3"
SITES = len(list(SAMPLE_SITES.glob("*.toml")))  # the sample sites, each a job


def start(log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "cli", *args], stdout=out, stderr=subprocess.STDOUT,
                                cwd=ELSEWHERE)


def worker(tmp: Path, url: str, name: str, *extra: str, agent: str = "", lease: str = LEASE) -> subprocess.Popen[bytes]:
    return start(tmp / f"{name}.log", "worker", "--redis", url, "--name", name, "--exit-when-done", "--lease", lease,
                 "--cache-dir", str(tmp / f"cache-{name}"), "-s", f"USER_AGENT=kexie-{agent or name}", *LOCAL, *extra)


def archiver(tmp: Path, url: str, db: Path, *extra: str, lease: str = LEASE) -> subprocess.Popen[bytes]:
    return start(tmp / "archiver.log", "archiver", "--redis", url, "--db", str(db), "--exit-when-done",
                 "--lease", lease, *extra)


def enqueue(web: SampleWeb, url: str, db: Path) -> str:
    moved = [arg for key, base in web.base_urls.items() for arg in ("--base-url", f"{key}={base}")]
    return kexie("crawl", "--all", "--sites-dir", str(SAMPLE_SITES), *moved, "--redis", url, db=db).stdout


def finish(tmp: Path, *processes: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            code = process.wait(max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for other in processes:  # no process of a failed test outlives it
                other.kill()
                other.wait()
            code = -1
        logs = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in tmp.glob("*.log"))
        assert code == 0, f"{process.args[3]} exited {code}\n{logs}"


_QUERIES = {
    "articles": "SELECT site, canonical_url, title, published_at, date_source, author, text, content_hash"
                " FROM articles ORDER BY canonical_url",
    "urls": "SELECT u.canonical_url, u.kind, u.site, a.canonical_url FROM article_urls u"
            " JOIN articles a ON a.id = u.article_id ORDER BY u.canonical_url",
    "rejects": "SELECT site, canonical_url, reason FROM rejects ORDER BY canonical_url",
    "near": "SELECT a.canonical_url, o.canonical_url, round(n.similarity, 6) FROM near_duplicates n"
            " JOIN articles a ON a.id = n.article_id JOIN articles o ON o.id = n.original_id ORDER BY 1",
    "versions": "SELECT count(*) FROM versions",
}


def snapshot(db: Path) -> dict[str, list[Any]]:
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in _QUERIES.items()}


def run_counts(db: Path, after: int = 0) -> list[tuple[Any, ...]]:
    """Each site's run as the crawl_runs row tells it. Whether a page was stored or linked as a copy
    depends on which of two sites reached the archive first, so those two counts are left out."""
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT site, fetched, rejected, lost, complete, finish_reason, json(rejects_by_reason)"
                            " FROM crawl_runs WHERE id > ? ORDER BY site", [after]).fetchall()


def count_articles(db: Path) -> int:
    """Articles in the archive so far (0 while it is being created)."""
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def wait_for_articles(db: Path, articles: int, timeout: float = 90) -> None:
    """Until the archive holds this many articles (a crawl under way)."""
    deadline = time.monotonic() + timeout
    while count_articles(db) < articles:
        assert time.monotonic() < deadline, f"the archive never reached {articles} articles"
        time.sleep(0.05)
