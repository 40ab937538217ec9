"""A crawl never loses what it found (issue 12): kills, failed list pages, concurrent writers,
a full disk, another working directory, overlapping scheduled runs.

Every test crawls generated backlog sites (tests/faultweb.py) served on 127.0.0.1, with real
`python -m cli` processes writing a real SQLite file. Each subprocess has a timeout, so a hang
fails the test instead of blocking the suite.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.scheduling import survivors

from .conftest import LOCAL, ROOT, kexie
from .faultweb import FaultWeb, write_site, write_site_file

TIMEOUT = 120  # seconds a crawl process may take before the test calls it hung
ARTICLE = re.compile(r"/news/\d+\.html")


@dataclass
class Backlog:
    """One generated site: its server, its key and the folder holding its site file."""

    key: str
    web: FaultWeb
    sites: Path
    articles: list[str]

    def args(self, *extra: str) -> list[str]:
        """`kexie crawl KEY` arguments for this site at local speed."""
        return ["crawl", self.key, "--sites-dir", str(self.sites), *LOCAL, *extra]

    def article_hits(self, since: int = 0) -> list[str]:
        return [p for p in self.web.hits[since:] if ARTICLE.fullmatch(p)]


@pytest.fixture
def backlog(tmp_path: Path) -> Iterator[Callable[..., Backlog]]:
    """Factory of served backlog sites; every server is stopped at teardown, even on failure."""
    servers: list[FaultWeb] = []

    def make(key: str, n: int, *, delay: float = 0.0, seed: int = 1, long: bool = False,
             disallow: tuple[str, ...] = (), interval_hours: float = 0) -> Backlog:
        root = tmp_path / "web" / key
        articles = write_site(root, n, seed=seed, long=long, disallow=disallow)
        web = FaultWeb(root, delay=delay).start()
        servers.append(web)
        write_site_file(tmp_path / "sites", key, web.base_url, interval_hours)
        return Backlog(key, web, tmp_path / "sites", articles)

    yield make
    for web in servers:
        web.stop()


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[str]]]:
    """Crawl processes started by a test; any still alive at teardown is killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def launch(procs: list[subprocess.Popen[str]], args: Sequence[str], db: Path | None, cwd: Path = ROOT,
           env: dict[str, str] | None = None, preexec_fn: Callable[[], None] | None = None) -> subprocess.Popen[str]:
    """`python -m cli ARGS` in the background, with KEXIE_DB=db (as cron would run it)."""
    env = {**(env if env is not None else os.environ), "PYTHONUNBUFFERED": "1"}
    if db is not None:
        env["KEXIE_DB"] = str(db)
    proc = subprocess.Popen([sys.executable, "-m", "cli", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=preexec_fn)
    procs.append(proc)
    return proc


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr); a process still running after TIMEOUT fails the test."""
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"crawl hung for {TIMEOUT} s:\n{out[-3000:]}\n{err[-3000:]}") from None
    return proc.returncode, out, err


def rows(db: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db, timeout=30)) as conn:
        return conn.execute(sql, params).fetchall()


def count_now(db: Path, sql: str = "SELECT count(*) FROM articles") -> int | None:
    """A count read while a crawl writes: None when the file or table is not there yet, or locked."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return None


def archived(db: Path, site: str | None = None) -> set[tuple[Any, ...]]:
    """What two archives must agree on: every article's URL, title, date and text hash."""
    where, params = ("WHERE site = ?", [site]) if site else ("", [])
    return set(rows(db, f"SELECT url, title, published_at, content_hash FROM articles {where}", params))


def runs(db: Path, site: str) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(db, timeout=30)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM crawl_runs WHERE site = ? ORDER BY id", [site])]


def test_killed_first_crawl_resumes_to_the_whole_backlog(backlog: Callable[..., Backlog], procs: list[Any],
                                                         tmp_path: Path) -> None:
    """kill -9 half-way through a first crawl, rerun: the archive must end as if never killed.

    The rerun finds list page 1 all known; stopping pagination there (the incremental rule) would
    drop every article the killed run had not reached."""
    site = backlog("big", 250, delay=0.05)
    args = site.args("-s", "KEXIE_BATCH_SIZE=5")
    whole, killed = tmp_path / "whole" / "a.db", tmp_path / "killed" / "a.db"
    kexie(*args, db=whole, timeout=TIMEOUT)
    assert len(archived(whole)) == 250, "the uninterrupted crawl must archive the whole fixture site"

    victim = launch(procs, args, killed)
    deadline = time.monotonic() + TIMEOUT
    while (count_now(killed) or 0) < 40 and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert not survivors(f"KEXIE_DB={killed}"), "worker processes outlived the killed crawl"
    partial = len(archived(killed))
    assert 40 <= partial < 250, f"the kill came at {partial} articles, outside what this test needs"

    kexie(*args, db=killed, timeout=TIMEOUT)
    assert archived(killed) == archived(whole), f"after the rerun: {len(archived(killed))} of 250 articles"

    mark = len(site.web.hits)
    kexie(*args, db=killed, timeout=TIMEOUT)
    assert site.article_hits(mark) == [], "a third run fetched archived articles again"
    assert len(archived(killed)) == 250
    assert runs(killed, site.key)[-1]["stored"] == 0


