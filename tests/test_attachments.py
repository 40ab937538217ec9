"""Attachments end to end (issue 24): notices on two local sites link a Chinese CID-font PDF (the same
file on both), a DOCX, an XLSX, an XLS, a 下载 link and two 200 MiB PDFs; a real crawl into a real
SQLite file, then search, and a second crawl."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.attachweb import (
    DOCX_PHRASE,
    DOWNLOAD_PHRASE,
    FLAKY_PHRASE,
    HUGE,
    PDF_PHRASE,
    XLS_PHRASE,
    XLSX_PHRASE,
    AttachWeb,
    site_files,
)
from tests.conftest import LOCAL, ROOT, kexie, sample_archive
from tools.sampleweb.server import SampleWeb


def crawl(web: AttachWeb, sites: Path, db: Path, *extra: str) -> Any:
    moved = [arg for key, url in web.base_urls.items() for arg in ("--base-url", f"{key}={url}")]
    return kexie("crawl", "noticea", "noticeb", "--sites-dir", str(sites), *moved, *LOCAL, *extra, db=db)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("attachweb")
    web = AttachWeb(root / "web").start()
    site_files(root / "sites")
    db = root / "archive.db"
    try:
        first = crawl(web, root / "sites", db)
        hits_first = {key: list(hits) for key, hits in web.hits.items()}
        for hits in web.hits.values():
            hits.clear()
        web.failing.clear()  # the file that answered 503 is back
        second = crawl(web, root / "sites", db)
        yield {"db": db, "first": first, "second": second, "hits_first": hits_first,
               "hits_second": {key: list(hits) for key, hits in web.hits.items()}, "web": web, "root": root}
    finally:
        web.stop()


def rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_every_file_is_stored_once_with_its_kind_name_and_text(crawled: dict[str, Any]) -> None:
    db = crawled["db"]
    files = {row[0]: row[1:] for row in rows(db, "SELECT mime, size, text, text_status FROM attachments")}
    assert set(files) == {"application/pdf", "application/vnd.ms-excel",
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    assert len(rows(db, "SELECT id FROM attachments")) == 6  # pdf (on both sites), 2 docx, 2 xlsx, xls
    assert PDF_PHRASE in files["application/pdf"][1]
    assert "现将申报指南印发给你们" in files["application/pdf"][1]  # simplified; the original keeps 現將
    assert rows(db, "SELECT count(*) FROM attachments WHERE text_original LIKE '%現將申報指南%'") == [(1,)]
    assert XLS_PHRASE in files["application/vnd.ms-excel"][1]
    names = dict(rows(db, "SELECT url, name FROM attachment_urls"))
    assert {url.split("/", 3)[-1]: name for url, name in names.items()} == {
        "files/guide.pdf": "申报指南.pdf", "files/form.docx": "推荐表.docx", "files/list.xlsx": "获奖名单.xlsx",
        "files/old.xls": "示范基地名单.xls", "download?id=7": "专家推荐信.docx", "upload/2024/same.pdf": "申报指南.pdf",
        "download?id=7&gbk=1": "专家推荐信.docx",  # a raw GBK Content-Disposition read right
        "upload/2024/flaky.xlsx": "名单（补充）.xlsx"}
    # the 下载中心 link was asked for (its text announces a file) but answered a page: nothing kept of it
    assert "/xiazai/index.html" in crawled["hits_first"]["noticea"]
    assert rows(db, "SELECT count(*) FROM rejects WHERE url LIKE '%xiazai%'") == [(0,)]


def test_two_sites_linking_the_same_pdf_share_one_stored_file(crawled: dict[str, Any]) -> None:
    db = crawled["db"]
    shared = rows(db, "SELECT au.site, t.id FROM attachment_urls au JOIN attachments t ON t.id = au.attachment_id"
                      " WHERE t.mime = 'application/pdf'")
    assert sorted(site for site, _ in shared) == ["noticea", "noticeb"]
    assert len({file_id for _, file_id in shared}) == 1
    linked = rows(db, "SELECT DISTINCT a.site, a.url FROM article_attachments x JOIN articles a ON a.id = x.article_id"
                      " WHERE x.mime = 'application/pdf'")
    assert sorted(url.rsplit("/", 1)[1] for _, url in linked) == ["1.html", "1.html", "2.html"]


def test_a_200_mib_attachment_is_refused_with_its_size_and_nothing_breaks(crawled: dict[str, Any]) -> None:
    db = crawled["db"]
    refused = dict(rows(db, "SELECT url, detail FROM rejects WHERE reason = 'attachment_too_large'"))
    details = {url.rsplit("/", 1)[1]: detail for url, detail in refused.items()}
    assert set(details) == {"huge.pdf", "stream.pdf"}
    assert f"{HUGE:,} bytes" in details["huge.pdf"]  # the Content-Length it announced
    assert "KEXIE_ATTACHMENT_MAXSIZE" in details["stream.pdf"]
    # every notice is an article, the one that linked the huge files too
    assert rows(db, "SELECT count(*) FROM articles") == [(4,)]
    assert rows(db, "SELECT count(*) FROM attachments WHERE size > 1000000") == [(0,)]


def test_attachment_text_is_searchable_and_shown_as_such(crawled: dict[str, Any]) -> None:
    db = crawled["db"]
    kexie("index", db=db)
    for phrase, expected in ((PDF_PHRASE, 3), (DOCX_PHRASE, 1), (XLSX_PHRASE, 1), (XLS_PHRASE, 1),
                             (DOWNLOAD_PHRASE, 2)):
        found = kexie("search", phrase, "--json", "--attachments", "only", db=db)
        hits = [line for line in found.stdout.splitlines() if line.strip()]
        assert len(hits) == expected, (phrase, found.stdout, found.stderr)
        assert all('"attachment"' in hit for hit in hits)
        assert kexie("search", phrase, "--attachments", "none", db=db).stdout == ""
    shown = kexie("search", XLS_PHRASE, db=db).stdout
    assert "示范基地名单.xls" in shown and XLS_PHRASE in shown


def test_a_second_crawl_fetches_no_attachment_again(crawled: dict[str, Any]) -> None:
    """... except the one that failed for a while (503): its article is known, the frontier asks for it."""
    first = [p for hits in crawled["hits_first"].values() for p in hits if p.startswith(("/files", "/upload", "/down"))]
    assert len(first) >= 8 and first.count("/upload/2024/flaky.xlsx") == 3  # asked, retried twice
    again = [p for hits in crawled["hits_second"].values() for p in hits
             if not p.startswith("/news/index") and p != "/robots.txt"]
    assert again == ["/upload/2024/flaky.xlsx"]
    db = crawled["db"]
    assert len(rows(db, "SELECT id FROM attachments")) == 6  # five files of the first crawl, the late one
    assert FLAKY_PHRASE in rows(db, "SELECT text FROM attachments t JOIN attachment_urls au ON au.attachment_id"
                                    " = t.id WHERE au.url LIKE '%flaky.xlsx'")[0][0]
    assert rows(db, "SELECT count(*) FROM frontier WHERE kind = 'attachment'") == [(0,)]


def test_export_carries_attachment_metadata_and_the_files(crawled: dict[str, Any], tmp_path: Path) -> None:
    db = crawled["db"]
    kexie("index", db=db)
    out = kexie("export", "--site", "noticea", "--attachment-files", str(tmp_path / "files.zip"),
                "-o", str(tmp_path / "a.jsonl"), db=db)
    assert "attachment files written" in out.stderr
    exported = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    by_name = {item["name"]: item for article in exported for item in article["attachments"]}
    assert set(by_name) == {"申报指南.pdf", "推荐表.docx", "获奖名单.xlsx", "示范基地名单.xls", "专家推荐信.docx"}
    assert by_name["申报指南.pdf"]["mime"] == "application/pdf" and by_name["申报指南.pdf"]["size"] > 1000
    with zipfile.ZipFile(tmp_path / "files.zip") as files:
        names = files.namelist()
        assert len(names) == 6  # the PDF twice: two notices link it
        pdf = next(n for n in names if n.endswith("申报指南.pdf"))
        assert hashlib.sha256(files.read(pdf)).hexdigest() == by_name["申报指南.pdf"]["sha256"]
    kexie("export", "--site", "noticeb", "--attachment-files", str(tmp_path / "folder"), "-o", os.devnull, db=db)
    assert sorted(p.name for p in (tmp_path / "folder").glob("*/*")) == ["专家推荐信.docx", "名单（补充）.xlsx",
                                                                         "申报指南.pdf"]
    table = kexie("export", "--format", "csv", "--site", "noticeb", db=db).stdout
    assert "申报指南.pdf" in table


def test_warc_export_writes_attachments_as_response_records(crawled: dict[str, Any], tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    kexie("export", "--format", "warc", "-o", str(tmp_path / "x.warc.gz"), db=crawled["db"])
    found = {}
    with (tmp_path / "x.warc.gz").open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                found[record.rec_headers.get_header("WARC-Target-URI")] = record.content_stream().read()
    pdf = next(body for url, body in found.items() if url.endswith("/upload/2024/same.pdf"))
    assert pdf.startswith(b"%PDF-") and PDF_PHRASE not in pdf.decode("latin-1")
    assert sum(url.endswith((".pdf", ".docx", ".xlsx", ".xls", "id=7", "gbk=1")) for url in found) == 8


def test_datasette_lists_an_articles_attachments_with_download_links(crawled: dict[str, Any]) -> None:
    from tests.datasette_process import Server

    db = crawled["db"]
    kexie("index", db=db)
    (article_id,) = rows(db, "SELECT id FROM articles WHERE site = 'noticeb'")[0]
    server = Server([sys.executable, "-m", "cli", "serve", "--db", str(db)])
    try:
        page = server.text(f"/archive/articles/{article_id}")
        links = re.findall(r'href="(/-/kexie/attachment/[^"]+)">([^<]+)</a>', page)
        assert sorted(name for _, name in links) == ["专家推荐信.docx", "名单（补充）.xlsx", "申报指南.pdf"]
        pdf = next(link for link, name in links if name.endswith(".pdf"))
        with urllib.request.urlopen(server.base + pdf, timeout=30) as response:
            body = response.read()
            assert response.headers["Content-Type"] == "application/pdf"
        (sha,) = rows(db, "SELECT sha256 FROM attachments WHERE mime = 'application/pdf'")[0]
        assert hashlib.sha256(body).hexdigest() == sha
        found = server.json("/archive/search_attachments.json", q=XLS_PHRASE, _shape="array")
        assert [(r["attachment"], r["url"].rsplit("/", 1)[1]) for r in found] == [("示范基地名单.xls", "2.html")]
    finally:
        server.stop()


def test_reextract_reads_attachment_texts_again(crawled: dict[str, Any]) -> None:
    db = crawled["db"]
    with sqlite3.connect(db) as conn:  # as an older reader left it: no text
        conn.execute("UPDATE attachments SET text = '', text_status = 'unsupported' WHERE mime = 'application/pdf'")
    out = kexie("reextract", "--site", "noticeb", "--workers", "0", db=db).stdout
    assert "申报指南.pdf: text changed, unsupported -> ok" in out
    assert "attachments re-read with attachments-1: 1 changed" in out
    (text,) = rows(db, "SELECT text FROM attachments WHERE mime = 'application/pdf'")[0]
    assert PDF_PHRASE in text


def test_a_changed_attachment_at_the_same_url_is_a_new_version(crawled: dict[str, Any]) -> None:
    """Runs last: it changes the web and the archive the tests above read."""
    from bench import attachfiles

    db, web = crawled["db"], crawled["web"]
    (crawled["root"] / "web" / "noticea" / "files" / "list.xlsx").write_bytes(
        attachfiles.xlsx([["序号", "获奖项目"], [1, "更正后的获奖名单"]]))
    crawl(web, crawled["root"] / "sites", db, "--full")
    versions = rows(db, "SELECT au.version, t.text FROM attachment_urls au"
                        " JOIN attachments t ON t.id = au.attachment_id WHERE au.url LIKE '%/files/list.xlsx'"
                        " ORDER BY au.version")
    assert [v for v, _ in versions] == [1, 2]
    assert XLSX_PHRASE in versions[0][1] and "更正后的获奖名单" in versions[1][1]
    assert len(rows(db, "SELECT id FROM attachments")) == 7  # the old file kept, the others not stored again
    current = rows(db, "SELECT x.version FROM article_attachments x WHERE x.url LIKE '%/files/list.xlsx'")
    assert current == [(2,)]


def test_the_sample_webs_notices_keep_their_attachments(sample_web: SampleWeb,
                                                         tmp_path_factory: pytest.TempPathFactory) -> None:
    """expected.json's attachments (tools/sampleweb/generate/attachments_xyast.py) in the shared sample crawl."""
    db = sample_archive(sample_web, tmp_path_factory)
    want = json.loads((ROOT / "tools" / "sampleweb" / "expected.json").read_text("utf-8"))["sites"]["xyast"]
    assert len(want["attachments"]) == 4
    for item in want["attachments"]:
        found = rows(db, "SELECT x.name, x.mime, t.text, a.url FROM article_attachments x JOIN attachments t"
                         " ON t.id = x.attachment_id JOIN articles a ON a.id = x.article_id WHERE x.url LIKE ?",
                     f"%{item['path']}")
        assert len(found) == 1, item
        name, mime, text, page = found[0]
        assert (name, mime) == (item["name"], item["mime"])  # names read from a GBK page whose header says utf-8
        assert item["contains"] in text and page.endswith(item["page"])
    hits = kexie("search", "阿湖镇桃园村", "--attachments", "only", "--json", db=db).stdout.splitlines()
    assert [json.loads(hit)["url"].rsplit("/", 1)[1] for hit in hits] == ["2895.htm"]


def test_attachments_can_be_turned_off(tmp_path: Path) -> None:
    web = AttachWeb(tmp_path / "web").start()
    site_files(tmp_path / "sites")
    try:
        crawl(web, tmp_path / "sites", tmp_path / "off.db", "-s", "KEXIE_ATTACHMENTS=0")
    finally:
        web.stop()
    asked = [p for hits in web.hits.values() for p in hits if p.startswith(("/files", "/upload", "/down", "/xiazai"))]
    assert asked == []
    assert rows(tmp_path / "off.db", "SELECT count(*) FROM articles") == [(4,)]
    assert rows(tmp_path / "off.db", "SELECT count(*) FROM attachment_links") == [(0,)]
