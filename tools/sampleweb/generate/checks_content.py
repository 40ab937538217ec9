"""--check, content: expected.json phrases are really on (or off) the pages, rejects carry no
date, the mirror's copies equal their originals, and distinct articles are really distinct."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterator
from itertools import combinations

import lxml.html

from .checks_site import SiteView
from .common import Art
from .hanzi import PINYIN_RE, t2s
from .xpjmirror import ASCII_PUNCT

FULL_DATE = r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
DATE_LIKE = (
    r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}",
    r"\d{1,2}\s*月\s*\d{1,2}\s*日",
    r"(?<![\d-])[01]\d-[0-3]\d(?![\d-])",
    r"(?<!\d)20\d\d(?!\d)",
)


def nfkc_flat(paras: list[str]) -> str:
    """Paragraphs joined, NFKC-normalised, whitespace removed: how duplicates are compared."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", "".join(paras)))


def articles(site: SiteView, arts: list[Art]) -> Iterator[str]:
    """Enough article pages; each has its headline in <title> and the right phrases on / off it."""
    key = site.key
    least = 4 if site.cfg.get("platform") else 8  # the platform replicas are small
    if len([p for p, k in site.kinds.items() if k in ("articles", "duplicates", "rejects")]) < least:
        yield f"{key}: fewer than {least} article pages"
    by_path = {a.path: a for a in arts}
    for x in site.exp["articles"]:
        p = x["path"]
        doc = lxml.html.fromstring(site.text(p))
        full = doc.text_content()
        body_txt = "\n".join(by_path[p].paras)
        full_s = t2s(PINYIN_RE.sub("", full)) if key == "cdkx" else full
        title_tag = " ".join([doc.findtext(".//title") or "", *doc.xpath("//meta[@name='ArticleTitle']/@content")])
        if key == "cdkx":
            title_tag = t2s(PINYIN_RE.sub("", title_tag))
        if x["title"].translate(ASCII_PUNCT) not in title_tag.translate(ASCII_PUNCT):
            yield f"{key}{p}: <title> {title_tag!r} lacks headline"
        for m in x["must_contain"]:
            if m not in full_s:
                yield f"{key}{p}: must_contain {m!r} not on page"
        for m in x["must_not_contain"]:
            if m in body_txt:
                yield f"{key}{p}: must_not_contain {m!r} is in the body"
            if m not in full_s and m not in full:
                yield f"{key}{p}: must_not_contain {m!r} is not on the page at all (useless)"
        n = len(re.sub(r"\s", "", body_txt))
        if not 300 <= n <= 2000:
            print(f"note: {key}{p}: body {n} chars", file=sys.stderr)


def rejects(site: SiteView) -> Iterator[str]:
    """A page expected as a no-date reject has nothing date-like anywhere in it."""
    for x in site.exp["rejects"]:
        page = site.text(x["path"])
        for pat in DATE_LIKE:
            for m in re.finditer(pat, page):
                ctx = page[max(0, m.start() - 20) : m.end() + 5]
                if "2012JSSAT" in ctx:
                    continue  # the site-wide "copyright 2012JSSAT" footer
                yield f"{site.key}{x['path']}: date-like {m.group()!r} in no-date page: {ctx!r}"


def epaper_dates(site: SiteView) -> Iterator[str]:
    """E-paper: the only date on an article page is its own issue (URL / resource paths)."""
    for x in site.exp["articles"]:
        p = x["path"]
        own = p[6:16]  # "2024-01/05"
        for m in re.finditer(FULL_DATE, site.text(p)):
            if m.group() != own:
                yield f"{site.key}{p}: foreign date {m.group()!r} on the page"
        if re.search(FULL_DATE, lxml.html.fromstring(site.text(p)).text_content()):
            yield f"{site.key}{p}: visible full date in the text"


def duplicates(site: SiteView, arts: list[Art], sites: dict[str, list[Art]]) -> Iterator[str]:
    """A duplicate has its original's characters (after NFKC, without whitespace)."""
    by_path = {a.path: a for a in arts}
    for x in site.exp["duplicates"]:
        dup = by_path[x["path"]]
        orig = {a.path: a for a in sites[x["original_site"]]}[x["original_path"]]
        if nfkc_flat(dup.paras) != nfkc_flat(orig.paras):
            yield f"{site.key}{x['path']}: duplicate body differs from original"
        page = lxml.html.fromstring(site.text(x["path"])).text_content()
        page = unicodedata.normalize("NFKC", re.sub(r"\s", "", page))
        if nfkc_flat(orig.paras[-1:]) not in page or nfkc_flat(orig.paras[:1]) not in page:
            yield f"{site.key}{x['path']}: original paragraphs not on the mirror page"


def _grams(a: Art) -> set[str]:
    t = re.sub(r"\W", "", unicodedata.normalize("NFKC", "".join(a.paras)))
    return {t[i : i + 5] for i in range(len(t) - 4)}


def similarity(sites: dict[str, list[Art]]) -> Iterator[str]:
    """Across all sites, 5-gram Jaccard: intended duplicates >= 0.95, all other pairs <= 0.15."""
    flat = [(k, a) for k, arts in sites.items() for a in arts]
    dup_pairs = {(k, a.path, a.orig[0], a.orig[1]) for k, a in flat if a.kind == "duplicate" and a.orig}
    worst = 0.0
    for (k1, a1, g1), (k2, a2, g2) in combinations([(k, a, _grams(a)) for k, a in flat], 2):
        jac = len(g1 & g2) / max(1, len(g1 | g2))
        if (k1, a1.path, k2, a2.path) in dup_pairs or (k2, a2.path, k1, a1.path) in dup_pairs:
            if jac < 0.95:
                yield f"intended duplicate {k1}{a1.path} ~ {k2}{a2.path} only {jac:.2f}"
        else:
            worst = max(worst, jac)
            if jac > 0.15:
                yield f"texts too similar: {k1}{a1.path} ~ {k2}{a2.path} = {jac:.2f}"
    print(f"max 5-gram Jaccard between distinct articles: {worst:.3f}", file=sys.stderr)
