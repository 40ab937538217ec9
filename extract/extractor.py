"""Extract stage: bytes → title, main text, date candidates and whole-page text.

The HTML is decoded and parsed once here; the extractors work on one prepared copy of that
tree (extract/layout.py) and check each other (extract/opinions.py).  Every later stage
works on the strings this stage leaves on the Page, so nothing parses the same page twice.
"""

from __future__ import annotations

import copy

import lxml.html
import trafilatura
from lxml import etree

from extract import container
from extract.container import Container
from extract.date_markup import date_candidates
from extract.decode import decode_body
from extract.layout import prepared_copy
from extract.metadata import PageMetadata
from extract.opinions import main_text
from extract.page import Page
from extract.platforms import platform_article
from extract.sniff import sniff
from extract.title import choose_title
from extract.visible import visible_text

EXTRACTOR_VERSION = f"kexie-4/trafilatura-{trafilatura.__version__}"
# lxml.html's parser asks a Python function for every element's class (about a thousand calls a
# page); this one answers in C.  Every element is still an HtmlElement, which is all trafilatura and
# readability check for; only lxml.html's form classes (FormElement, InputElement…) go unused.
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """lxml tree of a page, or None for a page with no markup to speak of."""
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _main_text(work: lxml.html.HtmlElement, page: Page) -> tuple[str, Container | None, str]:
    """(text, container, how): the learned container's text when the page fits it (a fraction of the
    extractors' cost), else both extractors and the container their text came from, if any."""
    learned = page.learned_container
    if learned is not None and (text := container.use(work, learned)) is not None:
        return text, None, "container"
    text = main_text(work, page.url).text
    found = container.find(work, text) if page.find_container else None
    return text, found, "fallback" if learned is not None else "extractors"


def extract(page: Page) -> Page:
    """Fill encoding, title, raw_text, page_text, meta_dates and the lazy metadata.

    Bodies that are no HTML page (sniffed by their bytes) and text too damaged to decode are
    kept aside here, before anything is parsed."""
    content_type = next((v for k, v in page.headers.items() if k.lower() == "content-type"), None)
    if refused := sniff(page.body, content_type):
        return page.reject(*refused)
    decoded = decode_body(page.body, content_type, page.encoding_hint)
    page.encoding = decoded.codec
    if problem := decoded.problem():
        return page.reject("decoding", problem)
    tree = parse_html(decoded.text)
    if tree is None:
        return page.reject("empty_page", f"{len(page.body)} bytes with no HTML")
    page.meta_dates = date_candidates(tree)
    hits = tree.xpath(page.content_xpath) if page.content_xpath else []
    known = None
    if hits and isinstance(hits[0], etree._Element):  # the site's own hint beats any heuristic
        page.raw_text, page.extracted_by = visible_text(copy.deepcopy(hits[0])), "hint"
        page.metadata = PageMetadata(copy.deepcopy(tree), page.url or None)
    elif (known := platform_article(tree, decoded.text)) is not None:  # WeChat & co: their markup says it all
        page.raw_text, page.extracted_by = visible_text(known.body), "platform"
        page.meta_dates += known.dates
        page.metadata = PageMetadata(copy.deepcopy(tree), page.url or None, author=known.author)
    else:
        work = prepared_copy(tree)
        page.raw_text, page.container, page.extracted_by = _main_text(work, page)
        page.metadata = PageMetadata(work, page.url or None)  # neither extractor changes `work`
    metadata = page.metadata
    page.title = (known and known.title) or choose_title(
        tree, lambda: (metadata.title or "").strip(), page.site_name or None, page.raw_text)
    body = tree.find("body")
    page.page_text = visible_text(body if body is not None else tree)
    if not page.raw_text.strip():
        page.reject("no_text", "the extractor found no main text")
    return page
