"""Main text from two independent extractors that check each other, a third when they disagree.

trafilatura (favor_precision) and readability fail in different ways: trafilatura keeps
navigation, teaser streams or a whole layout when a page is unusual; readability sometimes
picks one small box, or nothing.  So both run on the same prepared tree (extract/layout.py)
and their token bags are compared:

* readability's text lies inside trafilatura's and is not a sliver of it: trafilatura kept
  extra blocks that readability judged boilerplate → readability; but what trafilatura kept between
  readability's first and last paragraphs (subheadings, captions) is the article's (extract/interior.py).
* trafilatura's text lies inside readability's: trafilatura's unless it lost more than half.
* they disagree: trafilatura in balanced mode is the referee; the candidate closer to it wins.
* both found next to nothing: the balanced run (with trafilatura's recall cascade) if it finds more.
* trafilatura's text shows a text page's sections (译文, 注释, 赏析) that readability's lacks:
  trafilatura's (extract/sections.py).
* trafilatura's text lies inside readability's and readability's only repeats lines trafilatura
  holds (a photo story's lead under every photo): readability's (extract/repeats.py).

The comparison is a multiset overlap of CJK character bigrams and latin words, cheap enough to
run on every page.
"""

from __future__ import annotations

import copy
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree
from readability.cleaners import html_cleaner
from readability.readability import REGEXES, Document, clean

from extract.embeds import mend_readability
from extract.interior import interior_text
from extract.language import OURS, page_language
from extract.navgrid import is_link_grid
from extract.posts import described_post
from extract.repeats import only_repeats
from extract.sections import sections_text
from extract.slides import with_shown_captions
from extract.tables import restore_table
from extract.verse import restore_verse
from extract.visible import visible_text

# readability-lxml's own Cleaner minus its JavaScript scrub (on* attributes, javascript: links,
# CSS expressions): a quarter of readability's time, and no text changes (tests/test_extract.py).
_CLEANER = copy.copy(html_cleaner)
_CLEANER.javascript = False


