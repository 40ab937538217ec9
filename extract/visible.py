"""The visible text of an HTML subtree, one line per block: what every extraction path reads."""

from __future__ import annotations

from lxml import etree

_BLOCKS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul",
           "ol", "dd", "dt", "section", "article", "header", "footer", "span", "font", "center", "title"}
_INLINE_BREAKS = {"span", "font"}
_BREAKS = tuple(sorted(_BLOCKS - _INLINE_BREAKS))  # the tags whose element ends its line


def visible_text(node: etree._Element) -> str:
    """Text of a subtree with a line break after each block, scripts and styles left out.

    Mutates tails of the node (adds line breaks), so call it last on a tree.
    """
    etree.strip_elements(node, "script", "style", "noscript", etree.Comment, with_tail=False)
    for element in node.iter(*_BREAKS):  # lxml picks the tags: a Python test of every element cost more
        element.tail = "\n" + (element.tail or "")
    text = etree.tostring(node, method="text", encoding="unicode")
    return "\n".join([stripped for line in text.splitlines() if (stripped := line.strip())])
