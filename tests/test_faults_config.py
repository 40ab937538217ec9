"""Broken site files: each one is one clear line naming the file, the other sites still load and
crawl, and the command exits non-zero so cron mails it. Never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.db import Archive
from siteconfig.sites import ConfigError, find_site, load_site, load_sites, load_sites_checked
from tools.sampleweb.server import SampleWeb

from .conftest import LOCAL, ROOT, SAMPLE_SITES, kexie

EXPECTED = json.loads((ROOT / "tools" / "sampleweb" / "expected.json").read_text("utf-8"))["sites"]
GOOD = ("nyrb", "xyast")
NYRB = (SAMPLE_SITES / "nyrb.toml").read_text("utf-8")


def site_file(folder: Path, name: str, text: str = NYRB) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as err:
        load_site(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    assert err.value.path == path
    return message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("concurrency = 1", "concurrency = 0", "'politeness.concurrency' = 0: expected a whole number of requests, "
                                               "at least 1"),
        ("concurrency = 1", "concurrency = -3", "'politeness.concurrency' = -3"),
        ("delay = 1.0", "delay = -0.5", "'politeness.delay' = -0.5: expected a number of seconds, at least 0"),
        ("delay = 1.0", "delay = inf", "'politeness.delay' = inf"),
        ("delay = 1.0", "delay = nan", "'politeness.delay' = nan"),
        ("max_list_pages = 50", "max_list_pages = 0", "'max_list_pages' = 0: expected a whole number, at least 1"),
        ("interval_hours = 6", "interval_hours = -1", "'schedule.interval_hours' = -1"),
        ("interval_hours = 6", "interval_hours = 1e300", "at most"),
        ("[extract]", "[incremental]\nknown_run = 0\n[extract]", "'incremental.known_run' = 0"),
        ("[extract]", "[incremental]\nrefresh_days = -2\n[extract]", "'incremental.refresh_days' = -2"),
        ("'^/news/kj/index(?:_\\d+)?\\.html$'", "'^/news/kj/index(?:_\\d+\\.html$'",
         "field 'pagination_pattern': bad regular expression"),
        ("'^分享到'", "'^分享到['", "field 'extract.boilerplate': bad regular expression"),
        ('"http://www.nyrb.example"', '"ftp://www.nyrb.example"', "expected an http(s) URL with a host"),
        ('"http://www.nyrb.example"', '"http://"', "expected an http(s) URL with a host"),
        ('"http://www.nyrb.example"', '"http://www.nyrb.example:99999"', "expected an http(s) URL with a host"),
        ('"http://www.nyrb.example"', '"http://[::1"', "expected an http(s) URL with a host"),
        ('["/news/kj/index.html"]', '["news/kj/index.html"]', "field 'start_urls': 'news/kj/index.html' is neither"),
        ('["/rss.xml"]', '["//cdn.example/rss.xml"]', "field 'feed_urls'"),
        ('encoding = ""', 'encoding = "base64"', "field 'encoding' = 'base64': unknown codec"),
        ('encoding = ""', 'encoding = "klingon"', "field 'encoding' = 'klingon': unknown codec"),
    ],
)
def test_values_out_of_range_name_file_and_field(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in NYRB, old
    assert message in error_of(site_file(tmp_path, "nyrb", NYRB.replace(old, new, 1)))


def test_edge_values_that_are_fine(tmp_path: Path) -> None:
    text = (NYRB.replace("delay = 1.0", "delay = 0").replace("interval_hours = 6", "interval_hours = 0")
            .replace('encoding = ""', 'encoding = "GB2312"').replace("[extract]", "[incremental]\nrefresh_days = 0\n"
                                                                     "known_run = 1\n[extract]"))
    site = load_site(site_file(tmp_path, "nyrb", text))
    assert (site.delay, site.interval_hours, site.known_run, site.encoding) == (0.0, 0.0, 1, "GB2312")


def test_gbk_file_is_named_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "nyrb.toml"
    path.write_bytes(NYRB.encode("gbk"))
    assert "not UTF-8 text (line 1): save it as UTF-8" in error_of(path)


def test_utf8_with_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "nyrb.toml"
    path.write_bytes(b"\xef\xbb\xbf" + NYRB.encode("utf-8"))
    assert load_site(path).name == "南阳网"


def test_directory_and_broken_symlink(tmp_path: Path) -> None:
    (tmp_path / "dir.toml").mkdir()
    (tmp_path / "link.toml").symlink_to(tmp_path / "gone.toml")
    assert "a directory, not a site file" in error_of(tmp_path / "dir.toml")
    assert "a broken symlink" in error_of(tmp_path / "link.toml")
    with pytest.raises(ConfigError, match="dir.toml: a directory"):
        find_site("dir", tmp_path)  # not "no site 'dir'": the file is there, it is just not a file


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO named *.toml. A writer thread feeds it, so a loader that wrongly opens it reads
    garbage and fails the test instead of blocking; teardown opens the read end to free the writer."""
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)

    def feed() -> None:
        with open(path, "w", encoding="utf-8") as pipe:
            pipe.write("garbage = [")

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    yield path
    reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    writer.join(10)
    os.close(reader)


