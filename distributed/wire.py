"""What travels through Redis between the enqueuer, the workers and the archiver, as JSON.

JSON, not pickle: a message is data a person can read with `redis-cli XRANGE`, and nothing
read from Redis can run code in the archiver. Page and attachment bodies are zlib-compressed and
base64'd; a page's MinHash sketch travels as its arrays, so the archiver does not work it out again.
An attachment travels with its SHA-256, checked against its bytes when it arrives.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import asdict, dataclass, fields
from functools import partial
from typing import Any, get_type_hints

import numpy as np

from archive import frontier
from archive.attachments import add_attachment_reject, link_attachment, store_attachment
from crawler.sitestate import SiteStart
from dedupe.write import write_page
from extract.attachment import Attachment
from extract.page import Page
from extract.sketch import Sketch
from siteconfig.sites import SiteConfig

# the frontier changes a worker may ask of the archive, by name
FRONTIER_OPS = {"visiting": frontier.visiting, "visited": frontier.visited, "failed": frontier.failed}
_OP_NAMES = {func: name for name, func in FRONTIER_OPS.items()}
# the attachment writes a worker may ask of the archive (archive/attachments.py), by message type
ATTACHMENT_OPS = {"attachment_link": link_attachment, "attachment_reject": add_attachment_reject}
_ATTACHMENT_TYPES = {func: name for name, func in ATTACHMENT_OPS.items()}
_TUPLES = {f.name for f in fields(SiteConfig) if str(get_type_hints(SiteConfig)[f.name]).startswith("tuple")}
_PAGE_SKIP = {"body", "sketch", "metadata"}


@dataclass
class SiteJob:
    """One site's crawl, as queued: its config (a worker needs no site files) and its start."""

    config: SiteConfig
    start: SiteStart
    full: bool = False
    archive: str = ""  # the id of the archive it was queued from (archive/identity.py) ...
    archive_path: str = ""  # ... and where that archive is, for the archiver's error message


def encode_job(job: SiteJob) -> str:
    start = asdict(job.start)
    start.pop("known")  # in Redis beside the job (it can be large, and the archiver adds to it) ...
    start.pop("known_attachments")  # ... as are the archived attachment URLs
    return json.dumps({"config": asdict(job.config), "start": start, "full": job.full,
                       "archive": {"id": job.archive, "path": job.archive_path}}, ensure_ascii=False)


def decode_job(text: str, known: set[str], known_attachments: set[str] | None = None) -> SiteJob:
    """The job a worker took, with the sets Redis keeps beside it."""
    data = json.loads(text)
    values: dict[str, Any] = {k: tuple(v) if k in _TUPLES else v for k, v in data["config"].items()}
    config = SiteConfig(**values)
    start, archive = data["start"], data.get("archive") or {}
    return SiteJob(config=config, full=bool(data["full"]), archive=archive.get("id", ""),
                   archive_path=archive.get("path", ""), start=SiteStart(
        run_id=int(start["run_id"]), known=known, last_run=start["last_run"],
        boilerplate=tuple(start["boilerplate"]), stop_early=bool(start["stop_early"]),
        resume=[(url, kind) for url, kind in start["resume"]], known_attachments=known_attachments or set(),
        linked={url: (page, text) for url, (page, text) in (start.get("linked") or {}).items()}))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def encode_page(page: Page) -> str:
    data = {f.name: getattr(page, f.name) for f in fields(Page) if f.name not in _PAGE_SKIP}
    data["body"] = _b64(zlib.compress(page.body, 1))
    if page.sketch is not None:
        data["sketch"] = {"shingles": _b64(page.sketch.shingles.tobytes()), "sdtype": str(page.sketch.shingles.dtype),
                          "signature": _b64(page.sketch.signature.tobytes()),
                          "gdtype": str(page.sketch.signature.dtype), "keys": list(page.sketch.keys)}
    return json.dumps(data, ensure_ascii=False)


def decode_page(text: str) -> Page:
    data = json.loads(text)
    body = zlib.decompress(base64.b64decode(data.pop("body")))
    sketch = data.pop("sketch", None)
    page = Page(body=body, **data)
    page.boilerplate = tuple(page.boilerplate)
    page.meta_dates = [(a, b) for a, b in page.meta_dates]
    if sketch is not None:
        page.sketch = Sketch(np.frombuffer(base64.b64decode(sketch["shingles"]), dtype=sketch["sdtype"]),
                             np.frombuffer(base64.b64decode(sketch["signature"]), dtype=sketch["gdtype"]),
                             tuple(sketch["keys"]))
    return page


def encode_attachment(item: Attachment, extractor_version: str) -> str:
    data = {f.name: getattr(item, f.name) for f in fields(Attachment) if f.name != "body"}
    return json.dumps({**data, "body": _b64(zlib.compress(item.body, 1)), "extractor_version": extractor_version},
                      ensure_ascii=False)


def decode_attachment(text: str) -> tuple[Attachment, str]:
    """The attachment and the version of the text extractor that read it; ValueError when its bytes
    are not the file its SHA-256 names (they are stored once by that hash)."""
    data = json.loads(text)
    body = zlib.decompress(base64.b64decode(data.pop("body")))
    version = str(data.pop("extractor_version"))
    item = Attachment(body=body, **data)
    if hashlib.sha256(body).hexdigest() != item.sha256 or len(body) != item.size:
        raise ValueError(f"the bytes of attachment {item.url} do not match its SHA-256 and size")
    return item, version


def op_site(op: Any) -> str:
    """The site a write of the crawl belongs to ("" when it names none)."""
    if isinstance(op, partial) and op.func is write_page:
        return str(op.args[0].site)
    if isinstance(op, partial) and op.func is store_attachment:
        return str(op.keywords["item"].site)
    if isinstance(op, partial):
        return str(op.keywords.get("site", ""))
    if isinstance(op, Message):
        return str(json.loads(op.fields.get("data", "{}")).get("site", ""))
    return ""


def encode_write(op: Any) -> dict[str, str]:
    """A write the crawl queued for the archive (dedupe/write.py's write_page of a page, a frontier
    change, an attachment stored, refused or linked) as a message; anything else has no business
    crossing to the archiver."""
    if isinstance(op, partial) and op.func is write_page:
        return {"type": "page", "data": encode_page(op.args[0])}
    if isinstance(op, partial) and op.func is store_attachment and not op.args:
        return {"type": "attachment", "data": encode_attachment(op.keywords["item"], op.keywords["extractor_version"])}
    if isinstance(op, partial) and op.func in _ATTACHMENT_TYPES and not op.args:
        return {"type": _ATTACHMENT_TYPES[op.func], "data": json.dumps(op.keywords, ensure_ascii=False)}
    if isinstance(op, partial) and op.func in _OP_NAMES and not op.args:
        return {"type": "frontier", "op": _OP_NAMES[op.func], "data": json.dumps(op.keywords, ensure_ascii=False)}
    if isinstance(op, Message):
        return op.fields
    raise TypeError(f"{op!r} cannot be sent to the archiver")


@dataclass
class Message:
    """A worker's note to the archiver that is not a write of the crawl (a run began, a run ended)."""

    fields: dict[str, str]

    def __call__(self, archive: Any) -> None:  # BatchWriter's op signature; never run on a worker
        raise TypeError("a message is sent, not written")


def run_message(kind: str, run_id: int, site: str, **data: Any) -> Message:
    return Message({"type": kind, "data": json.dumps({"run_id": run_id, "site": site, **data}, ensure_ascii=False)})
