"""Attachments in a distributed crawl (issue 24), on a real redis-server with real worker and archiver
processes: the notices of tests/attachweb.py (a CID-font PDF on both sites, DOCX, XLSX, XLS, 下载 links,
two 200 MiB PDFs, a file answering 503 the first time) crawled by two workers and an archiver must
leave exactly the attachments, links, rejects and frontier notes one `kexie crawl` process leaves,
fetching the same files; a second round, reading every notice again (refresh_days), fetches no stored
file again."""

from __future__ import annotations

import base64
import json
import sqlite3
import zlib
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from bench import attachfiles
from dedupe.writes import AttachmentWrite
from distributed.queue import RedisQueue
from distributed.wire import decode_attachment, encode_write
from extract.attachment import Attachment, describe
from extract.attachment_text import EXTRACTOR_VERSION, process_attachment
from tests.attachweb import AttachWeb, site_files
from tests.conftest import LOCAL, kexie
from tests.redis_crawl import archiver, finish, run_counts, snapshot, worker
from tests.redis_process import redis_server

_FILES = ("/files", "/upload", "/download", "/xiazai")
_QUERIES = {  # everything of the attachment tables but fetch times and ids (run ids become sites)
    "files": "SELECT sha256, size, mime, body, text, text_original, text_status, extractor_version"
             " FROM attachments ORDER BY sha256",
    "urls": "SELECT u.url, u.canonical_url, u.site, t.sha256, u.version, u.name, u.content_type,"
            " (SELECT site FROM crawl_runs r WHERE r.id = u.run_id) FROM attachment_urls u"
            " JOIN attachments t ON t.id = u.attachment_id ORDER BY u.canonical_url, u.version",
    "links": "SELECT page_url, attachment_url, site, link_text FROM attachment_links ORDER BY 1, 2",
    "rejects": "SELECT url, canonical_url, site, reason, detail FROM rejects WHERE reason LIKE 'attachment%'"
               " ORDER BY canonical_url",
    "frontier": "SELECT site, url, kind, state, attempts, reason FROM frontier ORDER BY site, url",
    "shown": "SELECT a.canonical_url, x.name, x.url, x.version FROM article_attachments x"
             " JOIN articles a ON a.id = x.article_id ORDER BY 1, 3",
}


def attachment_rows(db: Path) -> dict[str, list[Any]]:
    with sqlite3.connect(db) as conn:
        found = {name: conn.execute(sql).fetchall() for name, sql in _QUERIES.items()}
    found["files"] = [(*row[:3], zlib.decompress(row[3]), *row[4:]) for row in found["files"]]
    return found


def fetched_files(web: AttachWeb) -> list[str]:
    """The file paths asked for since the last call, of both sites (then forgotten)."""
    paths = sorted(f"{key}{path}" for key, hits in web.hits.items() for path in hits if path.startswith(_FILES))
    for hits in web.hits.values():
        hits.clear()
    return paths


