"""Is this body an HTML page at all?  Look at the bytes, not only at the label.

Article links on association sites also lead to PDFs, Word files, images and archives, often
served as text/html; decoded as gb18030 such a body reads as plausible Chinese and would be
stored as an article.  So: magic numbers, NUL and control bytes, JSON/XML documents, and a
Content-Type that is clearly not HTML when the bytes do not look like HTML either.  Real HTML
behind a wrong label (text/plain, application/octet-stream) is kept: the bytes decide.
"""

from __future__ import annotations

import re

HEAD = 8192  # bytes looked at: binary files show themselves long before this
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a zip archive, docx or xlsx"),
    (b"PK\x05\x06", "an empty zip archive"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"), (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"ID3", "an MP3 audio file"), (b"\xff\xfb", "an MP3 audio file"),
    (b"\xff\xf3", "an MP3 audio file"), (b"\x1f\x8b", "gzip data that was not decoded"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"), (b"OggS", "an Ogg media file"),
    (b"%!PS", "a PostScript document"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"), (b"\x1aE\xdf\xa3", "a WebM/Matroska video"), (b"FLV\x01", "a Flash video"),
    (b"wOFF", "a web font"), (b"wOF2", "a web font"), (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"\xfd7zXZ\x00", "an xz archive"), (b"\x7fELF", "an executable"), (b"MZ\x90\x00", "a Windows executable"),
    (b"\x00\x00\x01\x00", "an icon image"), (b"8BPS", "a Photoshop image"),
)
_RIFF = {b"WEBP": "a WebP image", b"AVI ": "an AVI video", b"WAVE": "a WAV audio file"}
_TEXT_SPACE = b" \t\r\n\x0c"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTMLISH = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|p|div|table|br|script|link|style|a|span"
                      rb"|font|center|frameset|iframe|form|h[1-6]|ul|img|section|article)[\s>/]", re.IGNORECASE)
_CONTROLS = re.compile(rb"[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")  # ESC (\x1b) is ISO-2022 text
_JSON = re.compile(rb"(?:\{\s*[\"}]|\[\s*(?:[\"{\[\]]|-?\d+\s*[,\]]|true|false|null))")
_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_XML_ROOTS = {b"rss", b"feed", b"urlset", b"sitemapindex", b"svg", b"rdf", b"opml", b"kml", b"gpx", b"xsl"}
_UTF16 = ((re.compile(rb"(?:[\t\n\r\x20-\x7e]\x00){8}"), "utf-16-le"), (re.compile(rb"(?:\x00[\t\n\r\x20-\x7e]){8}"),
                                                                      "utf-16-be"))
_NOT_HTML = {"application/pdf", "application/zip", "application/x-zip-compressed", "application/octet-stream",
             "application/msword", "application/x-rar-compressed", "application/x-7z-compressed", "application/gzip",
             "application/x-gzip", "application/x-tar", "application/x-msdownload", "application/x-shockwave-flash",
             "application/java-archive", "application/postscript", "application/rtf", "application/x-bzip2",
             "application/json", "application/xml", "text/xml", "application/rss+xml",
             "application/atom+xml", "text/css", "text/javascript", "application/javascript", "text/csv"}
_NOT_HTML_FAMILIES = ("image/", "audio/", "video/", "font/", "application/vnd.")


def utf16_without_bom(body: bytes) -> str | None:
    """The UTF-16 codec of a page saved without its BOM (ASCII markup with every other byte NUL)."""
    return next((codec for pattern, codec in _UTF16 if pattern.match(body, 0, 64)), None)


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def looks_like_html(head: bytes) -> bool:
    return _HTMLISH.search(head) is not None


def _shown(start: bytes) -> str:
    """The printable signature of a file head (%PDF-1.4, JFIF, ftypisom), else its first bytes in hex."""
    run = re.search(rb"[\x21-\x7e]{3,16}", start[:24])
    return run.group().decode("ascii") if run else start[:4].hex(" ")


def _magic(start: bytes, raw: bytes) -> str | None:
    if raw[4:8] == b"ftyp":  # ISO media: MP4, MOV, 3GP, HEIC, AVIF
        return f"an MP4/ISO media file ({_shown(raw[4:12])})"
    if start.startswith(b"RIFF"):
        return f"{_RIFF.get(start[8:12], 'a RIFF media file')} ({_shown(start[8:12])})"
    kind = next((kind for magic, kind in _MAGIC if start.startswith(magic)), None)
    return f"{kind} ({_shown(start)})" if kind else None


def _document(start: bytes, head: bytes) -> str | None:
    """A JSON or XML (feed, sitemap, SVG…) document, which has no article in it."""
    if _JSON.match(start):
        shown = start[:24].decode("utf-8", "replace")
        return f"a JSON document ({shown}{'…' if len(start) > 24 else ''})"
    if not start.startswith(b"<"):
        return None
    root = _ROOT.search(head)
    name = root.group(1).lower().rsplit(b":", 1)[-1] if root else b""
    if (start.startswith(b"<?xml") and root and name != b"html") or name in _XML_ROOTS:
        return f"an XML document (<{name.decode('ascii', 'replace')}>)"
    return None


def _binary(head: bytes) -> str | None:
    """NUL bytes (beyond a stray one in real markup) or a high share of control bytes."""
    nuls = head.count(b"\x00")
    if nuls and (nuls > 8 or not looks_like_html(head)):
        return f"binary data ({nuls} NUL bytes in the first {len(head):,})"
    controls = len(_CONTROLS.findall(head))
    if controls > 16 and controls > len(head) * 0.05:
        return f"binary data ({controls} control bytes in the first {len(head):,})"
    return None


def sniff(body: bytes, content_type: str | None = None) -> tuple[str, str] | None:
    """(reject reason, detail) for a body that is no HTML page, or None to go on and decode it."""
    size = len(body)
    if not body:
        return "empty_page", "0 bytes"
    head = body[:HEAD]
    start = head.lstrip(_TEXT_SPACE).removeprefix(_BOMS[0]).lstrip(_TEXT_SPACE)
    if not start and not body.lstrip(_TEXT_SPACE).removeprefix(_BOMS[0]).strip(_TEXT_SPACE):
        return "empty_page", f"{size:,} bytes of whitespace only"
    if head.startswith(_BOMS[1:]) or utf16_without_bom(head):
        return None  # UTF-16 text: its NULs are characters, decode.py reads it
    served = f"served as {media_type(content_type)}" if media_type(content_type) else "served with no Content-Type"
    what = _magic(start, head) or _binary(head) or _document(start, head)
    if what is None:
        kind = media_type(content_type)
        if (kind in _NOT_HTML or kind.startswith(_NOT_HTML_FAMILIES)) and not looks_like_html(head):
            what = "a document with no HTML markup"
    return ("not_html", f"{what}, {size:,} bytes, {served}") if what else None
