"""A site's main-content container: found on a page from the extractors' text, and used alone.

Most sites print every article in the same element (`<div class="TRS_Editor">`, `#zoom`…). Once
the extractors' text of a page is known, the element holding it is found here (the page's text
nodes matched against it, their deepest common holder, then the nearest ancestor that an id or a
class names uniquely). extract/learning.py counts such findings per site; later pages of the
site take their text from the container alone (its text minus link-dense blocks and the lines the
site's pages always carry there), at a fraction of the extractors' cost.

A finding counts only when the container gives back the extractors' text line for line, apart
from `extra` lines (a share bar, 打印本页) that the site must repeat unchanged on the pages it
learns from. So a site whose container also holds per-page titles, bylines or related stories
that the extractors drop never learns one: it keeps the extractors, and its quality.
"""

from __future__ import annotations

import copy
import re
from typing import NamedTuple

from lxml import etree

from extract.visible import visible_text

MAIN_MIN = 60  # non-space characters of main text below which no container is looked for
PIECE_MIN = 5  # non-space characters of a text node for it to be matched (shorter ones match anywhere)
FOUND_MIN = 0.8  # share of the main text that the page's matched text nodes must make up
COVER = 0.97  # share of the matched characters the container must hold
LINK_DENSE = 0.5  # a block inside the container whose text is mostly link text is navigation
EXTRA_MAX = 12  # lines the container may hold beyond the extractors' text
EXTRA_LINE = 120  # characters of such a line
_BLOCKS = frozenset({"div", "ul", "ol", "dl", "table", "p", "li", "section", "nav", "aside", "form", "span", "td",
                     "tr"})
_GENERATED = re.compile(r"\d{3,}")  # ids like content_38042 change from page to page
_SKIP = frozenset({"script", "style", "noscript", "textarea", "select", "option"})


class Container(NamedTuple):
    """A container by XPath, its text's size and link share (non-space characters), and its extra lines.

    A worker reports one for a page; the site's learning sends one back for its later pages, then
    `chars` is the least text and `link_share` the largest share of link text a page's container
    may have to be trusted, and `extra` the lines to leave out (compared without spaces, sorted).
    A tuple: it pickles to the workers cheaply, and a distributed crawl's JSON (distributed/wire.py) takes it."""

    xpath: str
    chars: int
    link_share: float
    extra: tuple[str, ...] = ()


def from_json(found: list[object] | None) -> Container | None:
    """A container back from JSON (a list, as a job or a write carries it); ValueError for another shape."""
    if found is None:
        return None
    xpath, chars, link_share, extra = found
    return Container(str(xpath), int(chars), float(link_share), tuple(map(str, extra)))  # type: ignore[arg-type,call-overload]


def squeezed(text: str | None) -> str:
    return "".join(text.split()) if text else ""


def _lines(text: str) -> list[str]:
    return [line for line in map(squeezed, text.split("\n")) if line]


def _names(element: etree._Element) -> list[str]:
    """XPaths naming an element by its id, then by its whole class attribute (any tag: layout tables
    become <div>s in the prepared copy). Values that look generated (content_38042) are no names."""
    names = []
    for attr in ("id", "class"):
        value = " ".join((element.get(attr) or "").split())
        if value and "'" not in value and not _GENERATED.search(value):
            names.append(f"//*[@{attr}='{value}']" if value == element.get(attr) else
                         f"//*[normalize-space(@{attr})='{value}']")
    return names


def _holder(body: etree._Element, main: str) -> etree._Element | None:
    """The deepest element holding nearly all text nodes that belong to the main text."""
    weight: dict[etree._Element, int] = {}
    order = [el for el in body.iter() if isinstance(el.tag, str) and el.tag not in _SKIP]
    for element in order:
        for piece, is_tail in ((element.text, False), (element.tail, True)):
            if piece is None or len(piece) < PIECE_MIN:
                continue
            size = len(piece := squeezed(piece))
            if size >= PIECE_MIN and piece in main:
                owner = element.getparent() if is_tail else element  # a tail is its parent's text
                weight[owner] = weight.get(owner, 0) + size
    for element in reversed(order):  # children before parents: each adds its weight to its parent once
        if element is not body and (held := weight.get(element)):
            parent = element.getparent()
            weight[parent] = weight.get(parent, 0) + held
    total = weight.get(body, 0)
    if total < FOUND_MIN * len(main):
        return None
    node = body
    while (inner := next((c for c in node if weight.get(c, 0) >= COVER * total), None)) is not None:
        node = inner
    return node


def _link_dense(container: etree._Element) -> tuple[list[etree._Element], int, int]:
    """(outermost link-dense blocks, all characters, link characters) of a container, in one pass."""
    dense: list[etree._Element] = []

    def walk(element: etree._Element, in_link: bool) -> tuple[int, int]:
        link = in_link or element.tag == "a"
        own = len(squeezed(element.text)) if element.tag not in _SKIP else 0
        chars, links = own, own if link else 0
        for child in element:
            if isinstance(child.tag, str):
                c, k = walk(child, link)
                chars, links = chars + c, links + k
            tail = len(squeezed(child.tail))
            chars, links = chars + tail, links + (tail if link else 0)
        if element is not container and element.tag in _BLOCKS and chars and links > LINK_DENSE * chars:
            dense.append(element)
        return chars, links

    chars, links = walk(container, False)
    inside = set(dense)
    outer = [el for el in dense if not any(anc in inside for anc in el.iterancestors())]
    return outer, chars, links


def container_text(element: etree._Element) -> tuple[str, float]:
    """(text, link share of the whole container) of a container's copy without its link-dense
    blocks (related stories, previous/next, share bars)."""

    work = copy.deepcopy(element)
    dense, chars, links = _link_dense(work)
    for block in dense:
        block.drop_tree()  # its tail stays
    work.tail = None
    return visible_text(work), links / chars if chars else 0.0


def _agreed(xpath: str, element: etree._Element, text: str) -> Container | None:
    """The container, if its lines are the extractors' lines in order plus a few extra short ones."""
    found, share = container_text(element)
    have, wanted = _lines(found), _lines(text)
    known = set(wanted)
    extra = {line for line in have if line not in known}
    if len(extra) > EXTRA_MAX or any(len(line) > EXTRA_LINE for line in extra):
        return None
    if [line for line in have if line not in extra] != wanted:
        return None
    return Container(xpath, sum(map(len, wanted)), share, tuple(sorted(extra)))


def find(root: etree._Element, text: str) -> Container | None:
    """The container that gives back the extractors' text of this page, if an id or class names it."""
    main = squeezed(text)
    body = root.find("body")
    if len(main) < MAIN_MIN or body is None:
        return None
    holder = _holder(body, main)
    for element in (holder, *holder.iterancestors()) if holder is not None else ():
        if element is body or element.tag == "html":
            return None
        for xpath in _names(element):
            if len(root.xpath(xpath)) == 1:
                return _agreed(xpath, element, text)
    return None


def use(root: etree._Element, learned: Container) -> str | None:
    """The page's main text from the learned container; None when the page does not fit what was
    learned (no single match, too little text, too much link text): the extractors run then."""
    try:
        hits = root.xpath(learned.xpath)
    except etree.XPathError:
        return None
    if len(hits) != 1 or not isinstance(hits[0], etree._Element):
        return None
    text, share = container_text(hits[0])
    extra = set(learned.extra)
    lines = [line for line in text.split("\n") if squeezed(line) not in extra]
    if share > learned.link_share or sum(len(squeezed(line)) for line in lines) < learned.chars:
        return None
    return "\n".join(lines)
