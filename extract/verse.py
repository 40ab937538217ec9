"""A poem's lines that both extractors dropped, put back next to its notes and translation.

A poem page (a 诗词 column, a 科普 page on a poem) shows the poem in a small box with its title,
author and a bar of short links (复制 收藏 朗读 分享): short lines plus links read as a link
list, so trafilatura deletes the box by link density and readability by its conditional
cleaning, while both keep the 注释, 译文 and 赏析 below it. Neither text has the poem, so
comparing them (extract/opinions.py) cannot bring it back; this module does, from the tree.

A verse run is at least MIN_CLAUSES short all-CJK clauses in consecutive text nodes outside
links, most lines ending in verse punctuation. It goes back into the chosen text only when the
text lacks it and it stands right next to the text in the page (at most GAP characters of other
text between: the poem box's title, author and tool links), at that place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
from lxml import etree

_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff]"
_STOP = "，,。！？!?；;"
_LINE = re.compile(rf"(?:{_CJK}{{3,9}}[{_STOP}]\s*){{0,3}}{_CJK}{{3,9}}[{_STOP}]?")
_CLAUSE = re.compile(rf"{_CJK}+")
MIN_CLAUSES = 4  # a quatrain: four lines of five or seven characters, or two couplets
MIN_ENDED = 0.75  # share of a run's lines ending in verse punctuation (short headings have none)
GAP = 80  # characters of other text allowed between a verse run and the chosen text
_NOT_TEXT = {"script", "style", "noscript", "a", "option", "button", "textarea"}


def _holder(node: etree._ElementUnicodeResult) -> etree._Element | None:
    """The element a text node stands in (a tail belongs to the element's parent)."""
    parent = node.getparent()
    return parent.getparent() if node.is_tail and parent is not None else parent


def _outside_links(node: etree._ElementUnicodeResult) -> bool:
    """Not in a link, script or form control: 名句 lists and related poems are links."""
    holder = _holder(node)
    if holder is None or not isinstance(holder.tag, str):
        return False
    return holder.tag not in _NOT_TEXT and not any(a.tag in _NOT_TEXT for a in holder.iterancestors())


def _runs(nodes: list[etree._ElementUnicodeResult], texts: list[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal run of verse lines outside links that reads as a poem."""
    verse = [_LINE.fullmatch(text) is not None for text in texts]  # cheap first: most pages stop here
    start = 0
    while start < len(texts):
        if not verse[start] or not _outside_links(nodes[start]):
            start += 1
            continue
        end = start + 1
        while end < len(texts) and verse[end] and _outside_links(nodes[end]):
            end += 1
        lines = texts[start:end]
        clauses = sum(len(_CLAUSE.findall(line)) for line in lines)
        ended = sum(line[-1] in _STOP for line in lines) / len(lines)
        if clauses >= MIN_CLAUSES and len(lines) >= 2 and ended >= MIN_ENDED:
            yield start, end
        start = end


def _neighbour(texts: list[str], index: int, step: int, chosen: str) -> str | None:
    """The nearest text node of `chosen` from `index` on in direction `step`, within GAP characters.

    A node is the chosen text's when it is one of its lines, or a piece of it long enough to tell."""
    gap, lines = 0, set(chosen.splitlines())
    while 0 <= index < len(texts) and gap <= GAP:
        if (text := texts[index]) in lines or (len(text) >= 4 and text in chosen):
            return text
        gap += len(text)
        index += step
    return None


def restore_verse(tree: lxml.html.HtmlElement, text: str) -> str:
    """`text` with each verse run it lacks that stands right next to it put back in place."""
    if not text:
        return text
    nodes = tree.xpath("//body//text()[normalize-space()]")
    texts = [" ".join(node.split()) for node in nodes]
    for start, end in list(_runs(nodes, texts)):
        lines = texts[start:end]
        if sum(line in text for line in lines) * 2 > len(lines):  # already there (or quoted in it)
            continue
        verse = "\n".join(lines)
        if (after := _neighbour(texts, end, 1, text)) is not None:  # the notes below the poem: most pages
            at = text.rfind("\n", 0, text.find(after)) + 1  # the start of its line
            text = text[:at] + verse + "\n" + text[at:]
        elif (before := _neighbour(texts, start - 1, -1, text)) is not None:
            at = text.find("\n", text.find(before) + len(before))
            text = text + "\n" + verse if at < 0 else text[:at] + "\n" + verse + text[at:]
    return text
