"""What an operator meets (issue 25): one error style, reading commands that never create an archive,
filter values that must exist, health of the archive's own sites, and a crawl that shows it is alive.

Real `kexie` processes (or the click group in-process, same exit codes and output) on real SQLite files
and the sample web on 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import pytest

from tools.sampleweb.server import SampleWeb

from .conftest import ELSEWHERE, SAMPLE_SITES, free_port_base, kexie, sample_archive

READING = [("search", "科"), ("export",), ("export", "--format", "warc", "-o", "{dir}/x.warc.gz"), ("report",),
           ("serve", "--port", "0"), ("health",), ("sites",), ("index",), ("reextract", "--dry-run"),
           ("crawl", "--due", "--dry-run"), ("duplicates",), ("sql", "SELECT 1")]


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_reading_commands_on_a_missing_archive_exit_2_with_one_line_and_create_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "here"
    folder.mkdir()
    typo = folder / "typo.db"
    wrong = {}
    for command in READING:
        args = [arg.format(dir=folder) for arg in command]
        result = kexie(*args, "--db", str(typo), check=False)
        lines = error_lines(result)
        created = sorted(p.name for p in folder.iterdir())
        if result.returncode != 2 or len(lines) != 1 or not lines[0].startswith(f"error: no archive at {typo}") \
                or created:
            wrong[" ".join(args)] = (result.returncode, result.stderr[-300:], created)
        shutil.rmtree(folder)  # each command judged alone
        folder.mkdir()
    assert wrong == {}


@pytest.fixture(scope="module")
def archive(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_archive(sample_web, tmp_path_factory, "operators.db")


def test_unknown_filter_values_are_bad_input_naming_the_valid_ones(archive: Path) -> None:
    keys = [r[0] for r in sqlite3.connect(archive).execute("SELECT key FROM sites ORDER BY key")]
    region = sqlite3.connect(archive).execute("SELECT region FROM sites WHERE region != '' LIMIT 1").fetchone()[0]
    cases = {("search", "科", "--site", "no-such-site"): ["no-such-site", *keys],
             ("export", "--site", "no-such-site"): ["no-such-site", *keys],
             ("duplicates", "--site", "no-such-site"): ["no-such-site", *keys],
             ("search", "科", "--level", "town"): ["town", "national", "provincial", "city", "county"],
             ("export", "--level", "town"): ["town", "county"],
             ("search", "科", "--region", "火星"): ["火星", region],
             ("search", "科", "--page", "99"): ["--page 99", "last page"]}
    for args, needles in cases.items():
        result = kexie(*args, db=archive, check=False)
        lines = error_lines(result)
        assert result.returncode == 2 and result.stdout == "" and len(lines) == 1, (args, result.returncode, lines)
        assert lines[0].startswith("error: ") and all(n in lines[0] for n in needles), (args, lines[0])
    # a value the archive holds still answers
    assert kexie("search", "科", "--site", keys[0], "--region", region[:2], db=archive).returncode == 0


def test_usage_errors_and_a_missing_index_are_one_error_line_exit_2(tmp_path: Path, archive: Path) -> None:
    for args in (("search",), ("search", "科", "--sort", "best"), ("export", "--format", "xml")):
        result = kexie(*args, db=archive, check=False)
        assert result.returncode == 2 and [ln[:7] for ln in error_lines(result)] == ["error: "], (args, result.stderr)
    bare = tmp_path / "bare.db"
    sqlite3.connect(bare).execute("CREATE TABLE articles (id INTEGER)").connection.close()
    result = kexie("search", "科", db=bare, check=False)
    assert result.returncode == 2 and error_lines(result) == [
        "error: this archive has no search index yet: run `kexie index` once"], result.stderr


def test_health_judges_the_sites_the_fresh_demo_archive_holds(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    for _ in range(3):  # the free ports found may be taken by another process before the demo binds them
        demo = kexie("demo", "--port-base", str(free_port_base()), "--db", str(db), check=False)
        if "cannot serve the sample web" not in demo.stderr:
            break
    assert demo.returncode == 0, demo.stderr[-2000:]
    held = {r[0] for r in sqlite3.connect(db).execute("SELECT key FROM sites")}
    health = kexie("health", db=db, check=False)
    assert health.returncode == 0, health.stdout + health.stderr
    judged = {line.split()[0] for line in health.stdout.splitlines() if " runs " in line}
    assert judged == held, health.stdout
    apart = health.stdout.split("never crawled", 1)[1].split()
    strict = kexie("health", "--strict", db=db, check=False)
    never = [line.split()[0] for line in strict.stdout.splitlines() if line.endswith("never crawled")]
    assert strict.returncode == 1 and never and set(never) <= set(apart) and not set(never) & held, strict.stdout


def _crawl(web: SampleWeb, db: Path, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    """A crawl of the sample web, slowed so it lasts, its output going to a file as from cron."""
    moved = [arg for key, url in web.base_urls.items() for arg in ("--base-url", f"{key}={url}")]
    env = {**os.environ, "KEXIE_DB": str(db), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "cli", "crawl", "--all", "--sites-dir", str(SAMPLE_SITES),
                                 *moved, "-s", "DOWNLOAD_DELAY=0.25", "-s", "AUTOTHROTTLE_ENABLED=False",
                                 "-s", "KEXIE_BATCH_SIZE=1", *extra], stdout=out, stderr=subprocess.STDOUT,
                                env=env, cwd=ELSEWHERE, start_new_session=True)


def _running_rows(db: Path) -> list[tuple[str, int | None, int | None]]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT site, fetched, stored FROM crawl_runs WHERE finished_at IS NULL").fetchall()
    except sqlite3.OperationalError:  # the crawl is creating the file
        return []


def test_a_redirected_crawl_shows_progress_and_its_running_counts(sample_web: SampleWeb, tmp_path: Path) -> None:
    db, log = tmp_path / "live.db", tmp_path / "crawl.log"
    started = time.monotonic()
    crawl = _crawl(sample_web, db, log)
    progress_at: float | None = None
    counted, moved = None, False
    try:
        while crawl.poll() is None and time.monotonic() - started < 90 and not (moved and counted):
            lines = [ln for ln in log.read_text("utf-8", "replace").splitlines() if ln.startswith("progress ")]
            if lines and progress_at is None:
                progress_at = time.monotonic() - started
            moved = any(" 0 pages fetched" not in ln for ln in lines)  # a later line counts what was fetched
            counted = counted or next(((s, f, n) for s, f, n in _running_rows(db) if f), None)
            time.sleep(0.2)
        assert progress_at and progress_at < 20 and moved, log.read_text("utf-8", "replace")
        assert counted is not None, f"no running crawl_runs row with counts: {_running_rows(db)}"
        site, _, stored = counted
        in_file = sqlite3.connect(db).execute("SELECT count(*) FROM article_urls WHERE site = ?", [site]).fetchone()[0]
        assert stored is not None and stored <= in_file  # never more than the file holds
        shown = kexie("sites", "--sample", db=db).stdout
        assert crawl.poll() is None and "[running since" in shown, shown
    finally:
        with suppress(ProcessLookupError):  # killed as the OOM killer or a power cut would
            os.killpg(crawl.pid, signal.SIGKILL)
        crawl.wait()
    unfinished = {s for s, _, _ in _running_rows(db)}
    listed = kexie("sites", "--sample", db=db).stdout.splitlines()
    assert unfinished and {ln.split()[0] for ln in listed if "[killed" in ln} == unfinished, listed
    assert "[running" not in "".join(listed)
    health = kexie("health", db=db, check=False).stdout.splitlines()
    assert {ln.split()[0] for ln in health if "killed" in ln} == unfinished, health


def test_quiet_crawl_shows_no_progress_and_log_file_takes_scrapys_log(sample_web: SampleWeb, tmp_path: Path) -> None:
    db, scrapy_log = tmp_path / "q.db", tmp_path / "scrapy.log"
    result = kexie("crawl", "nyrb", "--quiet", "--log-file", str(scrapy_log), "--sites-dir", str(SAMPLE_SITES),
                   "--base-url", sample_web.base_urls["nyrb"], "-s", "DOWNLOAD_DELAY=0",
                   "-s", "KEXIE_PROGRESS_EVERY=0.2", db=db)
    assert "progress " not in result.stderr and "nyrb:" not in result.stderr, result.stderr
    assert "Spider opened" in scrapy_log.read_text("utf-8") and "[scrapy" not in result.stderr
    noisy = kexie("crawl", "nyrb", "--full", "--sites-dir", str(SAMPLE_SITES), "--base-url",
                  sample_web.base_urls["nyrb"], "-s", "DOWNLOAD_DELAY=0", "-s", "KEXIE_PROGRESS_EVERY=0.2", db=db)
    assert "nyrb: " in noisy.stderr and "sites done" in noisy.stderr, noisy.stderr