def test_workers_fetch_attachments_and_the_archiver_stores_what_one_process_stores(tmp_path: Path) -> None:
    web = AttachWeb(tmp_path / "web").start()
    sites = tmp_path / "sites"
    site_files(sites)
    for site in sites.glob("*.toml"):  # the second round reads the notices again: their links are met again
        site.write_text(site.read_text("utf-8") + "[incremental]\nrefresh_days = 3650\n", "utf-8")
    moved = [arg for key, url in web.base_urls.items() for arg in ("--base-url", f"{key}={url}")]
    local, dist = tmp_path / "local.db", tmp_path / "dist.db"
    try:
        with redis_server(tmp_path / "redis") as url:
            def local_round() -> list[str]:
                kexie("crawl", "noticea", "noticeb", "--sites-dir", str(sites), *moved, *LOCAL, db=local)
                return fetched_files(web)

            def distributed_round(*names: str) -> list[str]:
                queued = kexie("crawl", "noticea", "noticeb", "--sites-dir", str(sites), *moved, "--redis", url,
                               db=dist).stdout
                assert queued.count("queued (run") == 2, queued
                finish(tmp_path, *(worker(tmp_path, url, name, "--sites", "1") for name in names),
                       archiver(tmp_path, url, dist))
                return fetched_files(web)

            fetched_local = local_round()
            fetched_dist = distributed_round("w1", "w2")
            assert "noticea/files/guide.pdf" in fetched_dist, "the workers fetched the attachments"
            assert fetched_dist == fetched_local, "the same files asked for (retries and refusals included)"
            local_rows, dist_rows = attachment_rows(local), attachment_rows(dist)
            assert len(dist_rows["files"]) == 5 and len(dist_rows["rejects"]) == 2  # flaky.xlsx: 503, in the frontier
            assert [row[2] for row in dist_rows["frontier"]] == ["attachment"]
            assert dist_rows == local_rows
            assert snapshot(dist) == snapshot(local)
            assert run_counts(dist) == run_counts(local)

            # the second round: no stored file is asked for again, though every notice linking one is
            # read again; the one that failed is (the frontier asks too), named by its link text; the
            # files refused as too large are asked again when their page is read again, as locally
            web.failing.clear()
            last_local, last_dist = (len(run_counts(db)) for db in (local, dist))
            stored = {row[0].split("/", 3)[-1] for row in dist_rows["urls"]}
            again = local_round()
            assert distributed_round("w1") == again
            assert "noticeb/upload/2024/flaky.xlsx" in again and "noticea/files/huge.pdf" in again
            assert not {path.split("/", 1)[1] for path in again} & stored, "a stored file was fetched again"
            assert dist_rows["links"] == attachment_rows(dist)["links"], "the links met again are kept once"
            dist_rows = attachment_rows(dist)
            assert dist_rows == attachment_rows(local)
            assert len(dist_rows["files"]) == 6 and dist_rows["frontier"] == []
            assert ("upload/2024/flaky.xlsx", "名单（补充）.xlsx") in {
                (row[0].split("/", 3)[-1], row[5]) for row in dist_rows["urls"]}
            assert run_counts(dist, last_dist) == run_counts(local, last_local)
            status = RedisQueue(url).status()
            assert (status["jobs_left"], status["pages_waiting"], status["active_sites"]) == (0, 0, 0), status
            assert not list(RedisQueue(url).r.scan_iter("kexie:known*")), "the finished sites' sets are gone"
    finally:
        web.stop()


def test_an_attachment_crosses_redis_unchanged_and_altered_bytes_are_refused() -> None:
    """Everything store_attachment reads survives JSON; bytes that are not the file its SHA-256 names
    (the file is stored once by that hash) are refused on arrival, never stored."""
    item = process_attachment(describe(Attachment(
        url="http://kx.example/files/a.xlsx", body=attachfiles.xlsx([["序号", "名單"], [1, "科技志願者"]]), site="kx",
        canonical_url="http://kx.example/files/a.xlsx", page_url="http://kx.example/news/1.html",
        link_text="附件：名單.xlsx", headers={"Content-Type": "application/octet-stream"},
        fetched_at="2026-12-07T08:00:00+00:00", run_id=3)))
    assert item.text and item.text != item.text_original  # simplified, the original kept
    write = AttachmentWrite(item, EXTRACTOR_VERSION)
    message = encode_write(write)
    assert message["type"] == "attachment" and write.site == "kx"
    back, version = decode_attachment(message["data"])
    assert version == EXTRACTOR_VERSION and asdict(back) == asdict(item)
    altered = json.loads(message["data"])
    altered["body"] = base64.b64encode(zlib.compress(item.body[:-1] + b"x")).decode("ascii")
    with pytest.raises(ValueError, match="do not match its SHA-256"):
        decode_attachment(json.dumps(altered))
