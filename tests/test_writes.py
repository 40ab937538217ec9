"""The writes that cross from the crawl to the archive (dedupe/writes.py): each crosses the Redis
wire as the kind it declares and does the same to an archive after the trip as before it; a write
that is not one of them (a closure) never crosses; local and Redis queues batch alike."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest

from archive import frontier
from archive.db import Archive, compress
from archive.writer import BatchWriter, WriteQueue
from bench import attachfiles
from dedupe.writes import (
    KINDS,
    AttachmentLink,
    AttachmentReject,
    AttachmentWrite,
    ContainerNote,
    FrontierNote,
    PageWrite,
    RunBegin,
    RunEnd,
    Write,
)
from distributed.outbox import StreamWriter
from distributed.wire import decode_write, encode_write
from extract.attachment import Attachment, describe
from extract.attachment_text import EXTRACTOR_VERSION, process_attachment
from extract.container import Container
from extract.page import Page
from extract.process import process

HTML = ("<html><head><title>县科协召开科普工作会议</title></head><body><h1>县科协召开科普工作会议</h1>"
        "<p>发布日期：2024年3月10日</p>" + "".join(f"<p>会议回顾了第{i}项科普惠农工作，安排了第{i + 2}项"
                                          f"青少年科技教育任务，{i * 11}名科技工作者到会。</p>" for i in range(10))
        + "</body></html>").encode("utf-8")


def writes(run_id: int) -> list[Write]:
    page = process(Page(url="http://kx.example/n/1.htm", body=HTML, site="kx", run_id=run_id,
                        fetched_at="2024-03-11T00:00:00+00:00", from_frontier=True))
    assert page.text and page.sketch is not None and not page.reject_reason
    item = process_attachment(describe(Attachment(
        url="http://kx.example/f/a.xlsx", body=attachfiles.xlsx([["序号", "名單"], [1, "科技志願者"]]), site="kx",
        canonical_url="http://kx.example/f/a.xlsx", page_url="http://kx.example/n/1.htm", link_text="附件：名單.xlsx",
        headers={"Content-Type": "application/octet-stream"}, fetched_at="2024-03-11T00:00:00+00:00", run_id=run_id)))
    return [
        RunBegin(run_id, "kx", "w1", "2024-03-11T00:00:00+00:00"),
        FrontierNote("visiting", "kx", "http://kx.example/list_2.htm", "list", run_id=run_id),
        FrontierNote("visiting", "kx", "http://kx.example/list_3.htm", "list", run_id=run_id),
        FrontierNote("failed", "kx", "http://kx.example/list_3.htm", "list", "HTTP 503", run_id),
        FrontierNote("visiting", "kx", "http://kx.example/n/1.htm", "article", run_id=run_id),
        FrontierNote("visited", "kx", "http://kx.example/list_2.htm"),
        PageWrite(page),
        AttachmentLink("http://kx.example/n/1.htm", "http://kx.example/f/a.xlsx", "kx", "附件：名單.xlsx"),
        AttachmentWrite(item, EXTRACTOR_VERSION),
        AttachmentReject("http://kx.example/f/b.zip", "http://kx.example/f/b.zip", "kx", "attachment_too_large",
                         "over the limit", run_id),
        ContainerNote("kx", run_id, Container("//*[@id='zoom']", 60, 0.25, ("打印本页",))),
        RunEnd(run_id, "kx", "w1", {"finish_reason": "finished", "requests": 4, "errors": 1,
                                    "errors_by_status": "{}", "duration_s": 2.5, "complete": True}),
    ]


def rows(archive: Archive) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the writes touch, without the columns that say when (the clock moves between two runs)."""
    found = {}
    for table in ("pages", "articles", "article_urls", "frontier", "attachments", "attachment_urls",
                  "attachment_links", "rejects", "crawl_runs", "sites", "learned_containers"):
        columns = [c.name for c in archive.db[table].columns
                   if not c.name.endswith("_at") and c.name not in ("first_seen", "id")]
        found[table] = sorted(archive.db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall(),
                              key=repr)
    return found


def new_archive(path: Path) -> Archive:
    archive = Archive(path)
    archive.upsert_site({"key": "kx", "name": "县科协", "level": "county", "region": "", "official": 1, "spam": 0,
                         "verified": 1, "base_url": "http://kx.example/", "config_path": ""})
    assert archive.start_run("kx") == 1  # the run the writes name
    return archive


def apply_all(path: Path, batch: list[Write]) -> dict[str, list[tuple[Any, ...]]]:
    archive = new_archive(path)
    results: list[Any] = []
    writer = BatchWriter(archive)
    for write in batch:
        writer.add(write, lambda result, error: results.append((result, error)))
    assert writer.flush() is None and [error for _, error in results] == [None] * len(batch)
    found = rows(archive)
    archive.close()
    return found


def test_every_write_crosses_the_wire_as_its_kind_and_writes_the_same_after(tmp_path: Path) -> None:
    sent = writes(1)
    assert {type(w) for w in sent} == set(KINDS.values())  # every kind a message may carry, tried here
    messages = [encode_write(w) for w in sent]
    assert [m["type"] for m in messages] == [type(w).kind for w in sent]
    back = [decode_write(m) for m in messages]
    for before, after in zip(sent, back, strict=True):
        assert type(after) is type(before) and after.site == before.site == "kx"
        if not isinstance(before, (PageWrite, AttachmentWrite)):
            assert after == before
    here, there = apply_all(tmp_path / "here.db", sent), apply_all(tmp_path / "there.db", back)
    assert here == there
    assert len(here["articles"]) == 1 and len(here["attachments"]) == 1 and here["attachment_links"]
    assert [row[:2] for row in here["rejects"]] == [("http://kx.example/f/b.zip", "http://kx.example/f/b.zip")]
    assert [row[:2] for row in here["frontier"]] == [("kx", "http://kx.example/list_3.htm")]  # the others done
    assert here["learned_containers"] == [("kx", "//*[@id='zoom']", 60, 0.25, '["打印本页"]', 1)]


def test_a_closure_never_crosses_to_the_archiver() -> None:
    with pytest.raises(TypeError, match="cannot be sent to the archiver"):
        encode_write(partial(frontier.visited, site="kx", url="http://kx.example/a"))  # type: ignore[arg-type]


def test_local_and_redis_queues_batch_alike() -> None:
    """One batching (archive/writer.py's WriteQueue): the local queue and a worker's Redis queue differ
    only in where a batch goes."""
    for queue in (BatchWriter, StreamWriter):
        assert issubclass(queue, WriteQueue)
        assert all(getattr(queue, name) is getattr(WriteQueue, name) for name in ("add", "due", "flush", "__len__"))


def test_a_distributed_page_body_is_compressed_once(tmp_path: Path) -> None:
    """The worker compresses the body as the archive stores it; the archiver stores those very bytes."""
    page = next(w for w in writes(1) if isinstance(w, PageWrite)).page
    arrived = decode_write(encode_write(PageWrite(page)))
    assert isinstance(arrived, PageWrite) and arrived.page.body == page.body
    assert arrived.stored_body == compress(page.body) and len(arrived.stored_body) < len(page.body)
    archive = new_archive(tmp_path / "a.db")
    assert archive.add_page(arrived.page, 1, arrived.stored_body) == 1
    assert archive.db.execute("SELECT body FROM pages").fetchone()[0] == arrived.stored_body
