"""expected.json: the ground truth, written from the fixture data and the generated pages,
never from crawler output (so it can judge the crawler)."""

from __future__ import annotations

import html
import re
from typing import Any

from .attachments_xyast import expected_attachments
from .common import Art, Out, auto_phrases, others
from .hanzi import PINYIN_RE, s2t, t2s, with_pinyin
from .texts_xyast import XY_DRAFT, XY_MISSING

# Kept verbatim although the generator is now the package tools/sampleweb/generate:
# the text is part of the committed expected.json, which must not change.
COMMENT = (
    "Ground truth for crawler/sampleweb (written from the fixture data by _generate.py, "
    "never from crawler output). Times are Asia/Shanghai; cdkx strings are simplified "
    "(OpenCC t2s) with the flattened pinyin removed."
)


def build_expected(sites: dict[str, list[Art]], out: Out) -> dict[str, Any]:
    """The whole manifest: per site its articles, rejects, duplicates, not_fetched, missing."""
    return {"_comment": COMMENT, "sites": {key: _site_entry(key, arts, out) for key, arts in sites.items()}}


def _site_entry(key: str, arts: list[Art], out: Out) -> dict[str, list[dict[str, Any]]]:
    e: dict[str, list[dict[str, Any]]] = {
        "articles": [],
        "rejects": [],
        "duplicates": [],
        "not_fetched": [],
        "missing": [],
    }
    for a in arts:
        if a.kind == "duplicate":
            assert a.orig is not None
            e["duplicates"].append({"path": a.path, "original_site": a.orig[0], "original_path": a.orig[1]})
        elif a.kind == "reject":
            e["rejects"].append({"path": a.path, "reason": a.reason})
        else:
            e["articles"].append(_article_entry(key, a, arts, out))
    if key == "xyast":
        e["not_fetched"].append({"path": XY_DRAFT.path, "why": "robots"})
        e["attachments"] = expected_attachments()
        e["missing"].append({"path": XY_MISSING[0], "status": 404})
    for k in e:
        e[k].sort(key=lambda x: x["path"])
    return e


def _article_entry(key: str, a: Art, arts: list[Art], out: Out) -> dict[str, Any]:
    """Title, date, phrases the archived text must / must not contain (boilerplate seen on the page)."""
    raw, norm = page_text(key, out.files[f"sites/{key}{a.path}"])

    def on_page(m: str) -> bool:
        return m in raw or m in norm

    body = "".join(a.paras)
    must = auto_phrases(a.paras)
    must += [m for m in a.must if m not in must]
    must_not = [m for m in a.must_not if on_page(m)]
    # one headline of another article that appears in this page's sidebar / widgets
    for b in others(arts, a):
        if b.kind in ("article", "reject") and len(b.title) >= 8 and b.title not in body and on_page(b.title):
            must_not.append(b.title)
            break
    if key == "cdkx":  # the first three distinct pinyin annotations must be stripped
        seen: list[str] = []
        for m in PINYIN_RE.findall(with_pinyin(s2t(a.title + "".join(a.paras)))):
            if m not in seen:
                seen.append(m)
        must_not += seen[:3]
    item = {
        "path": a.path,
        "title": _stored(key, a.title),
        "published_at": a.iso,
        "must_contain": [_stored(key, m) for m in must],
        "must_not_contain": must_not,
    }
    if a.author:
        item["author"] = a.author
    if a.editor:
        item["editor"] = a.editor
    return item


def _stored(key: str, s: str) -> str:
    """What the archive is expected to store for a simplified source phrase."""
    if key != "cdkx":
        return s
    out = t2s(s2t(s))
    assert out == s, f"OpenCC round trip changes {s!r} -> {out!r}; pick another phrase"
    return out


def page_text(key: str, data: bytes) -> tuple[str, str]:
    """(visible text, normalised text) of a generated page, stdlib only."""
    t = data.decode("gb18030" if key == "xyast" else "utf-8")
    t = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", t)
    t = re.sub(r"(?is)<head\b.*?</head>", " ", t)
    t = html.unescape(re.sub(r"<[^>]+>", " ", t))
    return t, (t2s(PINYIN_RE.sub("", t)) if key == "cdkx" else t)
