"""WARC export of the raw pages, so the archive can be read by the tools archivists already use
(pywb, warcio, Heritrix/Browsertrix tooling) and not only through SQLite.

One gzip member per record (the standard .warc.gz, seekable record by record): a `warcinfo` record
first, then one `response` record per row of `pages`, in id order (then one per attachment fetch, their
page_id empty in the sidecar), read in batches so memory stays flat
whatever the archive's size. No `request` records: the archive never stored what was sent, and a made-up
request would be evidence of nothing.

The HTTP head is rebuilt from the stored headers JSON: Scrapy hands bodies over already decoded, so a
Content-Encoding or Transfer-Encoding kept from the wire would make readers decode them a second time;
they are dropped and Content-Length is set to the stored body's length.

The archive is opened read-only, so the record offsets go to a CSV sidecar next to the WARC
(`X.warc.gz` -> `X.offsets.csv`): page_id, url, warc_date, status, warc_filename, offset, length.
"""

from __future__ import annotations

import csv
import http
import io
import json
import os
import sqlite3
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from itertools import chain
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from archive.attachment_export import warc_records
from archive.queries import Filters

BATCH = 200  # pages read per query: bodies are held one batch at a time
SIDECAR_COLUMNS = ("page_id", "url", "warc_date", "status", "warc_filename", "offset", "length")
# hop-by-hop or wire encodings that no longer describe the stored (decoded) body
_DROPPED = frozenset({"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"})


def pages_sql(filters: Filters) -> tuple[str, dict[str, Any]]:
    """One batch of pages after :after. Site, level and region filter as for articles; --since and
    --until select by capture day (fetched_at), the date a WARC record carries."""
    conds, params = filters.where(table="p", date="fetched_at", near=False)
    conds.insert(0, "p.id > :after")
    sql = ("SELECT p.id, p.url, p.status, p.headers, p.body, p.fetched_at FROM pages p"
           f" WHERE {' AND '.join(conds)} ORDER BY p.id LIMIT :batch")
    return sql, params


def pages(conn: sqlite3.Connection, filters: Filters, batch: int = BATCH) -> Iterator[tuple[Any, ...]]:
    """The selected pages in id order, `batch` rows a query (keyset paging, no OFFSET rescans)."""
    sql, params = pages_sql(filters)
    after = 0
    while True:
        cursor = conn.execute(sql, {**params, "after": after, "batch": batch})
        cursor.row_factory = None
        rows = cursor.fetchall()
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1][0]


def http_head(status: int | None, headers_json: str | None, length: int) -> StatusAndHeaders:
    """The response's status line and headers as stored, fit for the decoded body that follows."""
    code = status or 200
    try:
        reason = http.HTTPStatus(code).phrase
    except ValueError:
        reason = ""
    try:
        stored = json.loads(headers_json or "{}")
    except ValueError:
        stored = {}
    clean = [(str(k), " ".join(str(v).splitlines())) for k, v in (stored if isinstance(stored, dict) else {}).items()
             if str(k).lower() not in _DROPPED]
    clean.append(("Content-Length", str(length)))
    return StatusAndHeaders(f"{code} {reason}".strip(), clean, protocol="HTTP/1.1")


def warc_date(fetched_at: str | None) -> str:
    """fetched_at (ISO 8601, UTC when it has no offset) as a WARC-Date; now when it is missing."""
    try:
        when = datetime.fromisoformat(fetched_at or "")
    except ValueError:
        when = datetime.now(UTC)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return str(datetime_to_iso_date(when))


def sidecar_path(output: Path) -> Path:
    """X.warc.gz, X.warc or X -> X.offsets.csv, beside the WARC."""
    stem = output.name.removesuffix(".gz").removesuffix(".warc")
    return output.with_name(f"{stem}.offsets.csv")


def _software() -> str:
    try:
        return f"kexie-archive/{version('kexie-archive')} warcio/{version('warcio')}"
    except PackageNotFoundError:
        return "kexie-archive"


def write_warc(conn: sqlite3.Connection, filters: Filters, output: Path, about: dict[str, str],
               files: list[int] | None = None) -> int:
    """Write the selected pages (then the attachment files) to `output` and its sidecar; returns the number
    of pages written, and appends the number of attachment files to `files` when given.

    Both files are written under a .part name and renamed at the end, so an interrupted export
    leaves no WARC that looks complete."""
    sidecar = sidecar_path(output)
    parts = [output.with_name(output.name + ".part"), sidecar.with_name(sidecar.name + ".part")]
    count = attachments = 0
    try:
        with parts[0].open("wb") as out, parts[1].open("w", encoding="utf-8", newline="") as index:
            table = csv.writer(index)
            table.writerow(SIDECAR_COLUMNS)
            writer = WARCWriter(out, gzip=True)
            info = writer.create_warcinfo_record(output.name, {
                "software": _software(), "format": "WARC File Format 1.0",
                "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
                "description": "Raw pages of the kexie archive, one response record each. HTTP status lines and"
                               " headers are rebuilt from stored headers; bodies are stored decoded, so"
                               " Content-Encoding and Transfer-Encoding are dropped and Content-Length is the"
                               " body's length. No request records (requests were not stored). Attachment files"
                               " (PDF, Word, Excel…) follow the pages, one response record per fetch, bytes as"
                               " fetched.",
                **about})
            writer.write_record(info)
            info_id = info.rec_headers.get_header("WARC-Record-ID")
            raw = ((page_id, url, status, headers, zlib.decompress(body) if body else b"", fetched_at)
                   for page_id, url, status, headers, body, fetched_at in pages(conn, filters))
            stored_files = (("", *record) for record in warc_records(conn, filters))  # attachments: no page_id
            for page_id, url, status, headers, payload, fetched_at in chain(raw, stored_files):
                date = warc_date(fetched_at)
                record = writer.create_warc_record(
                    url, "response", payload=io.BytesIO(payload), length=len(payload),
                    warc_headers_dict={"WARC-Type": "response", "WARC-Date": date, "WARC-Warcinfo-ID": info_id},
                    http_headers=http_head(status, headers, len(payload)))
                offset = out.tell()
                writer.write_record(record)
                table.writerow((page_id, url, date, status, output.name, offset, out.tell() - offset))
                count += page_id != ""
                attachments += page_id == ""
        for part, final in zip(parts, (output, sidecar), strict=True):
            os.replace(part, final)
    finally:
        for part in parts:
            part.unlink(missing_ok=True)
    if files is not None:
        files.append(attachments)
    return count
