"""A notice's prose and its data table, when each extractor kept only one of the two.

A notice (招生简章, 获奖名单, 公示) often is a few paragraphs and then a data table — or a table
and then the paragraphs — side by side in one container. The two extractors split it:
trafilatura (favor_precision) keeps the table and drops `<br>`-separated prose in a nested
`<div>`; readability scores the prose `<div>` highest and leaves the table, which is no sibling
of it, out. Their texts then hardly overlap, so comparing them (extract/opinions.py) can only
pick one half.

This module puts the two halves back together from the tree: when one text holds a data table
and the other text lies, outside that table, in a near ancestor of it that holds little else,
the main text is that ancestor's visible text — prose and table in document order.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable

import lxml.html
from lxml import etree

from extract.visible import visible_text

MIN_ROWS = 4  # rows of at least two cells for a table to count as data
UP = 4  # ancestors of the table searched for the one that also holds the other text
INSIDE = 0.85  # share of a text's tokens found in the table / the ancestor
APART = 0.3  # at most this share of the prose found in the table or in the table's text
TABLE_SHARE = 0.6  # share of the table text's tokens that are the table's own
EXTRA = 0.15  # share of the ancestor's tokens in neither text (a closing line, a date)


def _data_tables(tree: lxml.html.HtmlElement) -> list[etree._Element]:
    """Tables with no table inside and at least MIN_ROWS rows of two cells or more, largest first
    (extract/layout.py has already turned layout tables into divs)."""
    found = []
    for table in tree.iter("table"):
        if table.find(".//table") is not None:
            continue
        rows = [row for row in table.iter("tr") if len(row.findall("td") + row.findall("th")) >= 2]
        if len(rows) >= MIN_ROWS:
            found.append(table)
    return sorted(found, key=lambda t: len(t.text_content()), reverse=True)


def _share(part: Counter[str], whole: Counter[str]) -> float:
    size = sum(part.values())
    return sum((part & whole).values()) / size if size else 0.0


def restore_table(tree: lxml.html.HtmlElement, text: str, first: str, second: str,
                  bag_of: Callable[[str], Counter[str]]) -> str:
    """`text` (the chosen one of `first` and `second`), or the container holding both a data table
    one of them has and the prose the other has, when they split it (see the module docstring)."""
    if not first or not second:
        return text
    bags = [bag_of(first), bag_of(second)]
    if not all(sum(b.values()) for b in bags):
        return text
    for table in _data_tables(tree):
        cells = bag_of(table.text_content())
        for holder, prose in ((bags[0], bags[1]), (bags[1], bags[0])):
            if (_share(cells, holder) < INSIDE or _share(holder, cells) < TABLE_SHARE
                    or _share(prose, cells) > APART or _share(prose, holder) > APART):
                continue
            for ancestor in list(table.iterancestors())[:UP]:
                if ancestor.tag in ("body", "html"):
                    break
                whole = bag_of(ancestor.text_content())
                if _share(prose, whole) < INSIDE:
                    continue
                extra = sum((whole - (holder | prose)).values())
                if extra <= EXTRA * sum(whole.values()):
                    return visible_text(copy.deepcopy(ancestor))
                break
    return text
