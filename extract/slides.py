"""Slideshows: a page shows one slide at a time, so only the slide it marks as shown is its text.

A gallery or "this week's top stories" slideshow saves every slide in the HTML, one after the
other, and marks the one on screen (class "active", "current", "slick-current"…; the others hidden
by script and CSS).  Read as plain markup, the hidden slides look like the article's continuation
and both extractors keep them all: a roundup's intro plus ten other stories' summaries, or a photo
page whose other captions bury the one shown.  The page at /slides/4 marks the fourth slide.

A slideshow is recognised from its markup alone: at least MIN_SLIDES sibling elements of one tag,
each with a class naming a slide (slide, js_slide, swiper-slide, slick-slide, carousel-item), and
exactly one of them marked as shown.  The others go from the prepared copy.  Without such a mark
(a plain gallery, every slide listed) nothing changes.

The shown slide's own caption (its <figcaption>) is the page's text too, but both extractors drop
it as a figure's furniture; the shown slide is marked (SHOWN_MARK) so that extract/opinions.py
puts its caption back after the text when the text lacks it.
"""

from __future__ import annotations

from collections import defaultdict

import lxml.html
from lxml import etree

MIN_SLIDES = 3
SHOWN_MARK = "data-kexie-shown-slide"  # set on the slide a slideshow shows, in the prepared copy
_SLIDE_WORDS = ("slide", "carousel-item")
# class tokens that mark the slide on screen; "slick-active" is not one (it marks every visible slide)
SHOWN = frozenset({"active", "current", "is-active", "is-current", "selected", "is-selected",
                   "slick-current", "swiper-slide-active", "carousel-item-active"})


# the elements whose class attribute holds (S|s)lide or carousel-item: a test on the attributes alone
# costs a third of one on every element's @class
_CANDIDATES = etree.XPath("//@class[contains(., 'lide') or contains(., 'arousel-item')]/..")


def _tokens(element: etree._Element) -> list[str]:
    return (element.get("class") or "").lower().split()


def _is_slide(tokens: list[str]) -> bool:
    return any(word in token for token in tokens for word in _SLIDE_WORDS)


def _shown(tokens: list[str]) -> bool:
    return any(token in SHOWN for token in tokens)


def hidden_slides(tree: etree._Element) -> list[etree._Element]:
    """The slides not on screen, of every slideshow that marks exactly one slide as shown."""
    groups: dict[tuple[etree._Element, str], list[tuple[etree._Element, list[str]]]] = defaultdict(list)
    for element in _CANDIDATES(tree):  # found in C: a page has few such elements, if any
        parent = element.getparent()
        if parent is not None and _is_slide(tokens := _tokens(element)):
            groups[(parent, element.tag)].append((element, tokens))
    hidden: list[etree._Element] = []
    for slides in groups.values():
        shown = [slide for slide, tokens in slides if _shown(tokens)]
        if len(slides) >= MIN_SLIDES and len(shown) == 1:
            hidden += [slide for slide, _ in slides if slide is not shown[0]]
            shown[0].set(SHOWN_MARK, "1")
    return hidden


def drop_hidden_slides(tree: lxml.html.HtmlElement) -> int:
    """Remove from the tree, in place, every slide its slideshow does not show; returns how many."""
    slides: list[lxml.html.HtmlElement] = hidden_slides(tree)  # type: ignore[assignment]
    for slide in slides:
        if slide.getparent() is not None:
            slide.drop_tree()  # lxml.html: the tail stays
    return len(slides)


def with_shown_captions(tree: lxml.html.HtmlElement, text: str) -> str:
    """`text` with the caption of each shown slide it lacks after it (see the module docstring)."""
    for caption in tree.xpath(f"//*[@{SHOWN_MARK}]//figcaption"):
        line = " ".join(caption.text_content().split())
        if line and " ".join(line.split()) not in " ".join(text.split()):
            text = f"{text.rstrip()}\n{line}" if text.strip() else line
    return text