def test_failed_list_page_is_remembered_and_crawled_next_run(backlog: Callable[..., Backlog],
                                                             tmp_path: Path) -> None:
    """A list page that answers 503 all through run 1 is a routine failure (exit 0), but the archive
    must remember it so the next plain run fetches the backlog behind it."""
    site = backlog("flaky", 75)
    db = tmp_path / "a.db"
    site.web.fail("/news/index_2.html", 1000)
    first = kexie(*site.args(), db=db, check=False, timeout=TIMEOUT)
    assert site.web.hits.count("/news/index_2.html") >= 1, "the fault was never exercised"
    assert first.returncode == 0, f"a failed list page is no loss:\n{first.stdout}\n{first.stderr[-3000:]}"
    assert len(archived(db)) == 25

    frontier = rows(db, "SELECT kind, state, attempts, reason FROM frontier WHERE site = ? AND url LIKE ?",
                    [site.key, "%/news/index_2.html"])
    assert len(frontier) == 1, f"frontier rows for list page 2: {frontier}"
    kind, state, attempts, reason = frontier[0]
    assert kind == "list" and state in ("pending", "failed"), frontier
    assert attempts >= 1 and re.search(r"503|unavailable", reason or "", re.I), frontier
    assert rows(db, "SELECT backfill_completed_at FROM sites WHERE key = ?", [site.key]) == [(None,)]
    run1 = runs(db, site.key)[-1]
    assert (run1["complete"], run1["lost"]) == (0, 0), run1

    site.web.heal()
    kexie(*site.args(), db=db, timeout=TIMEOUT)
    assert {urlsplit(url).path for url, *_ in archived(db)} == set(site.articles)
    assert rows(db, "SELECT backfill_completed_at IS NOT NULL FROM sites WHERE key = ?", [site.key]) == [(1,)]
    assert rows(db, "SELECT url, state FROM frontier WHERE site = ?", [site.key]) == [], "run 2 left work behind"
    run2 = runs(db, site.key)[-1]
    assert (run2["complete"], run2["lost"]) == (1, 0), run2


@pytest.mark.parametrize("batch", [[], ["-s", "KEXIE_BATCH_SIZE=1"]], ids=["default-batch", "batch-1"])
def test_concurrent_crawls_of_one_archive_lose_nothing(backlog: Callable[..., Backlog], procs: list[Any],
                                                       tmp_path: Path, batch: list[str]) -> None:
    """Four `kexie crawl KEY` processes writing one archive at once (two cron jobs, a manual run):
    none may fail on a locked database or drop a batch."""
    sites = [backlog(f"site{i}", 30, delay=0.02, seed=10 + i) for i in range(4)]
    db = tmp_path / "a.db"
    started = [launch(procs, s.args(*batch), db) for s in sites]
    results = [finish(p) for p in started]
    assert [code for code, _, _ in results] == [0] * 4, [err[-3000:] for _, _, err in results]
    assert len(archived(db)) == 120
    for s in sites:
        assert len(archived(db, s.key)) == 30, s.key
        assert [(r["stored"], r["finish_reason"]) for r in runs(db, s.key)] == [(30, "finished")], s.key


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[bool]:
    """Mount a tmpfs of `size` on `where` (we run as root); yields False where mounting is refused."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True).returncode == 0
    try:
        yield mounted
    finally:
        if mounted and subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)  # still busy: detach


def _two_megabyte_files() -> None:
    """Run in the crawl process when no tmpfs: a file may not grow past 2 MB (writes fail with EFBIG)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (2 << 20, 2 << 20))


