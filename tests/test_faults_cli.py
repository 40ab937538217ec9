"""Faults the archive commands must survive with one `error:` line and no traceback (issue 13).

Real `kexie` processes on real SQLite files: a damaged archive, one on read-only media, SQL that
reaches beyond the archive, absurd numbers, bytes that are not UTF-8, a missing folder, a closed pipe.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.synthetic import synthetic_archive
from tools.sampleweb.server import SampleWeb

from .conftest import ROOT, SAMPLE_SITES, kexie, sample_archive


@pytest.fixture(scope="module")
def archive(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The crawled sample web with its search index, WAL merged (`kexie index` closed it last)."""
    return sample_archive(sample_web, tmp_path_factory, "faults.db")


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if line.lower().startswith("error:")]


def one_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The single error line of a failed command, holding every needle."""
    lines = errors(result)
    assert result.returncode == 2 and len(lines) == 1, (result.returncode, result.stderr)
    assert all(needle in lines[0] for needle in needles), (needles, lines[0])
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- 1. kexie sql stays inside the archive -----------------------------------------------

def test_sql_refuses_attach_vacuum_and_writing_pragmas(archive: Path, tmp_path: Path) -> None:
    before, mtime = digest(archive), archive.stat().st_mtime_ns
    attached, copy = tmp_path / "attached.db", tmp_path / "copy.db"
    refused = {f"ATTACH DATABASE '{attached}' AS x": "ATTACH", f"VACUUM INTO '{copy}'": "VACUUM",
               "/* in place */ VACUUM": "VACUUM", "PRAGMA writable_schema = ON": "PRAGMA writable_schema",
               "PRAGMA query_only = OFF": "PRAGMA query_only", "PRAGMA user_version = 7": "PRAGMA user_version",
               "DETACH DATABASE main": "DETACH"}
    for sql, kind in refused.items():
        line = one_error(kexie("sql", sql, db=archive, check=False), "read-only in kexie sql", kind)
        assert "refused" in line
    assert not attached.exists() and not copy.exists()
    assert digest(archive) == before and archive.stat().st_mtime_ns == mtime
    # pragmas that only read still answer, as a statement and as a table-valued function
    assert "title" in kexie("sql", "PRAGMA table_info(articles)", db=archive).stdout
    assert "articles" in kexie("sql", "SELECT name FROM pragma_table_list", db=archive).stdout
    assert kexie("sql", "PRAGMA user_version", db=archive).stdout.splitlines()[1].isdigit()


def test_datasette_sql_box_refuses_attach_and_vacuum(archive: Path, tmp_path: Path) -> None:
    """`kexie serve` leaves this to Datasette, which takes only SELECT/WITH and a few pragma_ functions."""
    from datasette.app import Datasette

    served = tmp_path / "served.db"
    shutil.copy(archive, served)
    attached, copy = tmp_path / "attached.db", tmp_path / "copy.db"

    async def status(sql: str) -> int:
        response = await Datasette(immutables=[str(served)]).client.get(
            f"/served.json?{urllib.parse.urlencode({'sql': sql})}")
        return response.status_code

    for sql in (f"ATTACH DATABASE '{attached}' AS x", f"VACUUM INTO '{copy}'", "PRAGMA writable_schema = ON",
                "SELECT * FROM pragma_table_list"):
        assert asyncio.run(status(sql)) == 400, sql
    assert asyncio.run(status("SELECT count(*) FROM articles")) == 200
    assert not attached.exists() and not copy.exists()


# --- 2. a damaged archive ------------------------------------------------------------------

DAMAGES = {"random": "file is not a database", "truncated": ""}
COMMANDS = [("search", "科"), ("sql", "SELECT count(*) FROM articles"), ("export",), ("duplicates",),
            ("report", "-o", "{tmp}/report.html"), ("serve", "--port", "1"), ("index",),
            ("reextract", "--dry-run", "--workers", "0"), ("health", "--sites-dir", str(SAMPLE_SITES)),
            ("crawl", "--due", "--dry-run", "--sites-dir", str(SAMPLE_SITES))]


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_archive_is_one_error_line_in_every_command(archive: Path, tmp_path: Path, damage: str) -> None:
    broken = tmp_path / f"{damage}.db"
    shutil.copy(archive, broken)
    with broken.open("r+b") as file:
        if damage == "random":
            file.write(random.Random(13).randbytes(4096))
        else:
            file.truncate(broken.stat().st_size // 2)
    for command in COMMANDS:
        args = [arg.format(tmp=tmp_path) for arg in command]
        line = one_error(kexie(*args, db=broken, check=False, timeout=120), str(broken), DAMAGES[damage])
        assert line.startswith("error: cannot "), (command, line)
    assert not (tmp_path / "report.html").exists()


# --- 3. an archive on read-only media --------------------------------------------------------

@pytest.fixture
def media(archive: Path, tmp_path: Path) -> Iterator[Path]:
    """A read-only tmpfs holding the archive, and in wal/ an archive whose -wal has no -shm beside it.
    (chmod does not stop root; a read-only mount does.)"""
    folder = tmp_path / "media"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)], capture_output=True,
                      check=False).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        shutil.copy(archive, folder / "archive.db")
        (folder / "wal").mkdir()
        work = tmp_path / "work.db"
        shutil.copy(archive, work)
        conn = sqlite3.connect(work)
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("CREATE TABLE wal_only (x)")  # committed to the -wal only while conn stays open
        conn.commit()
        for suffix in ("", "-wal"):
            shutil.copy(f"{work}{suffix}", folder / "wal" / f"archive.db{suffix}")
        conn.close()
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, check=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def test_readers_work_on_read_only_media(archive: Path, media: Path, tmp_path: Path) -> None:
    sealed = media / "archive.db"
    assert subprocess.run(["touch", str(media / "probe")], capture_output=True, check=False).returncode
    for args in (("search", "科", "--json"), ("sql", "SELECT id, title FROM articles ORDER BY id"), ("export",),
                 ("duplicates", "--json")):
        here, there = kexie(*args, db=archive), kexie(*args, db=sealed)
        assert there.stdout == here.stdout and there.stdout.strip(), args
        assert not errors(there)
    kexie("report", "-o", str(tmp_path / "report.html"), db=sealed)
    assert "<svg" in (tmp_path / "report.html").read_text("utf-8")
    one_error(kexie("report", db=sealed, check=False), "cannot write", str(media / "archive-report.html"))
    one_error(kexie("index", db=sealed, check=False), str(sealed))
    # a -wal without its -shm cannot be read there: what the file holds, and a warning
    stale = kexie("sql", "SELECT count(*) FROM sqlite_master WHERE name = 'wal_only'", db=media / "wal" / "archive.db")
    assert stale.stdout.splitlines()[1] == "0" and "warning:" in stale.stderr and not errors(stale)


def test_crawl_names_the_read_only_folder(media: Path) -> None:
    """SQLite says only "unable to open database file"; the crawl says the folder is read-only and why
    that matters (the -wal and -shm files), for an archive there and for a new one."""
    for name in ("archive.db", "new.db"):
        line = one_error(kexie("crawl", "xyast", "--sites-dir", str(SAMPLE_SITES), db=media / name, check=False),
                         f"the folder {media} is read-only", f"{name}-wal", f"{name}-shm")
        assert "unable to open" not in line, line
    assert not (media / "new.db").exists()


def test_health_works_on_read_only_media(media: Path) -> None:
    result = kexie("health", "--sites-dir", str(SAMPLE_SITES), db=media / "archive.db", check=False)
    assert result.returncode in (0, 1) and not errors(result) and "xyast" in result.stdout


# --- 4. numbers too big for SQLite ---------------------------------------------------------------

@pytest.mark.parametrize("args", [("search", "科", "--limit"), ("search", "科", "--page"), ("duplicates", "--limit"),
                                  ("serve", "--port"), ("reextract", "--workers")])
def test_huge_numbers_are_refused_as_usage_errors(archive: Path, args: tuple[str, ...]) -> None:
    one_error(kexie(*args, str(10**20), db=archive, check=False), "Invalid value", args[-1], "range")


def test_the_largest_page_allowed_still_runs(archive: Path) -> None:
    result = kexie("search", "科", "--page", "1000000000", "--limit", "100000", db=archive, check=False)
    one_error(result, "--page 1000000000 is past the last page")  # SQLite ran it: it knows the last page
    assert result.stdout == ""


# --- 5. arguments that are not UTF-8 -------------------------------------------------------------

def test_arguments_that_are_not_utf8(archive: Path) -> None:
    raw = {("search", b"\xff\xfe"): "2", ("sql", b"SELECT '\xff'"): "2", ("export", "-q", b"\xff"): "3"}
    for args, position in raw.items():
        decoded = [os.fsdecode(arg) for arg in args]  # as Python hands them over: lone surrogates
        one_error(kexie(*decoded, db=archive, check=False), f"argument {position} is not UTF-8")
    gbk = one_error(kexie("search", os.fsdecode("科普".encode("gbk")), db=archive, check=False), "not UTF-8")
    assert "科普" in gbk


# --- 6. an output folder that does not exist -----------------------------------------------------

def test_output_into_a_missing_folder(archive: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    for args in (("export", "-o", str(missing / "x.jsonl")), ("report", "-o", str(missing / "r.html"))):
        one_error(kexie(*args, db=archive, check=False), f"no folder {missing}")
    assert not (tmp_path / "no").exists()


# --- 7. a reader that stops early ----------------------------------------------------------------

@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000 articles of 4,000 characters: every command's output is far more than a pipe holds."""
    return synthetic_archive(tmp_path_factory.mktemp("big") / "big.db", 1000)


@pytest.mark.parametrize("args", [("export",), ("export", "--format", "csv"), ("sql", "SELECT * FROM articles"),
                                  ("search", "科", "--limit", "100000")])
def test_closed_pipe_ends_quietly(big_archive: Path, args: tuple[str, ...]) -> None:
    env = {**os.environ, "KEXIE_DB": str(big_archive)}
    process = subprocess.Popen([sys.executable, "-m", "cli", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert process.stdout and process.stderr
    assert process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    stderr = process.stderr.read()
    result = subprocess.CompletedProcess(args, process.wait(timeout=120), "", stderr)
    assert result.returncode == 0 and not errors(result), stderr
    assert "exported" not in stderr and "articles contain" not in stderr  # it stopped early, as it should
