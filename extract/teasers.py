"""Teaser streams: runs of "linked headline + summary" items, taken out of the prepared copy.

Portals and aggregators put a short post amid streams of other stories (相关推荐, 热点资讯), each
item a linked headline, a sentence of summary and a date.  The summaries read like prose, so
readability takes the stream for the article's continuation, and trafilatura in balanced mode
(the referee) agrees with it: the post's few lines lose to a stream ten times their size.
Link lists alone do no such harm (their link density gives them away); it is the summaries.

A stream is recognised from its shape alone: at least MIN_ITEMS sibling blocks of one tag and
class, each opening with a link of at least LINK_MIN characters (at most a bullet or a date
before it) and holding SUMMARY_MIN more characters outside links, none longer than ITEM_MAX.
Article paragraphs with links in them are <p>s, or their links stand after words, or they are
longer: none of them fits.  A stream that a paragraph of prose introduces (no heading between) is
the article's own body, a list of books or projects, and stays.
"""

from __future__ import annotations

import re
from collections import defaultdict

import lxml.html
from lxml import etree

ITEM_TAGS = frozenset({"li", "div", "dl", "dd", "article", "section"})
MIN_ITEMS = 4
LINK_MIN = 5  # non-space characters of the headline link
SUMMARY_MIN = 15  # non-space characters outside links
ITEM_MAX = 300  # non-space characters of a whole item
LEAD_MAX = 12  # non-space characters allowed before the headline link: a bullet, a date, no words
_WORDS = re.compile(r"[\u3400-\u9fffA-Za-z]")


def _chars(text: str | None) -> int:
    return len("".join((text or "").split()))


def is_teaser(item: etree._Element) -> bool:
    """A block that opens with a linked headline and carries a short summary beside it."""
    text = item.text_content()
    total = _chars(text)
    if not SUMMARY_MIN + LINK_MIN <= total <= ITEM_MAX or item.find(".//h1") is not None:
        return False
    links = [a.text_content() for a in item.iter("a")]
    first = next((t for t in links if _chars(t) >= LINK_MIN), None)
    if first is None or total - sum(map(_chars, links)) < SUMMARY_MIN:
        return False
    lead = text[: text.find(first)]
    return _chars(lead) <= LEAD_MAX and not _WORDS.search(lead)


def teaser_streams(tree: etree._Element) -> list[list[etree._Element]]:
    """Every run of MIN_ITEMS or more sibling teasers of one tag and class."""
    found = []
    for parent in tree.iter():
        if len(parent) < MIN_ITEMS:  # most elements: no children to group
            continue
        groups: dict[tuple[str, str], list[etree._Element]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and child.tag in ITEM_TAGS:
                groups[(child.tag, child.get("class") or "")].append(child)
        for items in groups.values():
            if len(items) >= MIN_ITEMS and all(is_teaser(item) for item in items):
                found.append(items)
    return found


PROSE_MIN = 30  # non-space characters outside links of a paragraph that introduces a list


def _introduced(node: etree._Element) -> bool | None:
    """True when a prose <p> stands right before `node` among its siblings, False when a heading
    ("相关推荐") or any other block with text does (the article's box above a stream), None when
    nothing does."""
    for prev in node.itersiblings(preceding=True):
        if not isinstance(prev.tag, str):
            continue
        text = prev.text_content()
        if not text.strip():
            continue  # an empty anchor, an image, a line break
        if prev.tag != "p":
            return False
        links = sum(_chars(a.text_content()) for a in prev.iter("a"))
        return _chars(text) - links >= PROSE_MIN
    return None


def in_main_content(items: list[etree._Element]) -> bool:
    """A stream is the article's own body (a list of books, tips, projects…) when a paragraph of
    prose introduces it: right before its first item, or right before the list that holds it."""
    first, parent = items[0], items[0].getparent()
    found = _introduced(first)
    if found is None and parent is not None:
        found = _introduced(parent)
    return bool(found)


def drop_teaser_streams(tree: lxml.html.HtmlElement) -> int:
    """Remove every teaser stream outside the main content from the tree, in place; returns how
    many items went."""
    streams = [items for items in teaser_streams(tree) if not in_main_content(items)]
    for items in streams:
        for item in items:
            if item.getparent() is not None:
                item.drop_tree()  # lxml.html: the tail stays
    return sum(map(len, streams))
