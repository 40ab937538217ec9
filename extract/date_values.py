"""Date strings to datetimes: the numeric and Chinese date pattern, compact dates, strict dateutil.

extract/dates.py decides which date of a page to trust; this module only reads one. Regexes
find the parts and normalise them (二〇二三年十二月五日 -> 2023-12-05); python-dateutil parses the
normalised string, never in fuzzy mode (it would invent the year of 2023年12月5日).
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import datetime

from dateutil import parser

from extract.chinese_numerals import CN_DIGIT_CHARS, CN_NUMBER_CHARS, cn_to_int

DATE = re.compile(  # numeric (2021/12/27, 2021-12-27, 2021.12.27) or Chinese (2023年12月5日, 二〇二三年…)
    r"(?<!\d)(?:(?P<y>(?:19|20)\d\d)[ \t]*(?P<sep>[-/.])[ \t]*(?P<m>\d{1,2})[ \t]*(?P=sep)"
    rf"[ \t]*(?P<d>\d{{1,2}})(?!\d)|(?P<cy>(?:19|20)\d\d|[１２][０-９]{{3}}|[{CN_DIGIT_CHARS}]{{4}})"
    rf"[ \t]*年[ \t]*(?P<cm>\d{{1,2}}|[{CN_NUMBER_CHARS}]{{1,2}})[ \t]*月[ \t]*"
    rf"(?P<cd>\d{{1,2}}|[{CN_NUMBER_CHARS}]{{1,3}})[ \t]*[日号])"
    r"(?:[ \t\u3000T-]*(?P<H>\d{1,2})[ \t]*[:：时][ \t]*(?P<M>\d\d)(?!\d)"
    r"(?:[ \t]*[:：分][ \t]*(?P<S>\d\d)(?!\d))?(?:\.\d+)?(?P<tz>Z|[+-]\d\d:?\d\d)?)?")
COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_CLOCK = re.compile(r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d")  # what from_match writes, in range
IMPOSSIBLE = datetime.min  # looked like a date but is none (2023-02-30): rejected as implausible
Parsed = tuple[datetime | None, bool]  # (value, has a time); value None: no date in the string


def build(y: int | None, m: int | None, d: int | None, clock: str = "", offset: str = "") -> Parsed:
    """dateutil on a normalised numeric string; IMPOSSIBLE when it is no real date.

    A plain date or date and time with no offset (what nearly every page gives) is read by
    datetime.fromisoformat, which gives dateutil's value for such a string at a tenth of the cost
    (tests/test_dates.py compares them); anything else, or anything it refuses, goes to dateutil."""
    if not offset and isinstance(y, int) and isinstance(m, int) and isinstance(d, int) and (
            1000 <= y <= 9999 and 0 <= m <= 99 and 0 <= d <= 99 and (not clock or _CLOCK.fullmatch(clock))):
        with suppress(ValueError):
            return datetime.fromisoformat(f"{y:04d}-{m:02d}-{d:02d}{clock}"), bool(clock)
    try:
        return parser.parse(f"{y:04d}-{m:02d}-{d:02d}{clock}{offset}"), bool(clock)
    except (ValueError, OverflowError, TypeError):  # TypeError: a part that was no numeral
        return IMPOSSIBLE, False


def from_match(m: re.Match[str]) -> Parsed:
    """A DATE match as a datetime (naive unless it had an offset)."""
    parts = (m["y"], m["m"], m["d"]) if m["y"] else (m["cy"], m["cm"], m["cd"])
    clock = f"T{int(m['H']):02d}:{m['M']}:{m['S'] or '00'}" if m["H"] else ""
    y, mo, d = (cn_to_int(p) for p in parts)
    return build(y, mo, d, clock, m["tz"] or "")


def parse_value(value: str) -> Parsed:
    """A metadata value: the date regexes, else strict dateutil (two defaults expose missing parts)."""
    if m := DATE.search(value):
        return from_match(m)
    if c := COMPACT.fullmatch(value.strip()):
        return build(int(c[1]), int(c[2]), int(c[3]))
    try:  # e.g. "Tue, 05 Dec 2023 10:30:00 +0800"
        a = parser.parse(value, default=datetime(2001, 1, 1, 0, 0, 0))
        b = parser.parse(value, default=datetime(2002, 2, 2, 1, 1, 1))
    except (ValueError, OverflowError):
        return None, False
    return (a, a.time() == b.time()) if a.date() == b.date() else (None, False)
