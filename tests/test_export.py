"""`kexie export`: JSON lines and CSV that read back to the archive's rows, with search's filters,
a BOM for Excel, and memory that does not grow with the archive."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tracemalloc
from pathlib import Path

import pytest

from archive.export import COLUMNS, rows, write_csv, write_jsonl
from archive.queries import Filters, connect_read_only
from tests.searching import scan
from tests.synthetic import synthetic_archive
from tools.sampleweb.server import SampleWeb

from .conftest import kexie, sample_archive


@pytest.fixture(scope="module")
def archive_db(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_archive(sample_web, tmp_path_factory)


def stored(db: Path) -> dict[int, dict[str, object]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return {r["id"]: dict(r) for r in conn.execute("SELECT * FROM articles")}


def test_jsonl_round_trip(archive_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    result = kexie("export", "--with-duplicates", "-o", str(out), db=archive_db)
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    articles = stored(archive_db)
    assert f"{len(articles)} articles exported" in result.stderr and len(lines) == len(articles)
    for line in lines:
        assert list(line) == list(COLUMNS)
        row = articles[line["id"]]
        assert all(line[k] == row[k] for k in ("site", "title", "text", "text_original", "published_at", "url"))
    assert "\\u" not in out.read_text("utf-8")  # Chinese as UTF-8, not escapes
    sites = {r[0]: r[1:] for r in sqlite3.connect(archive_db).execute("SELECT key, name, level, region FROM sites")}
    assert all((line["site_name"], line["level"], line["region"]) == sites[line["site"]] for line in lines)


def test_csv_round_trip_with_bom_for_excel(archive_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    kexie("export", "--format", "csv", "--with-duplicates", "-o", str(out), db=archive_db)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    with out.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.DictReader(f))
    articles = stored(archive_db)
    assert len(table) == len(articles) and list(table[0]) == list(COLUMNS)
    for line in table:
        row = articles[int(line["id"])]
        assert line["text"] == row["text"] and line["title"] == row["title"]  # newlines and quotes survive
    assert any("\n" in line["text"] for line in table)


def test_filters_and_query_match_search(archive_db: Path) -> None:
    out = kexie("export", "-q", "科协", "--since", "2022", db=archive_db).stdout
    got = {json.loads(line)["id"] for line in out.splitlines()}
    in_range = {r[0] for r in sqlite3.connect(archive_db).execute(
        "SELECT id FROM articles WHERE published_at >= '2022-01-01'")}
    assert got == scan(archive_db, "科协", with_duplicates=False) & in_range and got
    site = json.loads(out.splitlines()[0])["site"]
    csv_out = kexie("export", "--format", "csv", "--site", site, db=archive_db).stdout
    assert csv_out.startswith("\ufeffid,site,") and all(r["site"] == site for r in csv.DictReader(
        io.StringIO(csv_out.removeprefix("\ufeff"))))


@pytest.mark.parametrize("writer", [write_jsonl, write_csv])
def test_memory_stays_flat_as_the_archive_grows(tmp_path: Path, writer: object) -> None:
    peaks = []
    for count in (300, 3000):
        conn = connect_read_only(synthetic_archive(tmp_path / f"{count}.db", count))
        with (tmp_path / f"{count}.out").open("w", encoding="utf-8", newline="") as out:
            tracemalloc.start()
            written = writer(rows(conn, Filters()), out)  # type: ignore[operator]
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        assert written == count
    # 3,000 articles hold 36 MB of text: a buffered export would peak near that, a streamed one stays flat
    assert peaks[1] < 2 * peaks[0] + 200_000 and peaks[1] < 3_000_000, peaks
