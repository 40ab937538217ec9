"""`kexie export --format warc`: every raw page as a response record that standard WARC readers (warcio's
ArchiveIterator and `warcio check`) read back byte for byte, with a sidecar whose offsets find each record."""

from __future__ import annotations

import base64
import csv
import gzip
import sqlite3
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.db import Archive
from archive.queries import Filters, connect_read_only
from archive.warc import http_head, pages, sidecar_path, warc_date, write_warc
from tools.sampleweb.server import SampleWeb

from .conftest import crawl_sample, kexie


@pytest.fixture(scope="module")
def archive_db(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample web crawled once; no `kexie index`, which WARC export must not need."""
    db = tmp_path_factory.mktemp("warc") / "archive.db"
    crawl_sample(sample_web, db)
    return db


def stored_pages(db: Path, site: str | None = None) -> dict[int, dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    sql = "SELECT * FROM pages" + (" WHERE site = ?" if site else "") + " ORDER BY id"
    return {r["id"]: dict(r) for r in conn.execute(sql, [site] if site else [])}


def read_records(warc: Path) -> list[dict[str, Any]]:
    with warc.open("rb") as stream:
        return [{"type": r.rec_type, "url": r.rec_headers.get_header("WARC-Target-URI"),
                 "date": r.rec_headers.get_header("WARC-Date"),
                 "digest": r.rec_headers.get_header("WARC-Payload-Digest"),
                 "status": r.http_headers.get_statuscode() if r.http_headers else None,
                 "headers": r.http_headers, "payload": r.content_stream().read()}
                for r in ArchiveIterator(stream)]


def sidecar(warc: Path) -> list[dict[str, str]]:
    with sidecar_path(warc).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def full_export(archive_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "all.warc.gz"
    result = kexie("export", "--format", "warc", "-o", str(out), db=archive_db)
    assert f"{len(stored_pages(archive_db))} pages exported" in result.stderr
    return out


def test_every_page_reads_back_byte_identical(archive_db: Path, full_export: Path) -> None:
    records, rows = read_records(full_export), [r for r in sidecar(full_export) if r["page_id"]]
    assert records[0]["type"] == "warcinfo" and b"software: kexie-archive" in records[0]["payload"]
    stored = stored_pages(archive_db)
    responses = records[1:1 + len(stored)]  # the pages, then the sample notices' attachment files
    assert [r["type"] for r in responses] == ["response"] * len(stored) and len(rows) == len(stored)
    for record, row in zip(responses, rows, strict=True):
        page = stored[int(row["page_id"])]
        assert record["url"] == page["url"] == row["url"]
        assert record["status"] == str(page["status"])
        assert record["payload"] == zlib.decompress(page["body"])
        # the payload digest is the stored body_sha1, in WARC's base32
        assert record["digest"] == "sha1:" + base64.b32encode(bytes.fromhex(page["body_sha1"])).decode()
        assert record["date"] == warc_date(page["fetched_at"]) and record["date"].startswith(page["fetched_at"][:19])
        assert record["headers"].get_header("Content-Length") == str(len(record["payload"]))
    assert sorted(int(r["page_id"]) for r in rows) == sorted(stored)


def test_sidecar_offsets_find_each_record(full_export: Path) -> None:
    data, rows = full_export.read_bytes(), sidecar(full_export)
    assert rows and all(r["warc_filename"] == full_export.name for r in rows)
    with full_export.open("rb") as stream:
        for row in rows:
            stream.seek(int(row["offset"]))
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == row["url"]
    for row in rows:  # each span is exactly one gzip member holding one whole record
        start, length = int(row["offset"]), int(row["length"])
        member = gzip.decompress(data[start:start + length])
        assert member.startswith(b"WARC/1.0\r\n") and member.count(b"\r\nWARC-Type: ") == 1
        assert f"WARC-Target-URI: {row['url']}\r\n".encode() in member
    last = rows[-1]
    assert int(last["offset"]) + int(last["length"]) == len(data)


def test_site_filter_limits_the_records(archive_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "xyast.warc.gz"
    kexie("export", "--format", "warc", "--site", "xyast", "-o", str(out), db=archive_db)
    urls = [r["url"] for r in read_records(out) if r["type"] == "response" and "/uploadfile/" not in r["url"]]
    wanted = stored_pages(archive_db, "xyast")
    assert urls == [p["url"] for p in wanted.values()] and 0 < len(urls) < len(stored_pages(archive_db))
    later = tmp_path / "later.warc.gz"
    kexie("export", "--format", "warc", "--since", "2999", "-o", str(later), db=archive_db)
    assert [r["type"] for r in read_records(later)] == ["warcinfo"]  # nothing fetched after 2999


def test_warcio_check_passes(full_export: Path) -> None:
    check = subprocess.run([sys.executable, "-c", "from warcio.cli import main; main()", "check", "-v",
                            str(full_export)], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("digest pass") == len(sidecar(full_export)) + 1  # warcinfo has a block digest
    index = subprocess.run([sys.executable, "-c", "from warcio.cli import main; main()", "index", str(full_export)],
                           capture_output=True, text=True, timeout=120, check=True)
    assert index.stdout.count('"warc-type": "response"') == len(sidecar(full_export))


def test_refuses_stdout_and_query(archive_db: Path, tmp_path: Path) -> None:
    for extra in ((), ("-q", "科协", "-o", str(tmp_path / "q.warc.gz"))):
        result = kexie("export", "--format", "warc", *extra, db=archive_db, check=False)
        assert result.returncode == 2 and "-o FILE.warc.gz" in result.stderr
    assert not list(tmp_path.iterdir())


def test_http_head_fits_the_decoded_body() -> None:
    head = http_head(404, '{"Content-Encoding": "gzip", "Transfer-Encoding": "chunked", "Content-Length": "9",'
                          ' "Content-Type": "text/html", "X-Odd": "a\\r\\nb"}', 1234)
    assert head.protocol == "HTTP/1.1" and head.statusline == "404 Not Found"
    assert head.get_header("Content-Encoding") is None and head.get_header("Transfer-Encoding") is None
    assert head.get_header("Content-Length") == "1234" and head.get_header("X-Odd") == "a b"
    assert http_head(None, None, 0).statusline == "200 OK"
    assert warc_date("2024-03-01T08:00:00+08:00") == "2024-03-01T00:00:00Z"
    assert sidecar_path(Path("d/x.warc.gz")) == Path("d/x.offsets.csv")


def synthetic_archive(path: Path, count: int) -> Path:
    archive = Archive(path)
    archive.db.table("sites").insert({"key": "s", "name": "s", "level": "city", "region": "湖南省"})
    body = zlib.compress("科学技术协会组织开展科普活动。".encode() * 4000)  # 180 KB a page
    with archive.db.atomic():
        archive.db.conn.executemany(
            "INSERT INTO pages (url, site, status, headers, body, body_sha1, fetched_at) VALUES (?, 's', 200, '{}',"
            " ?, ?, '2024-01-01T00:00:00+00:00')", [(f"http://s/{i}", body, str(i)) for i in range(count)])
    archive.close()
    return path


def test_paging_and_memory_stay_flat(tmp_path: Path) -> None:
    conn = connect_read_only(synthetic_archive(tmp_path / "small.db", 25))
    assert [r[0] for r in pages(conn, Filters(), batch=7)] == list(range(1, 26))  # keyset paging loses none
    peaks = []
    for count in (50, 500):
        conn = connect_read_only(synthetic_archive(tmp_path / f"{count}.db", count))
        tracemalloc.start()
        written = write_warc(conn, Filters(), tmp_path / f"{count}.warc.gz", {})
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert written == count
    # 500 pages are 90 MB decompressed: a buffered export would peak near that, a streamed one stays flat
    assert peaks[1] < 2 * peaks[0] + 500_000 and peaks[1] < 20_000_000, peaks
