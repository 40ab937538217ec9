"""Deploy to a real scrapyd on 127.0.0.1 and archive a sample site through its HTTP API."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.sampleweb.server import SampleWeb

from .conftest import ROOT, SAMPLE_SITES, free_port_base

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(not (BIN / "scrapyd").exists(), reason="scrapyd is not installed")


def api(base: str, path: str, data: list[tuple[str, str]] | None = None) -> dict[str, object]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{path}", body, timeout=30) as response:
        return json.load(response)


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    port = free_port_base(1)
    (tmp_path / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {tmp_path}/eggs\n"
        f"logs_dir = {tmp_path}/logs\ndbs_dir = {tmp_path}/dbs\nitems_dir =\npoll_interval = 0.5\nmax_proc = 2\n",
        encoding="utf-8",
    )
    env = {**os.environ, "KEXIE_CONFIG_DIR": str(ROOT / "config")}
    server = subprocess.Popen([str(BIN / "scrapyd")], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                api(base, "daemonstatus.json")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_deploy_and_schedule_through_scrapyd(scrapyd: str, tmp_path: Path) -> None:
    env = {**os.environ, "SCRAPYD_URL": scrapyd + "/"}
    deploy = subprocess.run([str(BIN / "scrapyd-deploy"), "env"], cwd=ROOT, env=env, capture_output=True, text=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    assert '"status": "ok"' in deploy.stdout, deploy.stdout + deploy.stderr
    assert api(scrapyd, "listspiders.json?project=kexie")["spiders"] == ["site"]
    db = tmp_path / "archive.db"
    with SampleWeb() as web:
        job = api(scrapyd, "schedule.json", [
            ("project", "kexie"), ("spider", "site"), ("site", "nyrb"), ("base_url", web.base_urls["nyrb"]),
            ("sites_dir", str(SAMPLE_SITES)), ("setting", f"KEXIE_DB={db}"), ("setting", "DOWNLOAD_DELAY=0"),
            ("setting", "AUTOTHROTTLE_ENABLED=0"),
        ])
        assert job["status"] == "ok"
        for _ in range(600):
            jobs = api(scrapyd, "listjobs.json?project=kexie")
            if any(j["id"] == job["jobid"] for j in jobs["finished"]):  # type: ignore[attr-defined]
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"the scrapyd job did not finish: {jobs}")
    expected = json.loads((ROOT / "tools/sampleweb/expected.json").read_text("utf-8"))["sites"]["nyrb"]
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM articles WHERE site = 'nyrb'").fetchone()[0]
        run = conn.execute("SELECT finish_reason, rejected FROM crawl_runs").fetchone()
    assert stored == len(expected["articles"]) and run == ("finished", 0)
