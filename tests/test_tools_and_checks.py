"""Scrapy's own tools on the project, and the crawl command's checks of what it is asked (issue 14).

`scrapy shell`, `scrapy fetch` and `-O items.jsonl|csv` must work beside the archive's
pipelines (which run for the site spider only); `kexie crawl` must refuse what it cannot do
as asked instead of quietly doing something else, and `kexie health` must flag a site that
gave nothing.
"""

from __future__ import annotations

import csv
import json
import socket
import subprocess
import sys
from pathlib import Path

from archive.db import Archive
from tools.sampleweb.server import SampleWeb

from .conftest import LOCAL, ROOT, SAMPLE_SITES, kexie

EXPECTED = json.loads((ROOT / "tools" / "sampleweb" / "expected.json").read_text("utf-8"))["sites"]


def scrapy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=180)


def test_scrapy_shell_and_fetch_leave_the_archive_alone(sample_web: SampleWeb, tmp_path: Path) -> None:
    url = f"{sample_web.base_urls['nyrb']}/news/kj/index.html"
    db = tmp_path / "a.db"
    shell = scrapy("shell", url, "--nolog", "-c", "response.css('title::text').get()", "-s", f"KEXIE_DB={db}")
    assert shell.returncode == 0 and "南阳网" in shell.stdout, shell.stdout + shell.stderr[-2000:]
    fetched = scrapy("fetch", "--nolog", url, "-s", f"KEXIE_DB={db}")
    assert fetched.returncode == 0 and "<title>" in fetched.stdout, fetched.stderr[-2000:]
    assert not db.exists(), "a Scrapy tool opened the archive"


def test_crawl_exports_clean_items(sample_web: SampleWeb, tmp_path: Path) -> None:
    out = scrapy("crawl", "site", "-a", "site=nyrb", "-a", f"sites_dir={SAMPLE_SITES}",
                 "-a", f"base_url={sample_web.base_urls['nyrb']}", "-s", f"KEXIE_DB={tmp_path / 'a.db'}",
                 "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING",
                 "-O", str(tmp_path / "items.jsonl"), "-O", str(tmp_path / "items.csv"))
    assert out.returncode == 0, out.stderr[-3000:]
    items = [json.loads(line) for line in (tmp_path / "items.jsonl").read_text("utf-8").splitlines()]
    want = {a["title"] for a in EXPECTED["nyrb"]["articles"]}
    assert {i["title"] for i in items} == want
    assert all("body" not in i and "sketch" not in i and i["text"] and i["published_at"] for i in items)
    with (tmp_path / "items.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["title"] for r in rows} == want and "body" not in rows[0] and "metadata" not in rows[0]


def test_crawl_refuses_what_it_cannot_do_as_asked(sample_web: SampleWeb, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    Archive(db).close()  # a dry run only reads: it needs the archive (and never creates one)
    mark = len(sample_web.hits["nyrb"])
    dry = kexie("crawl", "nyrb", "--dry-run", "--sites-dir", str(SAMPLE_SITES), "--base-url",
                sample_web.base_urls["nyrb"], db=db)
    assert dry.stdout.startswith("nyrb") and "crawl" in dry.stdout and "never" in dry.stdout, dry.stdout
    assert len(sample_web.hits["nyrb"]) == mark, "--dry-run fetched pages"
    for args, words in ((["nyrb", "--all"], "not both"), (["nyrb", "-s", "DOWNLOAD_DELAY"], "NAME=VALUE"),
                        (["nyrb", "--base-url", "notaurl"], "not an http(s) URL")):
        result = kexie("crawl", *args, "--sites-dir", str(SAMPLE_SITES), db=db, check=False)
        errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
        assert result.returncode == 2 and len(errors) == 1 and words in errors[0], (args, result.stderr)
    assert len(sample_web.hits["nyrb"]) == mark


def test_health_flags_a_site_that_gave_nothing(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{probe.getsockname()[1]}"
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "nyrb.toml").write_text((SAMPLE_SITES / "nyrb.toml").read_text("utf-8"), "utf-8")
    config = (SAMPLE_SITES / "xyast.toml").read_text("utf-8")
    (sites / "xyast.toml").write_text(config.replace("article_pattern = '", "article_pattern = '^/nothing"), "utf-8")
    db = tmp_path / "a.db"
    with SampleWeb() as web:
        kexie("crawl", "--all", "--sites-dir", str(sites), "--base-url", f"nyrb={down}", "--base-url",
              f"xyast={web.base_urls['xyast']}", *LOCAL, "-s", "RETRY_TIMES=0", db=db)
    health = kexie("health", "--sites-dir", str(sites), db=db, check=False)
    assert health.returncode == 1, health.stdout
    lines = {line.split()[0]: line for line in health.stdout.splitlines()}
    assert "nothing fetched" in lines["nyrb"] and "DownloadConnectionRefusedError" in lines["nyrb"], lines
    assert "no article page found in 1 crawls" in lines["xyast"], lines


def test_every_command_is_in_the_readme() -> None:
    """The README's CLI table names every command and every option of each (a new one must be documented)."""
    from cli.main import main

    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme[readme.index("## CLI"):readme.index("## Using the archive")]
    rows = {line.split("`")[1].split()[1]: line for line in table.splitlines() if line.startswith("| `kexie ")}
    assert set(main.commands) <= set(rows), sorted(set(main.commands) - set(rows))
    for name, command in main.commands.items():
        for param in command.params:
            flags = [opt for opt in param.opts if opt.startswith("-")]
            if flags and "--db" not in flags:  # --db is every command's, documented once
                assert any(f"{flag} " in readme or f"{flag}`" in readme or f"{flag}]" in readme
                           for flag in flags), f"kexie {name} {flags[-1]} is not in the README"
