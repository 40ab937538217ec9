"""Dates in a byline block: the info line of old portals ("作者：佚名 2009-5-12 点击数：56").

extract/dates.py trusts labels that say "published" (发布时间, 日期 …).  Portals also print the
date unlabelled among the credits, or under their CMS's own labels (录入时间, 添加时间), often in
a table cell under the title, while their sidebars list other stories' dates in cells of their
own.  A line above the article that reads as a header line by config/boilerplate.toml's labels
(作者, 来源, 点击数, 录入时间 …) and holds a date dates the page almost as surely as a label; it is
read before any bare date line, nearest the article first (its date_source is "text", as theirs).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from extract.date_values import DATE
from extract.normalise import to_simplified
from extract.rules import load_rules

_SENTENCE = re.compile(r"[。！？!?]")
_BOILERPLATE = re.compile(r"©|copyright|版权所有|版權所有|ICP|公网安备|公網安備", re.IGNORECASE)
_ABOVE = 8  # lines above the article read: the info line stands right there, sidebars further up
_TOP = 3  # lines of the article read: an info line the extractor kept opens it
_PROBE = 20  # characters of the article's first line looked for in the page's text


def byline_lines(page_text: str, main_text: str) -> list[str]:
    """The few lines right above the article in the page's text, then the article's first lines."""
    main = [ln.strip() for ln in main_text.splitlines() if ln.strip()]
    first = next((ln for ln in main if len(ln) >= 8), "")
    start = page_text.find(first[:_PROBE]) if first else -1
    above = [ln.strip() for ln in page_text[: max(start, 0)].splitlines() if ln.strip()]
    return above[-_ABOVE:] + main[:_TOP]


def byline_dates(lines: Iterable[str]) -> Iterator[tuple[str, re.Match[str]]]:
    """(line, date match) for each short, sentence-free line holding a labelled credit and a date."""
    rules = load_rules()
    for line in lines:
        if len(line) > rules.fields_max_len or _SENTENCE.search(line) or not (m := DATE.search(line)):
            continue
        if not _BOILERPLATE.search(line) and rules.label_re.search(unicodedata.normalize("NFKC", to_simplified(line))):
            yield line, m