def test_full_disk_fails_loudly_and_counts_honestly(backlog: Callable[..., Backlog], procs: list[Any],
                                                    tmp_path: Path) -> None:
    """The archive's disk fills up half-way: the crawl must say so and exit non-zero, and no count it
    prints or records may exceed what the file really holds (stats counted before a failed commit)."""
    site = backlog("fill", 250, long=True)
    with tmpfs(tmp_path / "small", "2m") as mounted:
        db = tmp_path / "small" / "a.db"
        code, out, err = finish(launch(procs, site.args("-s", "KEXIE_BATCH_SIZE=5"), db,
                                       preexec_fn=None if mounted else _two_megabyte_files))
        copy = tmp_path / "copy"
        copy.mkdir()
        for part in (db, db.with_name("a.db-wal")):  # the database and its WAL, read off the full disk
            if part.exists():
                shutil.copy(part, copy / part.name)
    db = copy / "a.db"
    actual = len(archived(db, site.key))
    assert actual < 250, "the fixture did not fill the disk"
    assert code != 0, f"a crawl that could not store its articles exited 0:\n{out}\n{err[-3000:]}"
    # SQLite says "database or disk is full" on a full disk, "disk I/O error" on a file over RLIMIT_FSIZE
    problem = re.compile(r"\bfull\b" if mounted else r"\bfull\b|disk I/O error|too large", re.I)
    raw_exception = re.compile(r"\s|[\w.]+(Error|Exception):")  # a traceback's lines
    named = [ln for ln in (out + "\n" + err).splitlines() if problem.search(ln) and not raw_exception.match(ln)]
    assert named, f"no line names the full disk (outside tracebacks):\n{out}\n{err[-3000:]}"
    printed = re.search(rf"^{site.key}\s+(\d+)\s+(\d+)", out, re.M)
    assert printed is None or int(printed[2]) <= actual, f"summary claims {printed and printed[2]}, file holds {actual}"
    for run in runs(db, site.key):
        assert (run["stored"] or 0) <= actual, f"crawl_runs claims {run['stored']} stored, file holds {actual}: {run}"
        assert run["complete"] != 1, run
        if run["finished_at"]:
            assert (run["lost"] or 0) >= 1, f"a finished row of a run that lost items says lost=0: {run}"


def test_crawl_from_another_directory(backlog: Callable[..., Backlog], procs: list[Any], tmp_path: Path) -> None:
    """cron runs `kexie crawl` from anywhere: settings (robots.txt, pipelines) must not depend on
    finding scrapy.cfg in the working directory, and nothing may be written there."""
    site = backlog("away", 30, disallow=("/news/2.html",))
    home, away = tmp_path / "home" / "a.db", tmp_path / "away" / "a.db"
    kexie(*site.args(), "--db", str(home), timeout=TIMEOUT)
    assert "/news/2.html" not in site.web.hits, "robots.txt ignored from the project root"
    mark = len(site.web.hits)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "KEXIE_DB" and not k.startswith("SCRAPY_")}
    code, out, err = finish(launch(procs, [*site.args(), "--db", str(away)], None, cwd=elsewhere, env=env))
    assert code == 0, f"{out}\n{err[-3000:]}"
    assert "/news/2.html" not in site.web.hits[mark:], "robots.txt ignored when run from another directory"
    assert len(archived(home)) == 29 and archived(away) == archived(home), f"{len(archived(away))} articles"
    assert not any(u.endswith("/news/2.html") for (u,) in rows(away, "SELECT url FROM pages"))
    assert sorted(p.name for p in elsewhere.iterdir()) == [], "the crawl wrote into its working directory"


def test_overlapping_due_runs_share_the_sites(backlog: Callable[..., Backlog], procs: list[Any],
                                              tmp_path: Path) -> None:
    """Two `--due` runs a second apart with KEXIE_ACTIVE_SITES=1: a site is locked only while it is
    crawled, so the second run takes the sites the first has not reached; none is crawled twice."""
    # robots.txt, the list page, then its articles: three slow round trips make a site last ~3 s, so
    # the first run is still busy when the second has started (the user agent tells them apart);
    # interval_hours = 1 so a site the other run has just finished is no longer due
    sites = [backlog(f"due{i}", 10, delay=0.8, seed=20 + i, interval_hours=1) for i in range(4)]
    db = tmp_path / "a.db"
    base = ["crawl", "--due", "--sites-dir", str(sites[0].sites), *LOCAL, "-s", "KEXIE_ACTIVE_SITES=1"]
    first = launch(procs, [*base, "-s", "USER_AGENT=kexie-test-A"], db)
    time.sleep(1.0)
    second = launch(procs, [*base, "-s", "USER_AGENT=kexie-test-B"], db)
    results = [finish(first), finish(second)]
    assert [code for code, _, _ in results] == [0, 0], [err[-3000:] for _, _, err in results]
    per_site = dict(rows(db, "SELECT site, count(*) FROM crawl_runs GROUP BY site"))
    assert per_site == {s.key: 1 for s in sites}, f"crawl_runs per site: {per_site}"
    crawled_by = {s.key: {agent for path, agent in s.web.visits if ARTICLE.fullmatch(path)} for s in sites}
    assert all(len(agents) == 1 for agents in crawled_by.values()), crawled_by
    assert set().union(*crawled_by.values()) == {"kexie-test-A", "kexie-test-B"}, f"who crawled what: {crawled_by}"


