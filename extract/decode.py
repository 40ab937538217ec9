"""Turn response bytes into text, trusting the bytes over the labels.

Association sites often send a wrong HTTP charset, declare gb2312 for GBK/GB18030 bytes, keep a
gb2312 meta tag on pages re-saved as UTF-8, or serve Big5 with no label.  Order: BOM, the site's
configured override, UTF-16 without BOM, bytes that are UTF-8 (valid, or with a few broken
sequences: GBK read as UTF-8 breaks on most of its characters); otherwise every candidate codec
(the labels, gb18030, big5hkscs, cp1252) reads a sample and the reading that looks most like text
wins (extract/codec_score.py): frequent Han characters (config/common_han.txt), the codec's own script, the fewest
replacement, control and private-use characters.  Bytes the chosen codec cannot read are counted
and removed here (with NUL/control characters, which lxml would turn into U+FFFD); a page with
more than a handful is not stored (`Decoded.problem`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from extract.codec_score import score
from extract.sniff import utf16_without_bom

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs",
              "cp950": "big5hkscs", "iso8859-1": "cp1252", "ascii": "cp1252"}
_ALIASES = {"x-gbk": "gbk", "gb_2312-80": "gb2312", "gb_2312": "gb2312", "csgb2312": "gb2312", "x-euc-cn": "gb2312",
            "csiso58gb231280": "gb2312", "iso-ir-58": "gb2312", "windows-936": "gbk", "x-mac-chinesesimp": "gb2312",
            "x-big5": "big5", "cn-big5": "big5", "csbig5": "big5", "x-x-big5": "big5", "x-mac-chinesetrad": "big5",
            "unicode-1-1-utf-8": "utf-8", "x-unicode20utf8": "utf-8"}
_STRIP = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\udcff]")  # never text: removed from what is returned
_MARK = "\udcff"  # what the counting error handler leaves for each byte a codec cannot read
_SAMPLE = 16384  # bytes from the first non-ASCII one: enough to tell the codecs apart, cheap to score


def _mark_undecodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return _MARK * (error.end - error.start), error.end


codecs.register_error("kexie.undecodable", _mark_undecodable)


def normalise_codec(label: str | None) -> str | None:
    """A Python codec for a charset label, widened to the superset real pages use.

    UTF-16/32 labels on a page readable as ASCII are wrong by definition (a real UTF-16 page is
    found by its BOM or its bytes), so they count as no label."""
    if not label:
        return None
    label = label.strip().lower()
    try:
        name = codecs.lookup(_ALIASES.get(label, label)).name
    except LookupError:
        return None
    return None if name.startswith(("utf-16", "utf-32")) else _SUPERSETS.get(name, name)


def meta_charset(body: bytes) -> str | None:
    found = _META_CHARSET.search(body[:4096])
    return normalise_codec(found.group(1).decode("ascii", "ignore")) if found else None


def header_charset(content_type: str | None) -> str | None:
    found = _HEADER_CHARSET.search(content_type or "")
    return normalise_codec(found.group(1)) if found else None


@dataclass(frozen=True)
class Decoded:
    """The page text (undecodable bytes, U+FFFD and control characters removed) and how it was read."""

    text: str
    codec: str
    undecodable: int = 0  # bytes the codec could not read

    def problem(self) -> str | None:
        """Why the text is too damaged to store: more than 20 unreadable bytes, or over 1% of the text."""
        bad = self.undecodable
        if bad > 20 or bad * 100 > max(len(self.text), 1):
            return f"{self.codec} with {bad} undecodable byte{'s' if bad > 1 else ''}"
        return None


def _finish(body: bytes, codec: str, text: str | None = None) -> Decoded:
    """Decode (unless `text` is the clean reading already), count the unreadable bytes, strip the junk."""
    bad = 0
    if text is None:
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            text = body.decode(codec, "kexie.undecodable")
            bad = text.count(_MARK)
    if bad or _STRIP.search(text):
        text = _STRIP.sub("", text)
    return Decoded(text, codec, bad)


_UTF8_BROKEN_MAX = 0.05  # replacement characters per non-ASCII character still read as UTF-8


def _mostly_utf8(body: bytes) -> bool:
    """Bytes that are UTF-8 but for a few broken sequences."""
    text = body.decode("utf-8", "replace")
    wide = len(text) - len(text.encode("ascii", "ignore"))
    return bool(wide) and text.count("\ufffd") <= _UTF8_BROKEN_MAX * wide


def _sample(body: bytes) -> bytes:
    """Up to _SAMPLE bytes from the first non-ASCII byte (a lead byte in every codec here), cut
    before a '<' or newline, which no multi-byte codec uses as a trail byte."""
    first = re.search(rb"[\x80-\xff]", body)
    start = first.start() if first else 0
    piece = body[start:start + _SAMPLE]
    if len(piece) == _SAMPLE and (cut := max(piece.rfind(b"<"), piece.rfind(b"\n"))) > 0:
        piece = piece[:cut]
    return piece


def choose_codec(body: bytes, content_type: str | None = None) -> str:
    """The candidate codec whose reading of a sample looks most like text; labels win ties.

    UTF-8 stays a candidate: a page too broken for `_mostly_utf8` may still be UTF-8 at heart,
    and its reject detail should say so."""
    labels = [meta_charset(body), header_charset(content_type)]
    candidates = [c for c in dict.fromkeys([*labels, "gb18030", "big5hkscs", "utf-8", "cp1252"]) if c]
    sample = _sample(body)
    scored = [(score(sample.decode(c, "replace"), c), -i, c) for i, c in enumerate(candidates)]
    return max(scored)[2]


def decode_body(body: bytes, content_type: str | None = None, override: str | None = None) -> Decoded:
    """Never raises: the worst case is a reading with undecodable bytes counted (see `problem`)."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return _finish(body[len(bom):], codec)
    forced = normalise_codec(override) or utf16_without_bom(body)
    if forced:
        return _finish(body, forced)
    if body.isascii():  # ASCII is UTF-8 (and reads the same in every label these sites use)
        return _finish(body, "utf-8", body.decode("ascii"))
    try:
        return _finish(body, "utf-8", body.decode("utf-8"))
    except UnicodeDecodeError:
        if _mostly_utf8(body):
            return _finish(body, "utf-8")
    return _finish(body, choose_codec(body, content_type))


def decode_html(body: bytes, content_type: str | None = None, override: str | None = None) -> tuple[str, str]:
    """(text, codec used), for callers that only want the text."""
    decoded = decode_body(body, content_type, override)
    return decoded.text, decoded.codec
