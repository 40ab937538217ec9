"""Which links of a site's list pages are articles and which are further list pages.

A wrong article_pattern silently yields 0 articles, so the patterns come from evidence: links are
grouped by URL shape (cli/probe_shapes.py) and the group that looks like articles wins: many
distinct links, numbers or dates in the path, anchor texts long enough to be titles, links that
change from one list page to the next (navigation is on every page), and a path under the list
page's own section. Pager links are recognised by their text (下一页, 尾页, 2, 第3页) or URL
(index_2.html, list_2.html, ?page=2).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from posixpath import dirname
from urllib.parse import urlsplit

from cli.probe_shapes import Link, path_of, shape, shape_words, specialise

TITLE_CHARS = 6  # an anchor text this long reads as a headline; menu items are 2-4 characters
_PAGER_TEXT = re.compile(r"^(?:下一?页|上一?页|尾页|末页|最后一?页|第\s*\d+\s*页|下一版|上一版|下一期|上一期|"
                         r"\[?\d{1,3}\]?|>|>>|»|›|next|last|prev(?:ious)?)$", re.IGNORECASE)
_PAGER_URL = re.compile(r"(?:^|[/_-])(?:index|list|page|node|more)[_-]?\d+\.\w+$|[?&](?:page|pagenum|pageno|pn|p|"
                        r"curpage|currentpage|pageindex|start|offset)=\d+", re.IGNORECASE)


@dataclass
class Group:
    """Links of one shape: their URLs in page order, best anchor text each, and a score."""

    regex: str
    urls: list[str]
    texts: dict[str, str]
    score: float = 0.0

    @property
    def titled(self) -> float:
        return sum(len(self.texts[u]) >= TITLE_CHARS for u in self.urls) / len(self.urls)


def group_links(pages: list[list[Link]]) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for links in pages:
        for link in links:
            key = shape(link.url)
            group = groups.setdefault(key, Group(key, [], {}))
            if link.url not in group.texts:
                group.urls.append(link.url)
                group.texts[link.url] = ""
            if len(link.text) > len(group.texts[link.url]):
                group.texts[link.url] = link.text
    return groups


def pager_regex(pages: list[list[Link]], start_url: str) -> str:
    """The unanchored shape of the pager links (with the start page folded in), or ""."""
    counts: dict[str, int] = defaultdict(int)
    urls: dict[str, set[str]] = defaultdict(set)
    for links in pages:
        for link in links:
            path = path_of(link.url)
            if link.url != start_url and (_PAGER_URL.search(path) or (_PAGER_TEXT.match(link.text)
                                                                       and re.search(r"\d", path))):
                counts[shape(link.url)] += 2 if _PAGER_TEXT.match(link.text) else 1
                urls[shape(link.url)].add(link.url)
    if not counts:
        return ""
    best = max(counts, key=lambda k: (counts[k], -len(k)))
    return fold_start(specialise(best, sorted(urls[best]), least=2), path_of(start_url))


def fold_start(regex: str, start_path: str) -> str:
    """A pager shape widened to match the start page too (index.html next to index_2.html)."""
    if re.fullmatch(regex, start_path):
        return regex
    last = re.search(r"(?:\\\?|&)[^&]*=\\d\+$", regex)  # list.asp?classid=3 next to …&page=2
    for cut in (last.start() if last else -1, regex.find("\\?")):  # index.html next to index.html?uid=1&pageNum=2
        if cut > 0 and re.fullmatch(widened := f"{regex[:cut]}(?:{regex[cut:]})?", start_path):
            return widened
    for number in (r"_\d+", r"-\d+", r"\d+"):
        if number in regex:
            optional = regex.replace(number, f"(?:{number})?", 1)
            if re.fullmatch(optional, start_path):
                return optional
    return f"(?:{regex}|{re.escape(start_path)})"


def choose_articles(pages: list[list[Link]], start_url: str, pager: str) -> list[Group]:
    """Shape groups ordered by how much they look like articles (best first); pagers and
    navigation without numbers are left out."""
    everywhere = set.intersection(*(set(link.url for link in links) for links in pages)) if len(pages) > 1 else set()
    section = dirname(urlsplit(start_url).path).rstrip("/") + "/"
    groups = []
    for group in group_links(pages).values():
        if (pager and all(re.fullmatch(pager, path_of(u)) for u in group.urls)) or not shape_words(group.regex):
            continue
        if path_of(start_url) in map(path_of, group.urls) and len(group.urls) < 3:
            continue
        dated = bool(re.search(r"\\d\{(?:4|6|8)\}", group.regex))
        fixed = sum(u in everywhere for u in group.urls) / len(group.urls)
        here = sum(urlsplit(u).path.startswith(section) for u in group.urls) / len(group.urls)
        group.score = (min(len(group.urls), 30) * (0.3 + group.titled) * (1.5 if dated else 1.0)
                       * (1.0 - 0.7 * fixed) * (1.0 + 0.5 * here) * min(1.0 + 0.1 * group.regex.count("/"), 1.5))
        groups.append(group)
    groups.sort(key=lambda g: -g.score)
    return groups


def article_regex(group: Group, others: list[Link]) -> tuple[str, list[str]]:
    """The anchored article pattern of a group and the other links it would also take (should be none)."""
    pattern = f"^{specialise(group.regex, group.urls)}$"
    members = set(group.urls)
    stray = sorted({link.url for link in others if link.url not in members and re.search(pattern, path_of(link.url))})
    return pattern, stray


def looks_like_articles(group: Group) -> bool:
    """Enough evidence to write a site file: two or more links, most with headline-long texts or
    with a date in the URL (e-papers link articles by image maps without text)."""
    dated = bool(re.search(r"\\d\{(?:4|6|8)\}", group.regex))
    return len(group.urls) >= 2 and (group.titled >= 0.5 or dated)


def next_list_pages(links: list[Link], pager: str, seen: set[str]) -> list[str]:
    """Pager targets not yet fetched, 下一页 first, then in page order."""
    if not pager:
        return []
    targets = [link for link in links if re.fullmatch(pager, path_of(link.url)) and link.url not in seen]
    targets.sort(key=lambda link: not link.text.startswith(("下一", "next", "Next", ">")))
    return list(dict.fromkeys(link.url for link in targets))
