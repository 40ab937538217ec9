"""JSON for the records a write carries across Redis (a page, an attachment), derived from their
dataclass fields, so a field added to `Page` or `Attachment` crosses without a list to keep in step.

JSON, not pickle: a message is data a person can read with `redis-cli XRANGE`, and nothing read
from Redis can run code in the archiver. Bodies are zlib-compressed and base64'd (a page's body once,
as the archive stores it); a page's MinHash
sketch travels as its arrays, so the archiver does not work it out again. An attachment travels
with its SHA-256, checked against its bytes when it arrives.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import fields
from typing import Any

import numpy as np

from archive.db import compress
from extract.attachment import Attachment
from extract.page import LOCAL, Page, names
from extract.sketch import Sketch

# body and sketch have their own encoding; what extract/page.py declares LOCAL (the parsed tree) stays home
_PAGE_SKIP = frozenset({"body", "sketch", *names(Page, LOCAL)})


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def encode_page(page: Page) -> str:
    """The page as JSON; its body compressed as the archive stores it (archive/db.py's `compress`), so
    the archiver stores those bytes as they came and compresses nothing again."""
    data: dict[str, Any] = {f.name: getattr(page, f.name) for f in fields(Page) if f.name not in _PAGE_SKIP}
    data["body"] = b64(compress(page.body))
    if page.sketch is not None:
        data["sketch"] = {"shingles": b64(page.sketch.shingles.tobytes()), "sdtype": str(page.sketch.shingles.dtype),
                          "signature": b64(page.sketch.signature.tobytes()),
                          "gdtype": str(page.sketch.signature.dtype), "keys": list(page.sketch.keys)}
    return json.dumps(data, ensure_ascii=False)


def decode_page(text: str) -> Page:
    return decode_stored_page(text)[0]


def decode_stored_page(text: str) -> tuple[Page, bytes]:
    """The page, and its body compressed as it came (what the archive stores)."""
    data = json.loads(text)
    stored = base64.b64decode(data.pop("body"))
    body = zlib.decompress(stored)
    sketch = data.pop("sketch", None)
    page = Page(body=body, **data)
    page.boilerplate = tuple(page.boilerplate)
    page.meta_dates = [(a, b) for a, b in page.meta_dates]
    if sketch is not None:
        page.sketch = Sketch(np.frombuffer(base64.b64decode(sketch["shingles"]), dtype=sketch["sdtype"]),
                             np.frombuffer(base64.b64decode(sketch["signature"]), dtype=sketch["gdtype"]),
                             tuple(sketch["keys"]))
    return page, stored


def encode_attachment(item: Attachment, extractor_version: str) -> str:
    data = {f.name: getattr(item, f.name) for f in fields(Attachment) if f.name != "body"}
    return json.dumps({**data, "body": b64(zlib.compress(item.body, 1)), "extractor_version": extractor_version},
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
