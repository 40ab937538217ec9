"""Turn a real sample-site page into a fill-in template, so synthetic pages keep its chrome.

An article template is the sample page split at its title, body paragraphs, description and
dates; rendering joins the pieces with another article's values, which is cheap enough for
20,000 pages in seconds. Found generically (no per-site markup here): the body is the longest
run of consecutive lines opening with the same <p …> tag, the title the h1/strong/b text that
the <title> repeats, the dates the page's own date in the formats the sample sites print.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

DATE_FORMATS = ("%Y-%m-%d", "%Y年%m月%d日", "%Y/%m/%d")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_P_OPEN = re.compile(r"(\s*)(<p\b[^>]*>)(　　)?")
_TOKEN = re.compile("\x00([A-Z0-9]+)\x00")
_HREF = re.compile(r'href="([^"]*)"')


class TemplateError(ValueError):
    """A sample page that no longer has the shape the generator relies on."""


def _body_run(lines: list[str]) -> tuple[int, int, str, str]:
    """(first, end, indent + <p> tag, paragraph prefix) of the article's paragraphs."""
    best: tuple[int, int, int, str, str] = (0, 0, 0, "", "")
    i = 0
    while i < len(lines):
        m = _P_OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        j = i
        while j < len(lines) and (n := _P_OPEN.match(lines[j])) and n.group(2) == m.group(2):
            j += 1
        score = sum(len(_CJK.findall(line)) for line in lines[i:j])
        if score > best[0]:
            best = (score, i, j, m.group(1) + m.group(2), m.group(3) or "")
        i = j
    if not best[0]:
        raise TemplateError("no run of body paragraphs")
    return best[1], best[2], best[3], best[4]


def _title(page: str) -> str:
    head = re.search(r"<title>(.*?)</title>", page, re.S)
    for tag in ("h1", "strong", "b"):
        for text in re.findall(rf"<{tag}\b[^>]*>([^<]+)</{tag}>", page):
            if head and text.strip() and text.strip() in head.group(1):
                return text.strip()
    raise TemplateError("no title repeated in <title>")


@dataclass(frozen=True)
class ArticleTemplate:
    """Literal chunks and tokens (TITLE, BODY, DESC, D0…) alternating, as split by _TOKEN."""

    parts: tuple[str, ...]

    @classmethod
    def from_page(cls, page: str, day: date) -> ArticleTemplate:
        lines = page.split("\n")
        first, end, tag, prefix = _body_run(lines)
        body_text = re.sub(r"<[^>]+>", "", "".join(lines[first:end]))
        lines[first:end] = [f"{tag}{prefix}\x00BODY\x00</p>"]
        page = "\n".join(lines).replace(_title(page), "\x00TITLE\x00")

        def desc(m: re.Match[str]) -> str:
            return m.group(1) + ("\x00DESC\x00" if m.group(2)[:8] in body_text else m.group(2)) + m.group(3)

        page = re.sub(r'(<meta name="description" content=")([^"]*)(")', desc, page, flags=re.I)
        for k, fmt in enumerate(DATE_FORMATS):
            page = page.replace(day.strftime(fmt), f"\x00D{k}\x00")
        return cls(parts=tuple(_TOKEN.split(page)))  # no D token: the date is in the URL (e-paper)

    def render(self, title: str, paragraphs: Sequence[str], desc: str, day: date, joiner: str) -> str:
        """The page for one article; `joiner` closes a paragraph and opens the next (same tag)."""
        values: dict[str, str] = {"TITLE": title, "BODY": joiner.join(paragraphs), "DESC": desc}
        values.update({f"D{k}": day.strftime(fmt) for k, fmt in enumerate(DATE_FORMATS)})
        return "".join(part if k % 2 == 0 else values[part] for k, part in enumerate(self.parts))

    def joiner(self) -> str:
        """'</p>\\n<indent><p …>prefix': the markup between two body paragraphs."""
        literal = self.parts[self.parts.index("BODY") - 1]
        line = literal.rsplit("\n", 1)[-1]
        return "</p>\n" + line


@dataclass(frozen=True)
class ListTemplate:
    """A sample list page with its main list cut out: chrome before and after the region."""

    before: str
    after: str
    url: str

    @classmethod
    def from_page(cls, page: str, url: str, opening: str, closing: str) -> ListTemplate:
        start = page.find(opening)
        end = page.find(closing, start + len(opening)) if start >= 0 else -1
        if start < 0 or end < 0:
            raise TemplateError(f"list region {opening!r}…{closing!r} not found")
        return cls(before=page[: start + len(opening)], after=page[end:], url=url)

    def render(self, items: str, article_hrefs: Sequence[str], next_href: str,
               is_article: Callable[[str], bool], is_list: Callable[[str], bool]) -> str:
        """Items in the region; chrome links to articles point at this page's articles, list links
        at the next list page, so every link the spider follows exists."""
        cycle = itertools.cycle(article_hrefs)

        def relink(m: re.Match[str]) -> str:
            path = urlsplit(urljoin(self.url, html.unescape(m.group(1)))).path
            if is_article(path):
                return f'href="{next(cycle)}"'
            return f'href="{next_href}"' if is_list(path) else m.group(0)

        return _HREF.sub(relink, self.before) + items + _HREF.sub(relink, self.after)