class Readability(Document):
    """readability-lxml's Document, cleaning with _CLEANER and remembering text lengths.

    Both through overridden methods, never by rebinding readability's module globals (which every
    other Document in the process would see): `_parse` is readability 0.9's own with _CLEANER for
    its html_cleaner; `get_link_density` is its own with each text's cleaned length remembered for
    the page (about 160 calls a page on a few dozen distinct texts, most of readability's `clean`
    time). The same output (tests/test_readability_isolation.py); pyproject.toml bounds the version.
    """

    def __init__(self, input: lxml.html.HtmlElement, **options: object) -> None:
        super().__init__(input, **options)
        self._lengths: dict[str, int] = {}

    def _parse(self, input: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
        """readability's _parse for a parsed tree: hidden elements out, then _CLEANER, then links."""
        doc, self.encoding = input, "utf-8"
        for elem in doc.xpath("//*[@hidden]"):
            elem.drop_tree()
        for elem in doc.xpath("//*[@style]"):
            if REGEXES["displayNoneRe"].search(elem.get("style")):
                elem.drop_tree()
        doc = _CLEANER.clean_html(doc)
        if self.url:
            doc.make_links_absolute(self.url, resolve_base_href=True, handle_failures=self.handle_failures)
        else:
            doc.resolve_base_href(handle_failures=self.handle_failures)
        return doc

    def _length(self, elem: lxml.html.HtmlElement) -> int:
        """readability's text_length, remembered per text."""
        text = elem.text_content() or ""
        if (found := self._lengths.get(text)) is None:
            found = self._lengths[text] = len(clean(text))
        return found

    def get_link_density(self, elem: lxml.html.HtmlElement) -> float:
        links = sum(self._length(link) for link in elem.findall(".//a"))
        return float(links) / max(self._length(elem), 1)

    def summary(self, html_partial: bool = False, keep_all_images: bool = False) -> str:
        return str(super().summary(html_partial=html_partial, keep_all_images=keep_all_images))


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+")
_WORD = re.compile(  # Latin, Greek, Cyrillic, Hebrew, Arabic-script and Indic words (Turkish, Urdu, Hindi…)
    r"[0-9a-z\u00c0-\u024f\u1e00-\u1eff]+|[\u0370-\u03ff\u0400-\u04ff]+|[\u05d0-\u05ea\u0620-\u0669"
    r"\u066e-\u06d3\u06d5-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc\u0900-\u0963\u0966-\u0dff]+")
INSIDE = 0.85  # share of one text's tokens found in the other for it to count as "inside"
SLIVER = 0.3  # an inside text shorter than this share of the other is a fragment, not a trim
FAST = True  # skip trafilatura's own readability/justext pass: readability runs here anyway
TINY = 50  # tokens; below this on both sides neither extractor found the article
HALF = 0.5  # trafilatura inside readability keeps its text only when it has at least this share
FOREIGN_SHARE = 0.8  # on a page in another language, ours below this share of the balanced text inside it loses


@dataclass
class Opinion:
    """The chosen main text and who gave it (trafilatura, readability or balanced)."""

    text: str
    chosen: str


def bag(text: str) -> Counter[str]:
    """CJK character bigrams and lowercased latin/digit words."""
    grams = [run[i : i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]
    grams += _WORD.findall(text.lower())
    return Counter(grams)  # counted in C from a list: a third faster than Counter.update per run


def _inside(part: Counter[str], whole: Counter[str]) -> float:
    """Share of `part`'s tokens that `whole` also holds (multiset intersection)."""
    size = sum(part.values())
    return sum((part & whole).values()) / size if size else 0.0


def _f1(a: Counter[str], b: Counter[str]) -> float:
    common = sum((a & b).values())
    return 2 * common / (sum(a.values()) + sum(b.values())) if common else 0.0


def trafilatura_text(tree: lxml.html.HtmlElement, url: str | None, precision: bool) -> str:
    """trafilatura's main text of a prepared tree (it copies the tree itself); '' when it finds none.

    No metadata here: extract/metadata.py reads it from the same tree, only as far as needed.
    """
    doc = trafilatura.bare_extraction(
        tree, url=url or None, with_metadata=False, include_comments=False, include_tables=True,
        favor_precision=precision, fast=FAST,
    )
    return (getattr(doc, "text", None) or "") if doc is not None else ""


def readability_text(tree: lxml.html.HtmlElement) -> str:
    """readability-lxml's article as one block per line; '' when it finds none."""

    try:
        html = Readability(copy.deepcopy(tree)).summary(html_partial=True)
        return visible_text(lxml.html.fragment_fromstring(html, create_parent="div")) if html.strip() else ""
    except (etree.LxmlError, ValueError, TypeError, AttributeError) as exc:  # readability's own errors
        logging.getLogger(__name__).debug("readability failed: %s", exc)
        return ""


def choose(first: str, second: str, referee: Callable[[], str]) -> tuple[str, str]:
    """(text, name): see the module docstring; `referee` is called only on disagreement."""
    a, b = bag(first), bag(second)
    size_a, size_b = sum(a.values()), sum(b.values())
    if max(size_a, size_b) < TINY:  # both found next to nothing: trafilatura's recall cascade may do better
        third: str = referee()
        if sum(bag(third).values()) > max(size_a, size_b):
            return third, "balanced"
    if not size_b or not size_a:
        return (first, "trafilatura") if size_a or not size_b else (second, "readability")
    if is_link_grid(first):  # trafilatura kept only the section links' grid (extract/navgrid.py)
        return second, "readability"
    if (text := sections_text(first, second, referee, lambda x, y: _inside(bag(x), bag(y)))) is not None:
        return text, "trafilatura"  # a text page's 译文, 注释, 赏析 sections (extract/sections.py)
    if _inside(b, a) >= INSIDE and size_b >= SLIVER * size_a:
        if (span := interior_text(first, second, bag)) is not None:  # extract/interior.py
            return span, "trafilatura"
        return second, "readability"
    if _inside(a, b) >= INSIDE and size_a >= SLIVER * size_b:
        if only_repeats(first, second):  # the page repeats its own lines; trafilatura kept each once
            return second, "readability"
        return (first, "trafilatura") if size_a >= HALF * size_b else (second, "readability")
    c = bag(referee())
    return (first, "trafilatura") if _f1(a, c) >= _f1(b, c) else (second, "readability")


def _towards_balanced(text: str, balanced: str) -> bool:
    """Our text lies inside plain trafilatura's (balanced) and is clearly smaller: it lost a part."""
    ours, theirs = bag(text), bag(balanced)
    return sum(ours.values()) < FOREIGN_SHARE * sum(theirs.values()) and _inside(ours, theirs) >= INSIDE


def main_text(tree: lxml.html.HtmlElement, url: str | None) -> Opinion:
    """trafilatura (precision) and readability on the prepared tree, then choose; a dropped poem back.

    On a page in neither Chinese nor English (extract/language.py) our choice falls back to the
    balanced run's text where it is only a part of it: our rules were not built for that page."""
    first = trafilatura_text(tree, url, precision=True)
    second = readability_text(tree)
    asked: list[str] = []

    def referee() -> str:
        if not asked:
            asked.append(trafilatura_text(tree, url, precision=False))
        return asked[0]

    text, chosen = choose(first, second, referee)
    if chosen == "readability":  # embedded posts back, widget, credit and promo lines out (extract/embeds.py)
        text = mend_readability(tree, text, first)
    if (post := described_post(tree, text, bag)) is not None:  # a short post beside a long story (extract/posts.py)
        return Opinion(post, "described")
    language = page_language(tree, text)
    if language not in ("zh", "en") and chosen == "readability" and _towards_balanced(text, first):
        text, chosen = first, "trafilatura"  # readability's one box of a Japanese, Korean… page
    if language not in OURS and _towards_balanced(text, balanced := referee()):
        return Opinion(balanced, "balanced")
    text = with_shown_captions(tree, text)  # the caption of the slide a slideshow shows (extract/slides.py)
    text = restore_table(tree, text, first, second, bag)  # prose and table split between them (extract/tables.py)
    return Opinion(restore_verse(tree, text), chosen)  # a poem both dropped (extract/verse.py)
