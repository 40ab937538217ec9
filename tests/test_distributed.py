"""Distributed crawl on a real redis-server, with real worker and archiver processes (issue 15).

`kexie crawl --redis` queues the sample sites; `kexie worker`s fetch and extract them and send
the pages to Redis; `kexie archiver` stores them. What must hold: the archive is the one a
single-process crawl makes, no page is fetched twice, a site is never fetched by two workers
at once, and kill -9 of a worker or of the archiver loses and doubles nothing.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from itertools import pairwise
from pathlib import Path

import pytest

from distributed.queue import RedisQueue
from tests.conftest import SAMPLE_SITES, crawl_sample, free_port_base, kexie, sample_archive
from tests.redis_crawl import (
    SITES,
    archiver,
    count_articles,
    enqueue,
    finish,
    run_counts,
    snapshot,
    wait_for_articles,
    worker,
)
from tools.sampleweb.server import SampleWeb


def overlapping(web: SampleWeb, since: float) -> list[str]:
    """Sites two user agents (workers) fetched from in overlapping spans of time."""
    found = []
    for site, visits in web.visits.items():
        spans: dict[str, list[float]] = {}
        for when, agent, _ in visits:
            if when >= since and agent.startswith("kexie-"):
                span = spans.setdefault(agent, [when, when])
                span[0], span[1] = min(span[0], when), max(span[1], when)
        ordered = sorted(spans.items(), key=lambda item: item[1][0])
        found += [f"{site}: {a} {sa} and {b} {sb}" for (a, sa), (b, sb) in pairwise(ordered) if sb[0] <= sa[1]]
    return found


def test_two_workers_and_an_archiver_store_what_one_process_stores(sample_web: SampleWeb, tmp_path: Path,
                                                                  factory: pytest.TempPathFactory,
                                                                  redis_url: str) -> None:
    local, dist = sample_archive(sample_web, factory), tmp_path / "dist.db"
    since = time.monotonic()
    queued = enqueue(sample_web, redis_url, dist)
    assert queued.count("queued (run") == SITES, queued
    assert "already queued" in enqueue(sample_web, redis_url, dist), "a queued site is not queued twice"
    processes = [worker(tmp_path, redis_url, "w1", "--sites", "2"), worker(tmp_path, redis_url, "w2", "--sites", "2"),
                 archiver(tmp_path, redis_url, dist)]
    finish(tmp_path, *processes)

    assert snapshot(dist) == snapshot(local)
    assert run_counts(dist) == run_counts(local)
    with sqlite3.connect(dist) as conn:
        assert conn.execute("SELECT count(*) - count(DISTINCT url) FROM pages").fetchone()[0] == 0
        assert {w for (w,) in conn.execute("SELECT worker FROM crawl_runs")} == {"w1", "w2"}, "both workers crawled"
    fetched = [(site, path) for site, visits in sample_web.visits.items() for when, agent, path in visits
               if when >= since and agent.startswith("kexie-w") and not path.endswith("robots.txt")]
    assert len(fetched) == len(set(fetched)), "no page was fetched twice"
    assert overlapping(sample_web, since) == []
    status = RedisQueue(redis_url).status()
    assert (status["jobs_left"], status["pages_waiting"], status["active_sites"]) == (0, 0, 0), status

    due = kexie("crawl", "--due", "--sites-dir", str(SAMPLE_SITES), "--redis", redis_url, db=dist).stdout
    assert due.strip() == "nothing to queue: no site is due", due

    # a second round fetches only what is new, from the known URLs the archive gave through Redis
    last_local, last_dist = (len(run_counts(db)) for db in (local, dist))
    crawl_sample(sample_web, local)
    enqueue(sample_web, redis_url, dist)
    finish(tmp_path, worker(tmp_path, redis_url, "w1"), archiver(tmp_path, redis_url, dist))
    assert snapshot(dist) == snapshot(local)
    assert run_counts(dist, last_dist) == run_counts(local, last_local)
    with sqlite3.connect(dist) as conn:
        stored = conn.execute("SELECT sum(stored) FROM crawl_runs WHERE id > ?", [last_dist]).fetchone()[0]
    assert stored == 0, "nothing was stored again"




def _wait_reading(redis_url: str) -> None:
    """Until the archiver holds messages it read and has not acknowledged: it is inside a batch."""
    queue, deadline = RedisQueue(redis_url), time.monotonic() + 30
    while not queue.r.xpending(queue.pages, "archiver")["pending"]:
        assert time.monotonic() < deadline, "the archiver never held a batch"
        time.sleep(0.002)


def test_killed_or_stopped_workers_and_archiver_lose_and_double_nothing(tmp_path: Path, redis_url: str) -> None:
    with SampleWeb(port_base=free_port_base()) as web:
        local, dist = tmp_path / "local.db", tmp_path / "dist.db"
        crawl_sample(web, local)
        expected = snapshot(local)
        since = time.monotonic()
        enqueue(web, redis_url, dist)
        slow = ("--sites", "2", "-s", "DOWNLOAD_DELAY=0.15", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        w1, w2 = worker(tmp_path, redis_url, "w1", *slow), worker(tmp_path, redis_url, "w2", *slow)
        store = archiver(tmp_path, redis_url, dist, "--batch", "3")
        wait_for_articles(dist, 6)  # articles
        w1.send_signal(signal.SIGKILL)  # mid-crawl: its sites' jobs stay pending in Redis
        w1.wait()
        wait_for_articles(dist, count_articles(dist) + 4)
        _wait_reading(redis_url)
        store.send_signal(signal.SIGKILL)  # mid-batch: messages read and not yet acknowledged
        store.wait()
        w2.send_signal(signal.SIGTERM)  # a graceful stop: what it fetched is sent, its unfinished jobs stay queued
        assert w2.wait(60) == 1, "an interrupted worker says so"
        again = [worker(tmp_path, redis_url, "w1", *slow, agent="w1-restarted"),
                 worker(tmp_path, redis_url, "w3", *slow), archiver(tmp_path, redis_url, dist, "--batch", "3")]
        finish(tmp_path, *again)

        assert snapshot(dist) == expected
        assert overlapping(web, since) == [], "a site was fetched by two workers at once"
        with sqlite3.connect(dist) as conn:
            runs = conn.execute("SELECT count(*), sum(finish_reason = 'finished'), sum(complete) FROM crawl_runs")
            assert runs.fetchone() == (SITES, SITES, SITES), "every site's run ended, complete"
        status = RedisQueue(redis_url).status()
        assert (status["jobs_left"], status["pages_waiting"], status["active_sites"]) == (0, 0, 0), status


def test_workers_wait_while_the_archiver_is_down(sample_web: SampleWeb, tmp_path: Path,
                                                 factory: pytest.TempPathFactory, redis_url: str) -> None:
    """With no archiver, pages pile up in Redis only up to KEXIE_REDIS_MAX_WAITING: the worker takes
    no new site until the archiver catches up, and then everything is stored."""
    local, dist = sample_archive(sample_web, factory), tmp_path / "dist.db"
    enqueue(sample_web, redis_url, dist)
    queue = RedisQueue(redis_url)
    busy = worker(tmp_path, redis_url, "w1", "--sites", "1", "-s", "KEXIE_REDIS_MAX_WAITING=1")
    deadline = time.monotonic() + 60
    while queue.jobs_left() == SITES or queue.status()["jobs_taken"]:  # the first site crawled and sent
        assert time.monotonic() < deadline, "the worker never finished its first site"
        time.sleep(0.1)
    time.sleep(3)
    assert busy.poll() is None and queue.jobs_left() == SITES - 1, "no second site while pages wait"
    health = kexie("health", "--redis", redis_url, "--sites-dir", str(SAMPLE_SITES), db=dist, check=False)
    assert health.returncode == 1 and "archiver, which is not running" in health.stdout, health.stdout
    finish(tmp_path, busy, archiver(tmp_path, redis_url, dist))
    assert snapshot(dist) == snapshot(local)


def test_archiver_skips_what_it_committed_before_a_crash(sample_web: SampleWeb, tmp_path: Path,
                                                         factory: pytest.TempPathFactory, redis_url: str) -> None:
    """Killed between its commit and its acknowledgement, the archiver gets the same messages again:
    the stream position committed with the batch makes it skip them."""
    from archive.db import Archive
    from distributed.archiver import Archiver

    local, dist = sample_archive(sample_web, factory), tmp_path / "dist.db"
    enqueue(sample_web, redis_url, dist)
    health = kexie("health", "--redis", redis_url, "--sites-dir", str(SAMPLE_SITES), db=dist, check=False)
    assert health.returncode == 1 and "no worker is alive" in health.stdout, health.stdout
    finish(tmp_path, worker(tmp_path, redis_url, "w1"))  # everything waits in Redis for the archiver

    queue = RedisQueue(redis_url)
    sent = queue.pages_left()
    archive = Archive(dist)
    first = queue.read_pages("archiver", 20, 0, pending=False)
    assert len(first) == 20
    Archiver(queue, archive).commit(first)  # committed; the crash comes before the acknowledgement
    archive.close()
    archive = Archive(dist)
    restarted = Archiver(queue, archive)
    assert restarted.run(exit_when_done=True, block_ms=100) == 0
    archive.close()
    assert snapshot(dist) == snapshot(local)
    with sqlite3.connect(dist) as conn:
        assert conn.execute("SELECT count(*) - count(DISTINCT url) FROM pages").fetchone()[0] == 0
    assert restarted.applied == sent - 20, "the 20 committed messages were skipped, the rest applied once"
    assert queue.status()["pages_waiting"] == 0


def test_a_page_crosses_redis_unchanged() -> None:
    """Everything the store reads of a page survives the trip through JSON, sketch included."""
    from dataclasses import asdict

    from distributed.wire import decode_page, encode_page
    from extract.page import Page
    from extract.process import process

    html = ("<html><head><title>市科协召开年度工作会议</title></head><body><h1>市科协召开年度工作会议</h1>"
            "<p>发布日期：2023年12月5日</p>" + "".join(f"<p>会议总结了第{i}项科普工作的成绩，部署了明年第{i + 1}项重点"
                                              f"任务，共有{i * 37}名科技工作者参加。</p>" for i in range(12))
            + "</body></html>").encode("gb18030")
    page = process(Page(url="http://kx.example/a/1.htm", body=html, site="kx", run_id=7, boilerplate=("^x$",)))
    assert page.sketch is not None and page.text
    back = decode_page(encode_page(page))
    assert back.body == page.body
    assert (back.sketch.signature == page.sketch.signature).all()  # type: ignore[union-attr]
    assert (back.sketch.shingles == page.sketch.shingles).all()  # type: ignore[union-attr]
    assert back.sketch.keys == page.sketch.keys  # type: ignore[union-attr]
    mine = {k: v for k, v in asdict(page).items() if k not in ("sketch", "metadata")}
    theirs = {k: v for k, v in asdict(back).items() if k not in ("sketch", "metadata")}
    assert theirs == mine


def test_one_process_per_worker_name_one_archiver_and_a_clear_error_without_redis(tmp_path: Path,
                                                                                 redis_url: str) -> None:
    from archive.db import Archive
    from distributed.remotesites import take_worker_name

    held = RedisQueue(redis_url, lease=60)
    assert take_worker_name(held, "w1") is not None
    second = kexie("worker", "--redis", redis_url, "--name", "w1", "--lease", "1", check=False)
    assert second.returncode == 2 and "another worker named 'w1' is running" in second.stderr, second.stderr
    assert held.hold("archiver", "an archiver elsewhere")
    Archive(tmp_path / "a.db").close()
    other = kexie("archiver", "--redis", redis_url, "--lease", "1", db=tmp_path / "a.db", check=False)
    assert other.returncode == 2 and "another archiver (an archiver elsewhere) is running" in other.stderr
    for command in (["worker"], ["archiver"], ["crawl", "--all", "--sites-dir", str(SAMPLE_SITES)]):
        down = kexie(*command, "--redis", "redis://127.0.0.1:1/0", db=tmp_path / "a.db", check=False)
        assert down.returncode == 2 and down.stderr.startswith("error: cannot use Redis at redis://127.0.0.1:1/0")
        assert "Traceback" not in down.stderr
