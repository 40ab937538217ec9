"""Publication dates for archived articles.

An article without a trustworthy date is set aside, never dated with the crawl time, so this module
prefers "no date" (with a reason) to a guess. Sources in order of trust: metadata, labelled lines
(发布日期：…), the URL path, an info line's date (作者：… 2009-5-12 点击数：, extract/date_bylines.py),
header date lines, a Chinese date atop the text, the info line under the headline as a date and
the publisher (2024年3月10日 禾县科协), then htmldate's guess.
Regexes find the date; dateutil parses the normalised string (never fuzzy: it invents the year).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from dateutil import tz

from extract.date_bylines import byline_dates, byline_lines, info_line, publisher_date
from extract.date_markup import META_RANK
from extract.date_values import COMPACT, DATE, IMPOSSIBLE, build, from_match, parse_value

SHANGHAI = tz.gettz("Asia/Shanghai") or tz.tzoffset("CST", 8 * 3600)
_URL_DATES = (COMPACT, re.compile(r"(?<!\d)((?:19|20)\d\d)[-/_](\d{1,2})[-/_](\d{1,2})(?!\d)"),
              re.compile(r"(?<!\d)((?:19|20)\d\d)[-/_](\d\d)(\d\d)(?!\d)"),
              re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])/(\d\d)/"))  # chinadaily /202311/17/
_LABEL = re.compile(  # strong: says "published"; weak: generic, needs a colon; update: last resort
    r"(?P<strong>发布日期|發佈日期|發布日期|发表日期|發表日期|发布时间|發佈時間|發布時間|发表时间|"
    r"發表時間|发稿时间|發稿時間|出版日期|发表于|發表於|发布于|發佈於)"
    r"|(?<![\u4e00-\u9fff])(?P<weak>发布|發佈|發布|发表|發表|时间|時間|日期)"  # not 成文日期, 会议时间
    r"|(?P<update>更新时间|更新時間|更新日期)")
# a character every _LABEL alternative and _POSTED holds: a line without one has no label (one
# charset scan; _LABEL's leading lookbehind makes re try every alternative at every position)
_LABEL_CHARS = re.compile(r"[发發出时時日更于]")
_LABEL_GAP = re.compile(r"[ \t\u3000]*([:：]?)[ \t\u3000]*")
_POSTED = re.compile(r"于[ \t]*")
_POSTED_VERB = re.compile(r"发表|發表|发布|發佈|發布")
_BOILERPLATE = re.compile(r"©|copyright|版权所有|版權所有|ICP|公网安备|公網安備", re.IGNORECASE)
_SITE_PREFIX = re.compile(r"(?:https?://)?[\w-]+(?:\.[\w-]+)+/?", re.ASCII)  # BUSINESS.SOHU.COM
_BARE_TAIL = re.compile(r"[\s|｜/·\-—\]】）)]*(?:更新|来源|來源|作者|阅读|閱讀|点击|點擊|浏览|瀏覽|"
                        r"编辑|編輯|字号|字號|责任编辑|星期|周[一二三四五六日天]|礼拜|禮拜|【|（|\(|$)")
_OPENERS = re.compile(r"[\s\[【（(]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_JAN_1 = re.compile(r"\s*\d{4}-01-01")


@dataclass(frozen=True)
class DateResult:
    """The chosen date (ISO 8601, Asia/Shanghai) or, when none, why not."""

    published_at: str | None
    source: str
    raw: str | None
    reason: str | None


@lru_cache(maxsize=8)
def _lines(text: str) -> tuple[str, ...]:
    """Non-empty lines, less copyright/ICP lines (their years are no publication dates).

    Remembered for the last few texts: one find_date reads the main text's lines four times and the
    page's head and tail twice."""
    return tuple(s for s in (ln.strip() for ln in text.splitlines()) if s and not _BOILERPLATE.search(s))