def test_read_only_archive_fails_with_one_line(backlog: Callable[..., Backlog], procs: list[Any],
                                               tmp_path: Path) -> None:
    """An archive that cannot be written (a read-only mount; root ignores chmod) must stop the crawl
    with a non-zero exit and a short error, not a traceback."""
    site = backlog("ro", 5)
    where = tmp_path / "ro"
    with tmpfs(where, "16m") as mounted:
        if not mounted:
            pytest.skip("cannot mount a tmpfs here (root ignores chmod, so no read-only file without one)")
        kexie(*site.args(), db=where / "a.db", timeout=TIMEOUT)
        assert subprocess.run(["mount", "-o", "remount,ro", str(where)], capture_output=True).returncode == 0
        code, out, err = finish(launch(procs, site.args("--full"), where / "a.db"))
    assert code != 0, f"a crawl that could write nothing exited 0:\n{out}\n{err[-3000:]}"
    assert "Traceback" not in out + err, err[-3000:]
    assert re.search(r"error", err, re.I), f"no error line:\n{out}\n{err}"


def test_stopped_crawl_says_so_and_keeps_what_it_fetched(backlog: Callable[..., Backlog], procs: list[Any],
                                                         tmp_path: Path) -> None:
    """SIGTERM (systemd stopping a unit, a timeout) stops the crawl gracefully: what was fetched is
    written, the run is recorded as interrupted, the exit code is 1 so cron mails it, and the next
    run finishes the backlog."""
    site = backlog("stop", 200, delay=0.05)
    db = tmp_path / "a.db"
    victim = launch(procs, site.args(), db)
    deadline = time.monotonic() + TIMEOUT
    while (count_now(db) or 0) < 30 and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    victim.send_signal(signal.SIGTERM)
    code, out, err = finish(victim)
    assert code == 1 and "did not finish (shutdown)" in err, f"{out}\n{err[-3000:]}"
    stored = len(archived(db))
    assert 30 <= stored < 200, f"the stop came at {stored} articles, outside what this test needs"
    run = runs(db, site.key)[-1]
    assert (run["finish_reason"], run["complete"], run["stored"]) == ("shutdown", 0, stored), run
    assert re.search(rf"^{site.key}\s+{stored}\s+{stored}\b", out, re.M), out
    kexie(*site.args(), db=db, timeout=TIMEOUT)
    assert {urlsplit(url).path for url, *_ in archived(db)} == set(site.articles)


@pytest.mark.parametrize("fault", ["down", "503"])
def test_dead_site_answered_from_the_http_cache_is_flagged_after_one_run(backlog: Callable[..., Backlog],
                                                                         tmp_path: Path, fault: str) -> None:
    """A site whose server is down (or answers 503) while its list page sits in the HTTP cache: the
    cache's error recovery hands the crawl the stored copy. The run must still count the failure,
    keep the list page in the frontier, and `kexie health` must flag the site after this one run."""
    site = backlog("cached", 30)
    db = tmp_path / "a.db"
    kexie(*site.args(), db=db, timeout=TIMEOUT)
    assert any((tmp_path / "httpcache").rglob("*")), "the first crawl cached nothing: the fixture needs a cache"
    health_args = ("health", "--sites-dir", str(site.sites))
    assert kexie(*health_args, db=db, check=False).returncode == 0
    if fault == "down":
        site.web.stop()
    else:
        site.web.fail("/news/index.html", 1000)
    second = kexie(*site.args(), db=db, check=False, timeout=TIMEOUT)
    assert "Traceback" not in second.stderr, second.stderr[-3000:]
    last = runs(db, site.key)[-1]
    assert last["errors"] >= 1 and last["complete"] == 0, last
    assert re.search(rf"^{site.key}\s+0\s+0\s+0\s+0\s+0\s+[1-9]", second.stdout, re.M), second.stdout
    warned = [ln for ln in second.stderr.splitlines() if "/news/index.html failed" in ln]
    assert len(warned) == 1 and "HTTP cache" in warned[0], second.stderr[-3000:]
    assert rows(db, "SELECT kind, state FROM frontier WHERE url LIKE '%/news/index.html'") == [("list", "failed")]
    health = kexie(*health_args, db=db, check=False)
    assert health.returncode == 1, health.stdout
    flagged = [ln for ln in health.stdout.splitlines() if ln.startswith(site.key)]
    assert len(flagged) == 1 and "failed" in flagged[0], health.stdout


