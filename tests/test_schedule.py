"""Scheduled, incremental and resumable crawls, against a copy of a sample site on 127.0.0.1."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from archive.db import Archive
from tests.scheduling import add_articles, article_paths, crawl_due, survivors
from tools.sampleweb.server import SampleWeb

from .conftest import LOCAL, ROOT, SAMPLE_SITES, SITE, kexie


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_due_crawl_fetches_only_new_articles_and_list_pages(site_copy, tmp_path: Path) -> None:
    web, site_dir, sites = site_copy
    db = tmp_path / "a.db"
    crawl_due(web, sites, db)
    before = count(db, "SELECT count(*) FROM articles")
    new = add_articles(site_dir, 3)
    mark = len(web.hits[SITE])
    out = crawl_due(web, sites, db).stdout
    fetched = web.hits[SITE][mark:]
    articles = [p for p in fetched if p in set(article_paths(site_dir))]
    assert sorted(articles) == sorted(new), fetched
    assert all(p in new or "index" in p or p in ("/robots.txt", "/rss.xml") for p in fetched), fetched
    assert count(db, "SELECT count(*) FROM articles") == before + 3
    assert re.search(rf"^{SITE}\s+3\s+3\b", out, re.M), out


def test_dry_run_lists_due_sites(site_copy, tmp_path: Path) -> None:
    web, _, sites = site_copy
    db = tmp_path / "a.db"
    Archive(db).close()  # a dry run only reads: it needs the archive (and never creates one)
    assert re.search(rf"^{SITE}\s+DUE\s+last run never", kexie("crawl", "--due", "--dry-run", "--sites-dir",
                                                                  str(sites), db=db).stdout, re.M)
    crawl_due(web, sites, db)
    shown = kexie("crawl", "--due", "--dry-run", "--sites-dir", str(SAMPLE_SITES), db=db).stdout
    assert re.search(r"^nyrb\s+not due\s+last run 20", shown, re.M) and re.search(r"^xyast\s+DUE", shown, re.M)


def test_overlapping_due_runs_do_not_crawl_a_site_twice(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with SampleWeb(delay=0.8) as web:  # slow enough that the first run is still busy when the second looks
        moved = [a for k, u in web.base_urls.items() for a in ("--base-url", f"{k}={u}")]
        cmd = [sys.executable, "-m", "cli", "crawl", "--due", "--sites-dir", str(SAMPLE_SITES), *moved, *LOCAL]
        env = {**os.environ, "KEXIE_DB": str(db)}
        first = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # the second run starts once the first is crawling (a process starts in seconds, and all sites
        # of one crawl run side by side: started together, the first could be done before the second looks)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and first.poll() is None:
            try:
                if count(db, "SELECT count(*) FROM crawl_runs WHERE finished_at IS NULL"):
                    break
            except sqlite3.OperationalError:
                pass
            time.sleep(0.05)
        second = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        runs = [first, second]
        outputs = [r.communicate(timeout=300) for r in runs]
    assert all(r.returncode == 0 for r in runs), outputs
    with sqlite3.connect(db) as conn:
        per_site = dict(conn.execute("SELECT site, count(*) FROM crawl_runs GROUP BY site").fetchall())
    assert per_site == dict.fromkeys(per_site, 1) and len(per_site) == len(list(SAMPLE_SITES.glob("*.toml"))), per_site
    assert any("another crawl holds its lock" in err for _, err in outputs), outputs


def snapshot(db: Path) -> dict[str, set[tuple[object, ...]]]:
    """The archive's content, without ids, times or ports (which differ between runs)."""
    strip = "substr({0}, instr(substr({0}, 8), '/') + 7)"
    with sqlite3.connect(db) as conn:
        return {
            "articles": set(conn.execute(f"SELECT site, {strip.format('url')}, title, published_at, content_hash,"
                                         " text FROM articles")),
            "copies": set(conn.execute(f"SELECT site, {strip.format('url')}, kind FROM article_urls")),
            "rejects": set(conn.execute(f"SELECT site, {strip.format('url')}, reason FROM rejects")),
        }




def test_killed_crawl_resumes_to_the_same_archive(tmp_path: Path) -> None:
    whole, killed = tmp_path / "whole.db", tmp_path / "killed.db"
    with SampleWeb(delay=0.03) as web:
        moved = [a for k, u in web.base_urls.items() for a in ("--base-url", f"{k}={u}")]
        args = ["crawl", "--all", "--sites-dir", str(SAMPLE_SITES), *moved, *LOCAL, "-s", "KEXIE_BATCH_SIZE=2"]
        kexie(*args, db=whole)
        env = {**os.environ, "KEXIE_DB": str(killed)}
        victim = subprocess.Popen([sys.executable, "-m", "cli", *args], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.1)
            try:
                if count(killed, "SELECT count(*) FROM articles") >= 12:
                    break
            except sqlite3.OperationalError:
                continue
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        assert not survivors(f"KEXIE_DB={killed}"), "extraction workers outlived the killed crawl"
        partial = count(killed, "SELECT count(*) FROM articles")
        assert 12 <= partial < count(whole, "SELECT count(*) FROM articles"), "the kill came too late to test"
        kexie(*args, db=killed)
    assert snapshot(killed) == snapshot(whole)


def test_template_change_is_flagged_by_health(site_copy, tmp_path: Path) -> None:
    web, site_dir, sites = site_copy
    db = tmp_path / "a.db"
    crawl_due(web, sites, db)
    assert kexie("health", "--sites-dir", str(sites), db=db, check=False).returncode == 0
    add_articles(site_dir, 4, empty=True)
    crawl_due(web, sites, db)
    result = kexie("health", "--sites-dir", str(sites), db=db, check=False)
    assert result.returncode == 1 and "reject rate jumped to 100%" in result.stdout, result.stdout


def test_progress_live_on_a_terminal_and_plain_lines_otherwise(site_copy, tmp_path: Path) -> None:
    import pty

    web, _, sites = site_copy
    redirected = crawl_due(web, sites, tmp_path / "q.db")
    assert "progress " in redirected.stderr and f"{SITE}: " in redirected.stderr, redirected.stderr
    assert "\r" not in redirected.stderr and "\x1b[" not in redirected.stderr  # whole lines, nothing redrawn
    leader, follower = pty.openpty()
    cmd = [sys.executable, "-m", "cli", "crawl", SITE, "--sites-dir", str(sites), "--base-url",
           web.base_urls[SITE], *LOCAL, "--db", str(tmp_path / "t.db")]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=120)
    os.close(leader)
    text = seen.decode("utf-8", "replace")
    assert f"{SITE}: " in text and "article pages" in text and "(finished)" in text, text