def _labelled(text: str) -> Iterator[tuple[int, str, re.Match[str]]]:
    """(rank, raw, match) per labelled date. An empty label takes only a date line right below it."""
    lines = _lines(text)
    for i, line in enumerate(lines):
        if not _LABEL_CHARS.search(line):
            continue
        for lab in _LABEL.finditer(line):
            rank = 0 if lab["strong"] else 1 if lab["weak"] else 2
            gap = _LABEL_GAP.match(line, lab.end())
            if gap is None or (rank == 1 and not gap[1]):
                continue
            if m := DATE.match(line, gap.end()):
                yield rank, line[lab.start():m.end()], m
            elif gap.end() == len(line) and i + 1 < len(lines) and (
                    m := DATE.fullmatch(lines[i + 1])):
                yield rank, f"{line[lab.start():]} {lines[i + 1]}", m
        for posted in _POSTED.finditer(line):  # 本帖由某某于2005年8月12日16:12:21在…发表
            m = DATE.match(line, posted.end())
            if m and m["H"] and _POSTED_VERB.search(line, m.end(), m.end() + 30):
                yield 1, line[posted.start():m.end()], m


def _bare_lines(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Header lines that are a date, maybe after a site name or before 来源/阅读….

    List rows ("· 标题 2023-11-02", "[2023-11-02] 标题") have other text around the date: skipped.
    """
    for line in _lines(text):  # also "【2024-03-10】", "2024年3月10日 星期日"
        opened = _OPENERS.match(line)
        if (m := DATE.search(line)) and (_SITE_PREFIX.fullmatch(line[:m.start()].strip()) or (
                m.start() == (opened.end() if opened else 0)
                and (_BARE_TAIL.match(line, m.end()) or not _CJK.search(line, m.end())))):
            yield line, m


def _split_at_main_end(page_text: str, main_text: str) -> tuple[str, str]:
    """Page text up to the end of the article and after it (comments, footers: trusted less)."""
    lines = [ln for ln in _lines(main_text) if len(ln) >= 8]
    if not lines or (end := page_text.find(lines[-1][-20:], max(page_text.find(lines[0][:20]), 0))) < 0:
        return page_text, ""
    end += len(lines[-1][-20:])
    return page_text[:end], page_text[end:]


def find_date(url: str, meta: Sequence[tuple[str, str]], page_text: str, main_text: str,
              fallback: str | Callable[[], str | None] | None = None,
              now: datetime | None = None, title: str = "") -> DateResult:
    """The most trusted plausible publication date, or why there is none (`title`: the headline,
    whose info line below may hold an unlabelled date before the publisher's name)."""
    now = now or datetime.now(SHANGHAI)
    now = now if now.tzinfo else now.replace(tzinfo=SHANGHAI)
    rejected: dict[str, str] = {}
    if found := _first_plausible(_tiers(url, meta, page_text, main_text, title), main_text, now, rejected):
        return found
    late = fallback() if callable(fallback) else fallback  # htmldate: the costliest, so asked last
    if late and not _JAN_1.match(late) and (  # htmldate reads 2023年12月5日 as 2023-01-01
            found := _first_plausible([("htmldate", late, *parse_value(late))], main_text, now, rejected)):
        return found
    reason = next((r for r in ("future_date", "implausible_date") if r in rejected), "no_date")
    return DateResult(None, "", rejected.get(reason), reason)


Tier = tuple[str, str, datetime | None, bool]  # (source, raw, value, timed)


def _tiers(url: str, meta: Sequence[tuple[str, str]], page_text: str, main_text: str,
           title: str = "") -> Iterator[Tier]:
    """(source, raw, value, timed) in order of trust, worked out only as far as they are read."""
    yield from ((source, raw, *parse_value(raw)) for source, raw in
                sorted(meta, key=lambda sr: META_RANK.get(sr[0].removeprefix("meta:"), 3)))
    head, tail = _split_at_main_end(page_text, main_text)
    labelled = sorted(((r, t, i), raw, mt) for t, text in enumerate((head, main_text, tail))
                      for i, (r, raw, mt) in enumerate(_labelled(text)))  # keys are unique
    yield from (("label", raw, *from_match(mt)) for key, raw, mt in labelled if key[0] < 2 > key[1])
    yield from (("url", url, *build(int(m[1]), int(m[2]), int(m[3])))
                for pattern in _URL_DATES for m in pattern.finditer(urlsplit(url).path))
    near = byline_lines(page_text, main_text)  # right above the article: sidebars' dates come later
    yield from (("text", raw, *from_match(mt)) for raw, mt in byline_dates(near))
    yield from (("text", raw, *from_match(mt)) for raw, mt in _bare_lines("\n".join(reversed(near))))
    yield from (("text", raw, *from_match(mt)) for raw, mt in _bare_lines(head))
    yield from (("text", line, *from_match(mt)) for line in _lines(main_text)[:5]
                for mt in DATE.finditer(line) if mt["cy"])
    if mt := publisher_date(line := info_line(page_text, main_text, title)):  # 2024年3月10日 禾县科协
        yield "text", str(line), *from_match(mt)
    yield from (("label", raw, *from_match(mt)) for key, raw, mt in labelled if key[0] < 2 == key[1])
    yield from (("text", raw, *from_match(mt)) for raw, mt in _bare_lines(tail))
    yield from (("label", raw, *from_match(mt)) for key, raw, mt in labelled if key[0] == 2)


def _first_plausible(tiers: Iterable[Tier], main_text: str, now: datetime,
                     rejected: dict[str, str]) -> DateResult | None:
    """The first plausible tier as a result; implausible values are noted in `rejected` by reason."""
    stream = iter(tiers)
    for source, raw, value, timed in stream:
        if value is None or (reason := _implausible(value, timed, now)):
            if value is not None:
                rejected.setdefault(reason, raw)
            continue
        if not timed:  # the same day with a time from a less trusted source: keep that time
            value, timed = next(((v, t) for _, _, v, t in stream if t and v is not None and
                                 _local(v).date() == value.date() and not _implausible(v, t, now)),
                                (value, False))
        if signed := _signed_before(main_text, _local(value).date() if timed else value.date()):
            return DateResult(signed[0], "signature", signed[1], None)
        iso = _local(value).isoformat(timespec="seconds") if timed else value.date().isoformat()
        return DateResult(iso, source, raw, None)
    return None


_SIGNED_WITHIN = timedelta(days=7)
_NOT_ISSUER = re.compile(r"[。，！？；：,;:!?]")


def _signed_before(main_text: str, published: date) -> tuple[str, str] | None:
    """(ISO day, raw) of a notice's 落款 when it was signed shortly before `published`.

    Official notices end with the issuer on one line and the signing date on the next
    ("吉林省人民政府" / "2022年1月27日"); the site publishes them a day or a few later.  The
    signed date is the document's own date, so it wins over the site's, but only when the two
    are that close: a later "signature" is a quoted date, a much earlier one an old document.
    """
    lines = _lines(main_text)[-2:]
    if len(lines) < 2 or not (2 <= len(lines[0]) <= 30) or _NOT_ISSUER.search(lines[0]) or not _CJK.search(lines[0]):
        return None
    if not (m := DATE.fullmatch(lines[1])) or not m["cy"]:
        return None
    value, _ = from_match(m)
    if value is None or value is IMPOSSIBLE or not timedelta(0) <= published - value.date() <= _SIGNED_WITHIN:
        return None
    return value.date().isoformat(), f"{lines[0]} {lines[1]}"


def _local(value: datetime) -> datetime:
    """The value in Asia/Shanghai; naive values are Shanghai time already."""
    return value.astimezone(SHANGHAI) if value.tzinfo else value.replace(tzinfo=SHANGHAI)


def _implausible(value: datetime, timed: bool, now: datetime) -> str:
    """Why a date cannot be a publication date (impossible, before 1990, future), else ''."""
    limit = now + timedelta(days=1)
    if value.year < 1990:
        return "implausible_date"
    if (_local(value) > limit) if timed else (value.date() > limit.astimezone(SHANGHAI).date()):
        return "future_date"
    return ""