def _stderr_lines(proc: subprocess.Popen[str]) -> list[tuple[float, str]]:
    """(monotonic time, line) of the process's stderr as it comes, read by a thread."""
    import threading

    lines: list[tuple[float, str]] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append((time.monotonic(), line))
    threading.Thread(target=read, daemon=True).start()
    return lines


@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_stops_in_seconds_and_the_next_run_stores_everything_once(
        backlog: Callable[..., Backlog], procs: list[Any], tmp_path: Path, presses: int) -> None:
    """Ctrl-C during a polite crawl (one request a second, 16 waiting in the downloader; Scrapy's own
    graceful stop sent them all, 15 s and more): one line at once, the crawl gone within 10 s (after
    a second Ctrl-C: at once), the requests not yet sent parked in the frontier; the next run's
    archive equals an uninterrupted crawl's, nothing stored twice."""
    site = backlog("ctrlc", 60)
    whole, db = tmp_path / "whole" / "a.db", tmp_path / "a.db"
    kexie(*site.args(), db=whole, timeout=TIMEOUT)
    polite = ["crawl", site.key, "--sites-dir", str(site.sites), "-s", "DOWNLOAD_DELAY=1",
              "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "KEXIE_BATCH_SECONDS=0.2"]
    site.web.delay = 1.0  # each answer takes 1 s: a second Ctrl-C comes while pages are in flight
    victim = launch(procs, polite, db)
    err = _stderr_lines(victim)
    deadline = time.monotonic() + TIMEOUT
    while (count_now(db) or 0) < 2 and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert victim.poll() is None, "the crawl ended before the test could interrupt it"
    pressed = time.monotonic()
    victim.send_signal(signal.SIGINT)
    second = False  # a second Ctrl-C that found the crawl still stopping (it may be over in 0.3 s)
    if presses == 2:
        time.sleep(0.3)
        second = victim.poll() is None and not any(" 0 pages in flight" in line for _, line in err)
        victim.send_signal(signal.SIGINT)
    try:
        code = victim.wait(timeout=10 if presses == 1 else 3)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running {time.monotonic() - pressed:.0f} s after Ctrl-C x{presses}:\n"
                             + "".join(line for _, line in err)) from None
    out = victim.stdout.read() if victim.stdout else ""
    time.sleep(0.2)  # the reader thread's last lines
    said = [(at, line) for at, line in err if line.startswith("stopping: ")]
    assert len(said) == 1 and said[0][0] - pressed < 1.5, "".join(line for _, line in err)
    assert re.fullmatch(r"stopping: \d+ pages in flight are finished, the rest stays in the frontier; Ctrl-C again"
                        r" to stop now\n", said[0][1]), said
    assert code == 1 and "did not finish (shutdown)" in "".join(line for _, line in err), (code, out, err)
    stopped_now = any(line.startswith("stopping now: ") for _, line in err)
    assert stopped_now if second else (presses == 2 or not stopped_now), err
    stored = len(archived(db))
    assert 2 <= stored < 60, f"the stop came at {stored} articles, outside what this test needs"
    parked = rows(db, "SELECT count(*) FROM frontier WHERE kind = 'article' AND state = 'pending'")[0][0]
    assert parked >= 1, "no request not yet sent was parked in the frontier"
    assert not survivors(f"KEXIE_DB={db}"), "worker processes outlived the stopped crawl"
    run = runs(db, site.key)[-1]
    assert (run["finish_reason"], run["complete"], run["stored"]) == ("shutdown", 0, stored), run

    site.web.delay = 0.0
    kexie(*site.args(), db=db, timeout=TIMEOUT)
    assert archived(db) == archived(whole), f"after the rerun: {len(archived(db))} of 60 articles"
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(60, 60)]
    assert rows(db, "SELECT count(*) FROM pages") == rows(whole, "SELECT count(*) FROM pages"), "a page stored twice"
    assert rows(db, "SELECT url, state FROM frontier") == [], "the rerun left work behind"
