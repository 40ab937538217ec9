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


_OPENERS = re.compile(r"[\s\[【（(]*")
_PUBLISHER = re.compile(r"[\s|｜/·\-—\]】）)]*(?P<name>[^\s，,。！？!?：:；;\d][^，,。！？!?：:；;]{1,23}?)\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def info_line(page_text: str, main_text: str, title: str) -> str | None:
    """The line right under the headline in the page's text, above the article; None where the
    headline is not found there (the line above an article may as well be a sidebar's list row)."""
    main = [ln.strip() for ln in main_text.splitlines() if ln.strip()]
    first = next((ln for ln in main if len(ln) >= 8), "")
    start = page_text.find(first[:_PROBE]) if first else -1
    above = [ln.strip() for ln in page_text[: max(start, 0)].splitlines() if ln.strip()]
    title = " ".join(title.split())
    heads = [i for i, ln in enumerate(above) if len(title) >= 4 and title in ln and len(ln) <= len(title) + 4]
    return above[heads[-1] + 1] if heads and heads[-1] + 1 < len(above) else None


def publisher_date(line: str | None) -> re.Match[str] | None:
    """The date of an info line that is a date and then only the publisher's name
    ("2024年3月10日 禾县科协", "二〇二四年三月十日　禾县科协"), else None."""
    if not line or _BOILERPLATE.search(line):
        return None
    opened = _OPENERS.match(line)
    m = DATE.match(line, opened.end() if opened else 0)
    if m is None or (rest := _PUBLISHER.fullmatch(line, m.end())) is None:
        return None
    name = rest["name"]
    return m if _CJK.search(name) and DATE.search(name) is None else None
