"""A short post the page describes, when the extractors chose a long neighbouring story instead.

A microblog post on a big portal page is two sentences beside a "story of the day" printed in
full, amid hundreds of links: both extractors take the long story.  The page itself says which
text is its own: its description (og:description, meta description) is the post's opening.  When
the chosen text does not hold that opening and exactly one block of the page starts with it, that
block (with its sibling paragraphs) is the page's text.  News pages whose description is their
first sentence already hold it; a generic description ("某某网汇聚全网资讯") opens no block; a
headline, dek or standfirst the description repeats shares the story's words and is no post.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import lxml.html
from lxml import etree

from extract.visible import visible_text

Bag = Callable[[str], Counter[str]]
PROBE = 16  # non-space characters of the description's opening looked for
DESCRIPTION_MIN = 20  # non-space characters a description must have to be trusted
_DESCRIPTIONS = ("//meta[@property='og:description']/@content", "//meta[@name='description']/@content",
                 "//meta[@name='twitter:description']/@content")
_CHROME = re.compile(r"foot|head|nav|copyright|banner|menu|share|comment", re.IGNORECASE)
_TEXT_TAGS = frozenset({"p", "br", "span", "em", "strong", "b", "i", "img", "a", "font", "u", "sup", "sub"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "header", "title"})
SAME_STORY = 0.3  # share of a block's words (CJK bigrams, latin words over 3 letters) in the chosen text
_NOT_TEXT = frozenset({"script", "style", "title", "a", "option", "textarea", "noscript"})


def _squash(text: str) -> str:
    return "".join(text.split())


def _opening(tree: lxml.html.HtmlElement) -> str | None:
    """The first PROBE characters of the page's description, or None when it has none to trust."""
    for path in _DESCRIPTIONS:
        for value in tree.xpath(path):
            if len(squashed := _squash(str(value)).rstrip(".…")) >= DESCRIPTION_MIN:
                return squashed[:PROBE]
    return None


def _holder(node: etree._ElementUnicodeResult) -> etree._Element | None:
    parent = node.getparent()
    return parent.getparent() if node.is_tail and parent is not None else parent


def _is_text_box(el: etree._Element) -> bool:
    """An element holding only paragraphs and inline markup: a post's text, not a box of boxes."""
    return all(not isinstance(child.tag, str) or child.tag in _TEXT_TAGS for child in el)


def described_post(tree: lxml.html.HtmlElement, text: str, bag: Bag) -> str | None:
    """The text of the one block that opens with the page's description, when `text` lacks it
    (`bag`: the extractors' token bag, extract/opinions.py)."""
    body = tree.find("body")
    if body is None or (opening := _opening(tree)) is None or opening in _squash(text):
        return None
    holders = []
    for node in body.xpath(".//text()"):
        if opening[:8] in (squashed := _squash(node)) and (opening in squashed or squashed in opening):
            holder = _holder(node)
            if holder is not None and isinstance(holder.tag, str) and holder.tag not in _NOT_TEXT:
                holders.append(holder)
    if len({id(h) for h in holders}) != 1:
        return None
    block = holders[0]
    if not _squash(block.text_content()).startswith(opening):
        return None
    while (parent := block.getparent()) is not None and parent is not body and _is_text_box(parent):
        block = parent
    if any(_CHROME.search(f"{a.get('class', '')} {a.get('id', '')}") or a.tag in _HEADINGS
           for a in (block, *block.iterancestors())):
        return None
    found = visible_text(block).strip()
    if len(_squash(found)) >= len(_squash(text)) or _same_story(found, text, bag):
        return None
    return found


def _same_story(block: str, text: str, bag: Bag) -> bool:
    """The block shares the chosen text's words: a headline, dek or standfirst above the story the
    extractors found (the description names the story), not a post of its own beside it."""
    words = Counter({t: n for t, n in bag(block).items() if len(t) > 3 or not t.isascii()})
    if not (size := sum(words.values())):
        return True
    return sum((words & bag(text)).values()) / size >= SAME_STORY
