"""Publication dates for archived articles.

An article without a trustworthy date is set aside, never dated with the crawl time, so this module
prefers "no date" (with a reason) to a guess. Sources in order of trust: metadata, labelled lines
(发布日期：…), the URL path, header date lines, a Chinese date atop the text, then htmldate's guess.
Regexes find the date; dateutil parses the normalised string (never fuzzy: it invents the year).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import lxml.html
from dateutil import parser, tz

from pipelines.chinese_numerals import CN_DIGIT_CHARS, CN_NUMBER_CHARS, cn_to_int

SHANGHAI = tz.gettz("Asia/Shanghai") or tz.tzoffset("CST", 8 * 3600)
# Metadata names (lower case) by trust: 0 publication date, 1 a vaguer date, 2 <time> in the header.
# Modified/updated fields are left out on purpose. Callers' unknown sources rank 3.
_META_RANK = dict.fromkeys((
    "article:published_time", "og:published_time", "og:release_date", "article:published", "publishdate",
    "pubdate", "publish_date", "publish-date", "publishtime", "publish_time", "datepublished",
    "firstpublishedtime", "apub:time", "parsely-pub-date", "sailthru.date", "jsonld",
    "itemprop:datepublished"), 0) | dict.fromkeys((
    "dc.date", "dc.date.created", "dc.date.issued", "dcterms.created", "dcterms.issued", "dcterms.date",
    "citation_date", "citation_publication_date", "prism.publicationdate", "datecreated",
    "jsonld:datecreated", "og:time"), 1) | {"time": 2}
_DATE = re.compile(  # numeric (2021/12/27, 2021-12-27, 2021.12.27) or Chinese (2023年12月5日, 二〇二三年…)
    r"(?<!\d)(?:(?P<y>(?:19|20)\d\d)[ \t]*(?P<sep>[-/.])[ \t]*(?P<m>\d{1,2})[ \t]*(?P=sep)"
    rf"[ \t]*(?P<d>\d{{1,2}})(?!\d)|(?P<cy>(?:19|20)\d\d|[１２][０-９]{{3}}|[{CN_DIGIT_CHARS}]{{4}})"
    rf"[ \t]*年[ \t]*(?P<cm>\d{{1,2}}|[{CN_NUMBER_CHARS}]{{1,2}})[ \t]*月[ \t]*"
    rf"(?P<cd>\d{{1,2}}|[{CN_NUMBER_CHARS}]{{1,3}})[ \t]*[日号])"
    r"(?:[ \t\u3000T-]*(?P<H>\d{1,2})[ \t]*[:：时][ \t]*(?P<M>\d\d)(?!\d)"
    r"(?:[ \t]*[:：分][ \t]*(?P<S>\d\d)(?!\d))?(?:\.\d+)?(?P<tz>Z|[+-]\d\d:?\d\d)?)?")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_URL_DATES = (_COMPACT, re.compile(r"(?<!\d)((?:19|20)\d\d)[-/_](\d{1,2})[-/_](\d{1,2})(?!\d)"),
              re.compile(r"(?<!\d)((?:19|20)\d\d)[-/_](\d\d)(\d\d)(?!\d)"),
              re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])/(\d\d)/"))  # chinadaily /202311/17/
_LABEL = re.compile(  # strong: says "published"; weak: generic, needs a colon; update: last resort
    r"(?P<strong>发布日期|發佈日期|發布日期|发表日期|發表日期|发布时间|發佈時間|發布時間|发表时间|"
    r"發表時間|发稿时间|發稿時間|出版日期|发表于|發表於|发布于|發佈於)"
    r"|(?<![\u4e00-\u9fff])(?P<weak>发布|發佈|發布|发表|發表|时间|時間|日期)"  # not 成文日期, 会议时间
    r"|(?P<update>更新时间|更新時間|更新日期)")
_LABEL_GAP = re.compile(r"[ \t\u3000]*([:：]?)[ \t\u3000]*")
_POSTED = re.compile(r"于[ \t]*")
_POSTED_VERB = re.compile(r"发表|發表|发布|發佈|發布")
_BOILERPLATE = re.compile(r"©|copyright|版权所有|版權所有|ICP|公网安备|公網安備", re.IGNORECASE)
_SITE_PREFIX = re.compile(r"(?:https?://)?[\w-]+(?:\.[\w-]+)+/?", re.ASCII)  # BUSINESS.SOHU.COM
_BARE_TAIL = re.compile(r"[\s|｜/·\-—]*(?:更新|来源|來源|作者|阅读|閱讀|点击|點擊|浏览|瀏覽|"
                        r"编辑|編輯|字号|字號|责任编辑|【|（|\(|$)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_JSONLD = re.compile(r'"(datePublished|dateCreated)"\s*:\s*"([^"]+)"')
_JAN_1 = re.compile(r"\s*\d{4}-01-01")
_IMPOSSIBLE = datetime.min  # looked like a date but is none (2023-02-30): rejected as implausible
Parsed = tuple[datetime | None, bool]  # (value, has a time); value None: no date in the string


@dataclass(frozen=True)
class DateResult:
    """The chosen date (ISO 8601, Asia/Shanghai) or, when none, why not."""

    published_at: str | None
    source: str
    raw: str | None
    reason: str | None


def date_candidates(tree: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """(source, raw) dates from <meta>, itemprop, JSON-LD and header <time>; only reads the tree."""
    found: list[tuple[str, str]] = []
    for el in tree.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        if key in _META_RANK and (el.get("content") or "").strip():
            found.append((f"meta:{key}", (el.get("content") or "").strip()))
    for el in tree.xpath("//*[not(self::meta)][@itemprop='datePublished']"):
        if value := (el.get("content") or el.get("datetime") or el.text_content()).strip():
            found.append(("itemprop:datepublished", value))
    for script in tree.xpath("//script[@type='application/ld+json']"):
        for m in _JSONLD.finditer(script.text or ""):  # a regex also copes with broken JSON
            found.append(("jsonld" if m[1] == "datePublished" else "jsonld:datecreated", m[2]))
    for el in tree.xpath("//time[@datetime][ancestor::header or ancestor::article or @pubdate]")[:1]:
        found.append(("time", (el.get("datetime") or "").strip()))
    return found


def _build(y: int | None, m: int | None, d: int | None, clock: str = "", offset: str = "") -> Parsed:
    """dateutil on a normalised numeric string; _IMPOSSIBLE when it is no real date."""
    try:
        return parser.parse(f"{y:04d}-{m:02d}-{d:02d}{clock}{offset}"), bool(clock)
    except (ValueError, OverflowError, TypeError):  # TypeError: a part that was no numeral
        return _IMPOSSIBLE, False


def _from_match(m: re.Match[str]) -> Parsed:
    """A _DATE match as a datetime (naive unless it had an offset)."""
    parts = (m["y"], m["m"], m["d"]) if m["y"] else (m["cy"], m["cm"], m["cd"])
    clock = f"T{int(m['H']):02d}:{m['M']}:{m['S'] or '00'}" if m["H"] else ""
    y, mo, d = (cn_to_int(p) for p in parts)
    return _build(y, mo, d, clock, m["tz"] or "")


def _parse_value(value: str) -> Parsed:
    """A metadata value: the date regexes, else strict dateutil (two defaults expose missing parts)."""
    if m := _DATE.search(value):
        return _from_match(m)
    if c := _COMPACT.fullmatch(value.strip()):
        return _build(int(c[1]), int(c[2]), int(c[3]))
    try:  # e.g. "Tue, 05 Dec 2023 10:30:00 +0800"
        a = parser.parse(value, default=datetime(2001, 1, 1, 0, 0, 0))
        b = parser.parse(value, default=datetime(2002, 2, 2, 1, 1, 1))
    except (ValueError, OverflowError):
        return None, False
    return (a, a.time() == b.time()) if a.date() == b.date() else (None, False)


def _lines(text: str) -> list[str]:
    """Non-empty lines, less copyright/ICP lines (their years are no publication dates)."""
    return [s for s in (ln.strip() for ln in text.splitlines()) if s and not _BOILERPLATE.search(s)]


def _labelled(text: str) -> Iterator[tuple[int, str, re.Match[str]]]:
    """(rank, raw, match) per labelled date. An empty label takes only a date line right below it."""
    lines = _lines(text)
    for i, line in enumerate(lines):
        for lab in _LABEL.finditer(line):
            rank = 0 if lab["strong"] else 1 if lab["weak"] else 2
            gap = _LABEL_GAP.match(line, lab.end())
            if gap is None or (rank == 1 and not gap[1]):
                continue
            if m := _DATE.match(line, gap.end()):
                yield rank, line[lab.start():m.end()], m
            elif gap.end() == len(line) and i + 1 < len(lines) and (
                    m := _DATE.fullmatch(lines[i + 1])):
                yield rank, f"{line[lab.start():]} {lines[i + 1]}", m
        for posted in _POSTED.finditer(line):  # 本帖由某某于2005年8月12日16:12:21在…发表
            m = _DATE.match(line, posted.end())
            if m and m["H"] and _POSTED_VERB.search(line, m.end(), m.end() + 30):
                yield 1, line[posted.start():m.end()], m


def _bare_lines(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Header lines that are a date, maybe after a site name or before 来源/阅读….

    List rows ("· 标题 2023-11-02", "[2023-11-02] 标题") have other text around the date: skipped.
    """
    for line in _lines(text):
        if (m := _DATE.search(line)) and (_SITE_PREFIX.fullmatch(line[:m.start()].strip()) or (
                m.start() == 0 and (_BARE_TAIL.match(line, m.end()) or not _CJK.search(line, m.end())))):
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
              now: datetime | None = None) -> DateResult:
    """The most trusted plausible publication date, or why there is none."""
    now = now or datetime.now(SHANGHAI)
    now = now if now.tzinfo else now.replace(tzinfo=SHANGHAI)
    tiers = [(source, raw, *_parse_value(raw)) for source, raw in
             sorted(meta, key=lambda sr: _META_RANK.get(sr[0].removeprefix("meta:"), 3))]
    head, tail = _split_at_main_end(page_text, main_text)
    labelled = sorted(((r, t, i), raw, mt) for t, text in enumerate((head, main_text, tail))
                      for i, (r, raw, mt) in enumerate(_labelled(text)))  # keys are unique
    tiers += [("label", raw, *_from_match(mt)) for key, raw, mt in labelled if key[0] < 2 > key[1]]
    tiers += [("url", url, *_build(int(m[1]), int(m[2]), int(m[3])))
              for pattern in _URL_DATES for m in pattern.finditer(urlsplit(url).path)]
    tiers += [("text", raw, *_from_match(mt)) for raw, mt in _bare_lines(head)]
    tiers += [("text", line, *_from_match(mt)) for line in _lines(main_text)[:5]
              for mt in _DATE.finditer(line) if mt["cy"]]
    tiers += [("label", raw, *_from_match(mt)) for key, raw, mt in labelled if key[0] < 2 == key[1]]
    tiers += [("text", raw, *_from_match(mt)) for raw, mt in _bare_lines(tail)]
    tiers += [("label", raw, *_from_match(mt)) for key, raw, mt in labelled if key[0] == 2]
    rejected: dict[str, str] = {}
    if found := _first_plausible(tiers, main_text, now, rejected):
        return found
    late = fallback() if callable(fallback) else fallback  # htmldate: the costliest, so asked last
    if late and not _JAN_1.match(late) and (  # htmldate reads 2023年12月5日 as 2023-01-01
            found := _first_plausible([("htmldate", late, *_parse_value(late))], main_text, now, rejected)):
        return found
    reason = next((r for r in ("future_date", "implausible_date") if r in rejected), "no_date")
    return DateResult(None, "", rejected.get(reason), reason)


def _first_plausible(tiers: list[tuple[str, str, datetime | None, bool]], main_text: str, now: datetime,
                     rejected: dict[str, str]) -> DateResult | None:
    """The first plausible tier as a result; implausible values are noted in `rejected` by reason."""
    for i, (source, raw, value, timed) in enumerate(tiers):
        if value is None or (reason := _implausible(value, timed, now)):
            if value is not None:
                rejected.setdefault(reason, raw)
            continue
        if not timed:  # the same day with a time from a less trusted source: keep that time
            value, timed = next(((v, t) for _, _, v, t in tiers[i + 1:] if t and v is not None and
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
    if not (m := _DATE.fullmatch(lines[1])) or not m["cy"]:
        return None
    value, _ = _from_match(m)
    if value is None or value is _IMPOSSIBLE or not timedelta(0) <= published - value.date() <= _SIGNED_WITHIN:
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
