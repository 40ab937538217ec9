"""Turn response bytes into text, trusting the bytes over the labels.

Association sites often send a wrong HTTP charset, declare gb2312 for GBK/GB18030 bytes or
keep a gb2312 meta tag on pages re-saved as UTF-8. Order: BOM, the site's configured override,
bytes that are UTF-8 (valid, or with a few broken sequences: GBK read as UTF-8 breaks on most
of its characters), the meta charset, the HTTP header, then gb18030; gb2312/gbk are always read
as their superset gb18030, and a decode full of replacement characters is retried.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
              "euc-cn": "gb18030", "big5": "big5hkscs", "iso-8859-1": "cp1252", "ascii": "cp1252"}


def normalise_codec(label: str | None) -> str | None:
    """A Python codec for a charset label, widened to the superset real pages use."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def meta_charset(body: bytes) -> str | None:
    found = _META_CHARSET.search(body[:4096])
    return normalise_codec(found.group(1).decode("ascii", "ignore")) if found else None


def header_charset(content_type: str | None) -> str | None:
    found = _HEADER_CHARSET.search(content_type or "")
    return normalise_codec(found.group(1)) if found else None


_UTF8_BROKEN_MAX = 0.05  # replacement characters per non-ASCII character still read as UTF-8


def _bad_share(text: str) -> float:
    return text.count("\ufffd") / max(len(text), 1)


def _mostly_utf8(body: bytes) -> str | None:
    """The UTF-8 reading of bytes that are UTF-8 but for a few broken sequences, else None."""
    text = body.decode("utf-8", "replace")
    wide = len(text) - len(text.encode("ascii", "ignore"))
    return text if wide and text.count("\ufffd") <= _UTF8_BROKEN_MAX * wide else None


def decode_html(body: bytes, content_type: str | None = None, override: str | None = None) -> tuple[str, str]:
    """(text, codec used). Never raises: the last resort decodes with replacement characters."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace"), codec
    forced = normalise_codec(override)
    if forced:
        return body.decode(forced, "replace"), forced
    if body.isascii():  # ASCII is UTF-8 (and reads the same in every label these sites use)
        return body.decode("ascii"), "utf-8"
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        if (text := _mostly_utf8(body)) is not None:
            return text, "utf-8"
    candidates = [meta_charset(body), header_charset(content_type), "gb18030", "cp1252"]
    best: tuple[float, str, str] | None = None
    for codec in dict.fromkeys(c for c in candidates if c and c != "utf-8"):
        text = body.decode(codec, "replace")
        share = _bad_share(text)
        if share < 0.001:
            return text, codec
        if best is None or share < best[0]:
            best = (share, text, codec)
    assert best is not None
    return best[1], best[2]
