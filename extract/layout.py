"""Make an old or portal page's structure readable for the extractors, on a copy of the tree.

Three structural fixes, all decided from the markup alone:

* Layout tables (on Chinese and English pages, extract/language.py): many association and county
  sites lay the whole page out in nested <table>s.
  trafilatura then renders navigation rows and the article cell alike as "| … | … |" rows and
  cannot tell them apart.  A table that holds another table, has a single row or column, or a
  cell with more text than a data cell ever has, is layout: its rows and cells become <div>s.
  Data tables (many short cells) stay tables.
* One marked article: a page whose markup names exactly one outermost <article> (or
  itemprop=articleBody) with real text is scoped to it, so teaser streams and "more news"
  lists beside it cannot be mistaken for the article's continuation; but only when that element
  holds the headline or most of the paragraphs' text (a lone <article> may be a teaser box).
* Slides a slideshow does not show (all but the one marked active) go: extract/slides.py.
* Teaser streams (linked headline + summary, many times over) are taken out: their summaries
  read like prose and outweigh a short post (extract/teasers.py).
"""

from __future__ import annotations

import copy

import lxml.html
from lxml import etree

from extract.language import page_language
from extract.slides import drop_hidden_slides
from extract.teasers import drop_teaser_streams

_CELL_TEXT_MAX = 200  # non-space characters; a longer cell is prose laid out in a table
_ARTICLE_MIN = 50  # non-space characters a marked article must hold to be trusted
_SAMPLE = 3000  # characters of text read to tell a page's script when it declares no language
_TABLE_PARTS = ("tbody", "thead", "tfoot", "tr", "td", "th", "caption")


def _chars(node: etree._Element) -> int:
    return len("".join(node.text_content().split()))


def _owner_table(el: etree._Element) -> etree._Element | None:
    """The nearest <table> above an element (its own table, for a cell or row)."""
    return next((a for a in el.iterancestors("table")), None)


def _own_parts(table: etree._Element) -> list[etree._Element]:
    """Rows, cells and sections of this table, not of tables nested in its cells."""
    return [el for el in table.iter(*_TABLE_PARTS) if _owner_table(el) is table]


def _parts_by_table(tree: etree._Element) -> dict[etree._Element, list[etree._Element]]:
    """_own_parts of every table in one pass: each part looks up its nearest table once,
    instead of once per enclosing table (nested layout tables made that quadratic)."""
    parts: dict[etree._Element, list[etree._Element]] = {table: [] for table in tree.iter("table")}
    for el in tree.iter(*_TABLE_PARTS):
        owner = _owner_table(el)
        if owner is not None:
            parts[owner].append(el)
    return parts


def _is_layout(parts: list[etree._Element]) -> bool:
    cells = [el for el in parts if el.tag in ("td", "th")]
    rows = [el for el in parts if el.tag == "tr"]
    if not cells or len(rows) <= 1:
        return True
    if max(sum(1 for c in row if c.tag in ("td", "th")) for row in rows) <= 1:
        return True
    return any(cell.find(".//table") is not None or _chars(cell) > _CELL_TEXT_MAX for cell in cells)


def is_layout_table(table: etree._Element) -> bool:
    """A table used for page layout rather than for data."""
    return _is_layout(_own_parts(table))


def unwrap_layout_tables(tree: lxml.html.HtmlElement) -> int:
    """Turn every layout table into nested <div>s, in place; returns how many were turned."""
    layout = [(table, parts) for table, parts in _parts_by_table(tree).items() if _is_layout(parts)]
    for table, parts in layout:  # decided first, rewritten after: rewriting changes ownership
        for el in (table, *parts):
            el.tag = "div"
            for attr in ("width", "colspan", "rowspan", "cellpadding", "cellspacing", "border"):
                el.attrib.pop(attr, None)
    return len(layout)


def _prose(node: etree._Element) -> int:
    """Non-space characters of a node's paragraphs (<p>, not in links): the text an article holds."""
    return sum(len("".join(p.xpath("string()").split())) - sum(_chars(a) for a in p.iter("a"))
               for p in node.iter("p"))


def proves_itself(article: etree._Element, body: etree._Element) -> bool:
    """A marked article is the page's article when it holds the headline (the page's first <h1>)
    or most of its paragraphs' text; a lone <article> may be a related-story teaser box."""
    headline = next(body.iter("h1"), None)
    if headline is not None and any(anc is article for anc in headline.iterancestors()):
        return True
    return _prose(article) * 2 >= _prose(body)


def marked_article(tree: lxml.html.HtmlElement) -> etree._Element | None:
    """The page's one outermost <article>/articleBody with text that proves itself (holds the
    headline or most of the text), or None if there are 0 or several or it does not."""
    marked = tree.xpath("//article|//*[@itemprop='articleBody']")
    outer = [el for el in marked if not any(anc in marked for anc in el.iterancestors())]
    body = tree.find("body")
    if len(outer) == 1 and _chars(outer[0]) >= _ARTICLE_MIN and (body is None or proves_itself(outer[0], body)):
        return outer[0]
    return None


def _tables_are_ours(tree: lxml.html.HtmlElement) -> bool:
    """Layout tables are unwrapped on Chinese and English pages, whose sites the rule was built and
    checked on; a Japanese page laid out in tables reads better to trafilatura as it is."""
    body = tree.find("body")
    sample = ""
    if body is not None and not tree.get("lang"):  # no declared language: the first text tells
        # the body's text as "".join(body.itertext()) gives it, from libxml2 at once: itertext cost
        # ~4,000 instructions a piece, more than the whole text serialised
        sample = etree.tostring(body, method="text", encoding="unicode", with_tail=False)[:_SAMPLE]
    return page_language(tree, sample) in ("zh", "en")


def prepared_copy(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the page with layout tables unwrapped and, if marked, only the article in <body>.

    The <head> stays whole, so metadata (title, dates, JSON-LD) is still there for trafilatura.
    """
    work = copy.deepcopy(tree)
    if _tables_are_ours(work):
        unwrap_layout_tables(work)
    drop_hidden_slides(work)  # a slideshow shows one slide (extract/slides.py)
    drop_teaser_streams(work)
    article, body = marked_article(work), work.find("body")
    if article is not None and body is not None and article is not body:
        for child in list(body):
            body.remove(child)
        article.tail = None
        body.text = None
        body.append(article)
    return work
