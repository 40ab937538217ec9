"""The `kexie` and `scrapy` commands as a person runs them, against real files and the sample web."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools.sampleweb.server import SITES_ROOT, SampleWeb

from .conftest import ROOT, SAMPLE_SITES, free_port_base, kexie, sample_archive

CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED = json.loads((ROOT / "tools" / "sampleweb" / "expected.json").read_text("utf-8"))["sites"]


@pytest.fixture(scope="module")
def archive_db(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_archive(sample_web, tmp_path_factory)


def test_help_has_an_example_for_every_command() -> None:
    for command in ("demo", "crawl", "sites", "extract", "sql", "search"):
        out = kexie(command, "--help").stdout
        assert "Example" in out and f"kexie {command}" in out, command


def test_sites_lists_real_and_sample_configs() -> None:
    real = kexie("sites").stdout
    assert "cast" in real and "unverified" in real
    sample = kexie("sites", "--sample").stdout
    assert set(EXPECTED) <= {line.split()[0] for line in sample.splitlines()}


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    good = (SAMPLE_SITES / "nyrb.toml").read_text("utf-8")
    (tmp_path / "broken.toml").write_text(good.replace('level = "portal"', 'level = "galaxy"'), encoding="utf-8")
    result = kexie("sites", "--sites-dir", str(tmp_path), check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "broken.toml: field 'level' = 'galaxy': expected one of national" in result.stderr
    result = kexie("crawl", "nosuchsite", check=False)
    assert result.returncode == 2 and "no site 'nosuchsite'" in result.stderr and "Traceback" not in result.stderr


def test_extract_jsonl_on_sample_pages() -> None:
    page = SITES_ROOT / "xyast" / "xwdt"
    files = sorted(str(p) for p in page.glob("*.htm") if not p.name.startswith("index"))[:3]
    lines = kexie("extract", *files, "--jsonl").stdout.splitlines()
    assert len(lines) == len(files)
    for line, name in zip(lines, files, strict=True):
        obj = json.loads(line)
        assert obj["file"] == name and {"title", "text", "published_at", "author"} <= set(obj)
        assert obj["text"] and "\ufffd" not in obj["text"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
def test_extract_works_on_the_corpus() -> None:
    files = sorted(str(p) for p in (CORPUS / "chinese-web-content-extraction-dataset").glob("*.html"))[:8]
    files += sorted(str(p) for p in (CORPUS / "magic-html").glob("*.html"))[:8]
    lines = kexie("extract", *files, "--jsonl").stdout.splitlines()
    objs = [json.loads(line) for line in lines]
    assert [o["file"] for o in objs] == files
    assert sum(bool(o["text"]) for o in objs) >= len(files) - 1


def test_sql_is_read_only(archive_db: Path) -> None:
    out = kexie("sql", "SELECT site, count(*) AS n FROM articles GROUP BY site", db=archive_db).stdout
    counts = dict(line.split("\t") for line in out.splitlines()[1:])
    assert counts == {site: str(len(spec["articles"])) for site, spec in EXPECTED.items()}
    result = kexie("sql", "DELETE FROM articles", db=archive_db, check=False)
    assert result.returncode == 2 and "readonly" in result.stderr.replace(" ", "").lower()
    again = kexie("sql", "SELECT count(*) FROM articles", db=archive_db).stdout.splitlines()[1]
    assert int(again) == sum(len(s["articles"]) for s in EXPECTED.values())


def test_search_is_a_substring_match(archive_db: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(archive_db)
    for query in ("科协", "院士", "科普示范", "王喆"):
        want = {r[0] for r in conn.execute("SELECT url FROM articles WHERE text LIKE ? OR title LIKE ?",
                                           [f"%{query}%", f"%{query}%"])}
        out = kexie("search", query, "--json", "--limit", "1000", db=archive_db).stdout
        got = {json.loads(line)["url"] for line in out.splitlines()}
        assert got == want and (want or query == "王喆"), query
    assert kexie("search", "王喆", "--site", "nyrb", db=archive_db).stdout == ""


def test_scrapy_list_and_crawl(sample_web: SampleWeb, tmp_path: Path) -> None:
    scrapy = [sys.executable, "-m", "scrapy"]
    listed = subprocess.run([*scrapy, "list"], capture_output=True, text=True, cwd=ROOT, check=True)
    assert listed.stdout.split() == ["site"]
    db = tmp_path / "s.db"
    subprocess.run([*scrapy, "crawl", "site", "-a", "site=nyrb", "-a", f"sites_dir={SAMPLE_SITES}",
                    "-a", f"base_url={sample_web.base_urls['nyrb']}", "-s", f"KEXIE_DB={db}",
                    "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING"],
                   capture_output=True, text=True, cwd=ROOT, check=True)
    out = kexie("sql", "SELECT count(*) FROM articles WHERE site = 'nyrb'", db=db).stdout.splitlines()[1]
    assert int(out) == len(EXPECTED["nyrb"]["articles"])


def test_scrapy_parse_shows_the_requests_and_writes_nothing(sample_web: SampleWeb, tmp_path: Path) -> None:
    """`scrapy parse` calls a callback on a response no crawl asked for: it must show the spider's
    requests, and record no crawl run or frontier row: it opens no archive at all."""
    base, db = sample_web.base_urls["nyrb"], tmp_path / "p.db"
    shown = subprocess.run([sys.executable, "-m", "scrapy", "parse", "--nolog", f"{base}/news/kj/index.html",
                            "--spider", "site", "-c", "parse_list", "-a", "site=nyrb",
                            "-a", f"sites_dir={SAMPLE_SITES}", "-a", f"base_url={base}", "-s", f"KEXIE_DB={db}"],
                           capture_output=True, text=True, cwd=ROOT, check=True, timeout=120).stdout
    assert f"<GET {base}/news/kj/2022/0530/244901.html>" in shown, shown
    assert not db.exists(), "scrapy parse opened (so created) an archive"  # so no run, no frontier row


def test_demo_prints_summary(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = kexie("demo", "--port-base", str(free_port_base()), "--db", str(db), db=tmp_path / "real.db")
    assert not (tmp_path / "real.db").exists(), "the demo wrote into $KEXIE_DB, the real archive"
    assert "Traceback" not in result.stdout + result.stderr
    assert f"archive: {db}" in result.stdout
    for site in EXPECTED:
        assert any(line.startswith(site) for line in result.stdout.splitlines()), site
    stored = sum(len(s["articles"]) for s in EXPECTED.values())
    assert f"({stored} articles" in result.stdout
