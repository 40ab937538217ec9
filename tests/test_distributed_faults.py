"""The distributed crawl under real faults (issue 21), on a real redis-server with real processes:
an archiver on the wrong archive or one that cannot write, Redis restarted with and without its
data, dead workers and archiver in `kexie health --redis`, and sites shared fairly."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.db import Archive
from distributed.queue import RedisQueue
from tests.conftest import SAMPLE_SITES, kexie, sample_archive
from tests.redis_crawl import SITES, archiver, enqueue, finish, snapshot, start, wait_for_articles, worker
from tests.redis_process import restartable_redis
from tools.sampleweb.server import SampleWeb


def _archiver_once(tmp: Path, url: str, db: Path | None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KEXIE_DB"}
    args = [sys.executable, "-m", "cli", "archiver", "--redis", url, "--exit-when-done", "--lease", "3", "--batch", "7"]
    return subprocess.run([*args, *(["--db", str(db)] if db else [])], capture_output=True, text=True, timeout=120,
                          env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}, cwd=cwd or tmp)


def _page_messages(queue: RedisQueue) -> int:
    return sum(fields.get("type") == "page" for _, fields in queue.r.xrange(queue.pages))  # type: ignore[union-attr]


def _pages(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM pages").fetchone()[0])


def test_an_archiver_that_cannot_store_acknowledges_nothing(sample_web: SampleWeb, tmp_path: Path,
                                                           factory: pytest.TempPathFactory, redis_url: str) -> None:
    """Pages queued from one archive are refused by an archiver on another, and a page the archive
    cannot take stops the archiver: in both cases with one `error:` line, nothing stored and
    nothing acknowledged; the right archiver then stores everything."""
    local, dist, other = sample_archive(sample_web, factory), tmp_path / "dist.db", tmp_path / "other.db"
    enqueue(sample_web, redis_url, dist)
    finish(tmp_path, worker(tmp_path, redis_url, "w1"))  # everything waits in Redis for the archiver
    queue = RedisQueue(redis_url)
    sent, pages = queue.pages_left(), _page_messages(queue)
    assert pages > 50

    Archive(other).close()
    wrong = _archiver_once(tmp_path, redis_url, other)
    assert wrong.returncode == 2, wrong.stderr
    errors = [line for line in wrong.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(dist.resolve()) in errors[0] and str(other.resolve()) in errors[0], wrong.stderr
    assert _pages(other) == 0 and _pages(dist) == 0
    assert queue.pages_left() == sent and queue.r.xpending(queue.pages, "archiver")["pending"] > 0, "nothing acked"

    empty = tmp_path / "empty"
    empty.mkdir()
    nowhere = _archiver_once(tmp_path, redis_url, None, cwd=empty)  # no --db, no KEXIE_DB, no default archive
    assert nowhere.returncode == 2 and nowhere.stderr.startswith("error: there is no archive"), nowhere.stderr
    assert list(empty.iterdir()) == [], "the archiver created no archive"

    with sqlite3.connect(dist) as conn:  # a write the archive refuses, as a full disk would
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON pages BEGIN SELECT RAISE(ABORT, 'no room'); END")
    refused = _archiver_once(tmp_path, redis_url, dist)
    assert refused.returncode == 2, refused.stderr
    errors = [line for line in refused.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "no room" in errors[0], refused.stderr
    assert _pages(dist) == 0 and _page_messages(queue) == pages, "no page that could not be stored left Redis"

    with sqlite3.connect(dist) as conn:
        conn.execute("DROP TRIGGER refuse")
    finish(tmp_path, archiver(tmp_path, redis_url, dist))
    assert snapshot(dist) == snapshot(local)
    assert queue.pages_left() == 0




SLOW = ("-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")


def test_workers_and_archiver_ride_out_a_redis_restart(sample_web: SampleWeb, tmp_path: Path,
                                                      factory: pytest.TempPathFactory) -> None:
    """Redis stopped and started again (appendonly yes) in the middle of a two-worker crawl: the
    archive is a single-process crawl's, nothing doubled, every run finished, no flood of retakes
    in the pages stream, and every process exits 0."""
    local, dist = sample_archive(sample_web, factory), tmp_path / "dist.db"
    with sqlite3.connect(local) as conn:
        fetched = int(conn.execute("SELECT sum(fetched) FROM crawl_runs").fetchone()[0])
    with restartable_redis(tmp_path / "redis", appendonly=True) as server:
        enqueue(sample_web, server.url, dist)
        processes = [worker(tmp_path, server.url, "w1", *SLOW, lease="10"),
                     worker(tmp_path, server.url, "w2", *SLOW, lease="10"),
                     archiver(tmp_path, server.url, dist, "--batch", "5", lease="10")]
        wait_for_articles(dist, 6)
        server.stop()  # mid-crawl: workers fetching, pages in the stream, the archiver reading
        time.sleep(2)
        server.start()
        queue, longest, deadline = RedisQueue(server.url), 0, time.monotonic() + 150
        while any(p.poll() is None for p in processes) and time.monotonic() < deadline:
            longest = max(longest, queue.pages_left())
            time.sleep(0.1)
        finish(tmp_path, *processes, timeout=10)
        assert queue.jobs_left() == 0 and queue.pages_left() == 0
    assert snapshot(dist) == snapshot(local)
    with sqlite3.connect(dist) as conn:
        assert conn.execute("SELECT count(*) - count(DISTINCT url) FROM pages").fetchone()[0] == 0
        runs = conn.execute("SELECT count(*), sum(finish_reason = 'finished') FROM crawl_runs").fetchone()
    assert runs == (SITES, SITES), "every site's run ended"
    assert longest <= 3 * fetched, f"the pages stream grew to {longest} messages for {fetched} pages"
    logs = {log.stem: log.read_text(errors="replace") for log in tmp_path.glob("*.log")}
    rode = [name for name, text in logs.items() if "Redis cannot be reached" in text and "reached again" in text]
    assert rode, "the restart happened while the processes were using Redis"


def test_runs_whose_jobs_an_empty_redis_lost_are_queued_again(sample_web: SampleWeb, tmp_path: Path,
                                                              factory: pytest.TempPathFactory) -> None:
    """Redis restarted without its data: health names the runs whose jobs are gone, the next `kexie
    crawl --redis` ends them as lost and queues their sites again, and they complete."""
    local, dist = sample_archive(sample_web, factory), tmp_path / "dist.db"
    with restartable_redis(tmp_path / "redis", appendonly=False) as server:
        enqueue(sample_web, server.url, dist)
        server.stop()
        server.start()  # empty
        health = kexie("health", "--redis", server.url, "--sites-dir", str(SAMPLE_SITES), db=dist, check=False)
        assert health.returncode == 1 and health.stdout.count("Redis no longer has its job") == SITES, health.stdout
        again = enqueue(sample_web, server.url, dist)
        assert again.count("lost: Redis no longer has its job") == SITES and again.count("queued (run") == SITES, again
        finish(tmp_path, worker(tmp_path, server.url, "w1"), archiver(tmp_path, server.url, dist))
    with sqlite3.connect(dist) as conn:
        reasons = conn.execute("SELECT finish_reason, count(*), count(finished_at) FROM crawl_runs GROUP BY 1")
        assert sorted(reasons.fetchall()) == [("finished", SITES, SITES), ("lost", SITES, SITES)]
    assert snapshot(dist) == snapshot(local)


def test_health_tells_live_from_dead_and_running_from_killed(sample_web: SampleWeb, tmp_path: Path,
                                                             redis_url: str) -> None:
    """A worker and an archiver killed with kill -9 are shown dead by their heartbeat's age (their
    leases still run); a crawl running now is not "did not finish", a killed one is."""
    dist = tmp_path / "dist.db"
    enqueue(sample_web, redis_url, dist)
    w1, store = worker(tmp_path, redis_url, "w1", *SLOW, lease="8"), archiver(tmp_path, redis_url, dist, lease="8")
    wait_for_articles(dist, 3)
    running = kexie("health", "--redis", redis_url, "--sites-dir", str(SAMPLE_SITES), db=dist, check=False).stdout
    assert "did not finish" not in running and "queued or crawling" in running, running
    alive = running.split("workers alive", 1)[1].split("pages waiting", 1)[0]
    assert "w1" in alive and "last heartbeat" in alive and "workers dead" not in running, running
    for process in (w1, store):
        process.send_signal(signal.SIGKILL)
        process.wait()
    time.sleep(6.5)  # more than two heartbeats (8 s / 3 each), less than the lease plus a beat
    dead = kexie("health", "--redis", redis_url, "--sites-dir", str(SAMPLE_SITES), db=dist, check=False)
    gone = dead.stdout.split("workers dead", 1)[-1].split("pages waiting", 1)[0]
    assert dead.returncode == 1 and "w1" in gone and "last heartbeat" in gone, dead.stdout
    assert "archiver         not running (last heartbeat" in dead.stdout, dead.stdout
    assert "jobs held by workers that are gone (w1)" in dead.stdout, dead.stdout

    # a local crawl: running while it holds its site's lock, killed once the lock is gone
    local = tmp_path / "local.db"
    key = "cdkx"
    crawl = start(tmp_path / "crawl.log", "crawl", key, "--sites-dir", str(SAMPLE_SITES), "--base-url",
                  f"{key}={sample_web.base_urls[key]}", "-s", "DOWNLOAD_DELAY=1", "--db", str(local))
    deadline = time.monotonic() + 60
    while not (tmp_path / "locks" / f"{key}.lock").exists() or not _unfinished(local):
        assert time.monotonic() < deadline and crawl.poll() is None, "the crawl never began"
        time.sleep(0.1)
    line = _health_line(local, key)
    assert "crawling now" in line and "did not finish" not in line, line
    crawl.send_signal(signal.SIGKILL)
    crawl.wait()
    assert "did not finish (killed" in _health_line(local, key)


def _unfinished(db: Path) -> bool:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return bool(conn.execute("SELECT count(*) FROM crawl_runs WHERE finished_at IS NULL").fetchone()[0])
    except sqlite3.Error:
        return False


def _health_line(db: Path, key: str) -> str:
    out = kexie("health", "--sites-dir", str(SAMPLE_SITES), db=db, check=False).stdout
    return next(line for line in out.splitlines() if line.startswith(key))


def test_workers_started_together_share_the_sites(sample_web: SampleWeb, tmp_path: Path, redis_url: str) -> None:
    """The sample sites, two workers started at once with room for 50 sites each: each takes a site as it
    has room, so neither takes (nearly) all of them."""
    dist = tmp_path / "dist.db"
    enqueue(sample_web, redis_url, dist)
    # a lease longer than a loaded machine takes to start Scrapy: each worker's name is held (so the
    # other counts it as live) from the command's start until its heartbeat begins
    finish(tmp_path, worker(tmp_path, redis_url, "w1", *SLOW, lease="15"),
           worker(tmp_path, redis_url, "w2", *SLOW, lease="15"))
    queue = RedisQueue(redis_url)
    begun = [json.loads(fields["data"])["worker"] for _, fields in queue.r.xrange(queue.pages)  # type: ignore[union-attr]
             if fields.get("type") == "begin"]
    assert len(begun) == SITES and max(begun.count("w1"), begun.count("w2")) <= SITES - 2, begun


def test_workers_and_archiver_give_up_after_reconnect_and_lose_nothing(sample_web: SampleWeb, tmp_path: Path,
                                                                      factory: pytest.TempPathFactory) -> None:
    """Redis gone for longer than --reconnect: worker and archiver stop non-zero with an `error:`
    line; Redis back (with its data), a new worker and archiver store everything once."""
    local, dist = sample_archive(sample_web, factory), tmp_path / "dist.db"
    with restartable_redis(tmp_path / "redis", appendonly=True) as server:
        enqueue(sample_web, server.url, dist)
        first = [worker(tmp_path, server.url, "w1", *SLOW, "--reconnect", "1"),
                 archiver(tmp_path, server.url, dist, "--reconnect", "1")]
        wait_for_articles(dist, 4)
        server.stop()
        codes = [process.wait(120) for process in first]  # the worker drains what it has in flight first
        assert codes[0] == 1 and codes[1] == 2, codes
        assert "error: Redis failed" in (tmp_path / "archiver.log").read_text(), "the archiver says why"
        assert "error:" in (tmp_path / "w1.log").read_text(), "the worker says why"
        server.start()
        finish(tmp_path, worker(tmp_path, server.url, "w1", agent="w1-again"), archiver(tmp_path, server.url, dist))
    assert snapshot(dist) == snapshot(local)
    with sqlite3.connect(dist) as conn:
        assert conn.execute("SELECT count(*) - count(DISTINCT url) FROM pages").fetchone()[0] == 0
        runs = conn.execute("SELECT count(*), sum(finish_reason = 'finished') FROM crawl_runs").fetchone()
        assert runs == (SITES, SITES)
