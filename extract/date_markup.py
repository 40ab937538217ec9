"""Dates a page's markup declares: <meta> names, itemprop, JSON-LD and a header <time>.

Read from the parsed tree in the extract stage (the only stage that has it); extract/dates.py
weighs them against the text, the URL and htmldate, with META_RANK saying how far each is trusted.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

# Metadata names (lower case) by trust: 0 publication date, 1 a vaguer date, 2 <time> in the header.
# Modified/updated fields are left out on purpose. Callers' unknown sources rank 3.
META_RANK = dict.fromkeys((
    "article:published_time", "og:published_time", "og:release_date", "article:published", "publishdate",
    "pubdate", "publish_date", "publish-date", "publishtime", "publish_time", "datepublished",
    "firstpublishedtime", "apub:time", "parsely-pub-date", "sailthru.date", "jsonld",
    "itemprop:datepublished"), 0) | dict.fromkeys((
    "dc.date", "dc.date.created", "dc.date.issued", "dcterms.created", "dcterms.issued", "dcterms.date",
    "citation_date", "citation_publication_date", "prism.publicationdate", "datecreated",
    "jsonld:datecreated", "og:time"), 1) | {"time": 2}
_JSONLD = re.compile(r'"(datePublished|dateCreated)"\s*:\s*"([^"]+)"')
_ITEMPROP_DATE = etree.XPath("descendant-or-self::*[@itemprop='datePublished'][not(self::meta)]")


def _header_time(tree: lxml.html.HtmlElement) -> etree._Element | None:
    """The first <time datetime> in a header or an article, or marked pubdate, in document order."""
    return next((el for el in tree.iter("time") if el.get("datetime") is not None and (
        el.get("pubdate") is not None or any(a.tag in ("header", "article") for a in el.iterancestors()))), None)


def date_candidates(tree: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """(source, raw) dates from <meta>, itemprop, JSON-LD and header <time>; only reads the tree.

    The elements of one tag are found by lxml's own tag filter (an XPath over every node of the
    page cost far more); the itemprop search is compiled once, from the tree down (not '//*')."""
    found: list[tuple[str, str]] = []
    for el in tree.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        if key in META_RANK and (el.get("content") or "").strip():
            found.append((f"meta:{key}", (el.get("content") or "").strip()))
    for el in _ITEMPROP_DATE(tree):
        if value := (el.get("content") or el.get("datetime") or el.text_content()).strip():
            found.append(("itemprop:datepublished", value))
    for script in tree.iter("script"):
        if script.get("type") == "application/ld+json":
            for m in _JSONLD.finditer(script.text or ""):  # a regex also copes with broken JSON
                found.append(("jsonld" if m[1] == "datePublished" else "jsonld:datecreated", m[2]))
    if (el := _header_time(tree)) is not None:
        found.append(("time", (el.get("datetime") or "").strip()))
    return found
