"""Attachments of a notice (附件1 申报指南.pdf, 推荐表.docx, 获奖名单.xlsx): which links are files, what a
fetched file is, and what it is called.

Much of what associations publish is a short notice whose substance is in its attachments, so an
article page's file links are fetched with it and archived once per content (archive/attachments.py).
Pure: bytes and strings in, fields out, so the item pickles to the extraction workers like a Page.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

# file suffixes that make a link an attachment, whatever its text
SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".zip", ".rar", ".ofd"})
# link texts that announce a file; such a link is kept only if its response is a file (not HTML)
_ANNOUNCE = re.compile(r"附件|附表|下[载載]")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(repr=False)
class Attachment:
    """One fetched attachment file, from the article page that linked it to the archive."""

    url: str
    body: bytes
    site: str = ""
    canonical_url: str = ""
    page_url: str = ""  # the article page that linked it (the first one, when several do)
    link_text: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: str = ""
    run_id: int | None = None
    # filled by `describe` (crawl process) and extract/attachment_text.py (a worker)
    sha256: str = ""
    size: int = 0
    mime: str = ""
    name: str = ""
    text: str = ""
    text_original: str = ""
    text_status: str = ""  # ok | no_text (a scan: no OCR) | unsupported | error: …
    reject_reason: str | None = None
    reject_detail: str = ""

    def __repr__(self) -> str:
        return f"<Attachment {self.site} {self.url} {len(self.body)} bytes>"


def is_attachment_link(url: str, text: str) -> bool | None:
    """True for a link to a file by its suffix; None for a link whose text announces a file (附件, 下载):
    kept only if its response is no HTML page; False otherwise."""
    suffix = PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()
    if suffix in SUFFIXES:
        return True
    return None if _ANNOUNCE.search(text or "") else False


def sniff_mime(body: bytes, hint: str = "") -> str:
    """The MIME type the bytes show (the server's label is often wrong); `hint`, a file name, only
    tells an old Office file's kind (Word or Excel) when its streams are not looked into."""
    if body.startswith(b"%PDF-"):
        return "application/pdf"
    if body.startswith(b"Rar!\x1a\x07"):
        return "application/vnd.rar"
    if body.startswith(b"PK\x03\x04"):
        return _zip_kind(body)
    if body.startswith(_OLE):
        return _ole_kind(body, hint)
    head = body[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "text/html"
    return "application/octet-stream"


def _zip_kind(body: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "application/zip"
    if any(name.startswith("word/") for name in names):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if any(name.startswith("xl/") for name in names):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if any(name.upper() == "OFD.XML" for name in names):
        return "application/ofd"
    return "application/zip"


def _ole_kind(body: bytes, hint: str) -> str:
    """Word or Excel (or WPS/ET, their Chinese twins) by the stream names in the compound file's
    directory, which are UTF-16: WordDocument, Workbook/Book."""
    if "WordDocument".encode("utf-16-le") in body:
        return "application/msword"
    if "Workbook".encode("utf-16-le") in body or "Book".encode("utf-16-le") in body:
        return "application/vnd.ms-excel"
    suffix = PurePosixPath(hint).suffix.lower()
    return {".xls": "application/vnd.ms-excel", ".et": "application/vnd.ms-excel"}.get(suffix, "application/msword")


def file_name(content_disposition: str, link_text: str, url: str) -> str:
    """Content-Disposition's filename (RFC 6266/2231, or raw UTF-8/GBK bytes as many servers send),
    else the link text when it names a file, else the URL's last path segment."""
    if content_disposition:
        message = EmailMessage()
        try:
            message["Content-Disposition"] = content_disposition
            name = message.get_filename()
        except (ValueError, TypeError, IndexError):
            name = None
        if name:
            return _tidy_name(unquote(name))
    text = re.sub(r"\s+", " ", link_text or "").strip()
    if text and PurePosixPath(text).suffix.lower() in SUFFIXES:
        return _tidy_name(re.sub(r"^附件\s*\d*\s*[:：.、]?\s*", "", text))
    last = PurePosixPath(unquote(urlsplit(url).path)).name
    return _tidy_name(last or text or "attachment")


def _tidy_name(name: str) -> str:
    """A file name without folders or control characters (it becomes a path in `kexie export`)."""
    name = re.sub(r"[\x00-\x1f/\\]", "_", name).strip(" .")
    return name[:200] or "attachment"


def describe(attachment: Attachment) -> Attachment:
    """SHA-256, size, MIME type from the bytes and file name: cheap, so done in the crawl process."""
    body = attachment.body
    attachment.sha256 = hashlib.sha256(body).hexdigest()
    attachment.size = len(body)
    disposition = next((v for k, v in attachment.headers.items() if k.lower() == "content-disposition"), "")
    attachment.name = file_name(disposition, attachment.link_text, attachment.url)
    attachment.mime = sniff_mime(body, attachment.name)
    return attachment