def test_fifo_is_not_opened(fifo: Path) -> None:
    assert "not a regular file" in error_of(fifo)


def test_folder_keeps_good_sites_and_lists_each_bad_file(tmp_path: Path) -> None:
    for key in GOOD:
        shutil.copy(SAMPLE_SITES / f"{key}.toml", tmp_path)
    zero = site_file(tmp_path, "zero", NYRB.replace("concurrency = 1", "concurrency = 0"))
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes(NYRB.encode("gbk"))
    (tmp_path / "bad.toml").mkdir()
    comma = site_file(tmp_path, "a,b")
    (tmp_path / ".#nyrb.toml").symlink_to("root@host.123")  # an editor's lock file: hidden, not a site
    configs, errors = load_sites_checked(tmp_path)
    assert sorted(configs) == list(GOOD)
    assert [e.path for e in errors] == [comma, tmp_path / "bad.toml", gbk, zero]
    assert "must not contain ," in str(errors[0])
    with pytest.raises(ConfigError) as err:
        load_sites(tmp_path)  # the strict form still stops at the first bad file
    assert err.value.path == comma


def test_empty_or_missing_folder_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a site", encoding="utf-8")
    with pytest.raises(ConfigError, match="no site files"):
        load_sites_checked(tmp_path)
    with pytest.raises(ConfigError, match="no such sites directory"):
        load_sites_checked(tmp_path / "nope")


@pytest.fixture
def mixed_sites(tmp_path: Path) -> tuple[Path, list[str]]:
    """Two good sample sites, a concurrency of 0, a GBK file and a directory named bad.toml."""
    folder = tmp_path / "sites"
    folder.mkdir()
    for key in GOOD:
        shutil.copy(SAMPLE_SITES / f"{key}.toml", folder)
    site_file(folder, "zero", NYRB.replace("concurrency = 1", "concurrency = 0"))
    (folder / "gbk.toml").write_bytes(NYRB.encode("gbk"))
    (folder / "bad.toml").mkdir()
    return folder, [f"{folder / name}.toml: " for name in ("bad", "gbk", "zero")]


def assert_bad_files_named(stderr: str, bad: list[str]) -> None:
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    for prefix in bad:
        assert sum(line.startswith(f"error: {prefix}") for line in lines) == 1, (prefix, stderr)


def test_crawl_all_crawls_the_good_sites_and_exits_non_zero(sample_web: SampleWeb, mixed_sites, tmp_path: Path) -> None:
    folder, bad = mixed_sites
    db = tmp_path / "a.db"
    moved = [arg for key in GOOD for arg in ("--base-url", f"{key}={sample_web.base_urls[key]}")]
    # a --base-url for a broken site must not stop the others either
    result = kexie("crawl", "--all", "--sites-dir", str(folder), *moved, "--base-url", "zero=http://127.0.0.1:9",
                   *LOCAL, db=db, check=False)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert_bad_files_named(result.stderr, bad)
    assert "3 site files skipped" in result.stderr
    with sqlite3.connect(db) as conn:
        stored = dict(conn.execute("SELECT site, count(*) FROM articles GROUP BY site").fetchall())
        ran = {row[0] for row in conn.execute("SELECT site FROM crawl_runs")}
    assert stored == {key: len(EXPECTED[key]["articles"]) for key in GOOD}
    assert ran == set(GOOD)


def test_sites_lists_good_ones_and_names_bad_files(mixed_sites) -> None:
    folder, bad = mixed_sites
    result = kexie("sites", "--sites-dir", str(folder), check=False)
    assert result.returncode == 1
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(GOOD)
    assert_bad_files_named(result.stderr, bad)


def test_due_dry_run_and_health_name_bad_files(mixed_sites, tmp_path: Path) -> None:
    folder, bad = mixed_sites
    db = tmp_path / "a.db"
    Archive(db).close()  # reading commands need an archive (they never create one)
    dry = kexie("crawl", "--due", "--dry-run", "--sites-dir", str(folder), db=db, check=False)
    assert dry.returncode == 1
    assert [line.split()[:2] for line in dry.stdout.splitlines()] == [[key, "DUE"] for key in GOOD]
    assert_bad_files_named(dry.stderr, bad)
    health = kexie("health", "--strict", "--sites-dir", str(folder), db=db, check=False)
    assert health.returncode == 1
    assert [line.split()[0] for line in health.stdout.splitlines()] == list(GOOD)
    assert_bad_files_named(health.stderr, bad)


def test_crawl_one_bad_site_is_one_line(mixed_sites, tmp_path: Path) -> None:
    folder, bad = mixed_sites
    for key, prefix in zip(("bad", "gbk", "zero"), bad, strict=True):
        result = kexie("crawl", key, "--sites-dir", str(folder), db=tmp_path / "a.db", check=False)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.splitlines() == [result.stderr.splitlines()[0]]
        assert result.stderr.startswith(f"error: {prefix}"), result.stderr


def test_folder_without_site_files(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    for args in (("sites",), ("crawl", "--all"), ("crawl", "--due"), ("health",)):
        result = kexie(*args, "--sites-dir", str(tmp_path / "sites"), db=tmp_path / "a.db", check=False)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "no site files (*.toml) in this folder" in result.stderr, (args, result.stderr)
