"""Probe a site from one of its pages and work out what its site file needs (`kexie add-site`).

The steps a person takes by hand, in the same order: read robots.txt (and its Sitemap: lines),
open the page, follow its pager to two more list pages, find the links that are articles, and
open a few of them to see that the extractor finds a title and a date there. Everything is
fetched through cli.probe_fetch (polite, capped); nothing is written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cli.probe_fetch import Fetcher, ProbeError
from cli.probe_frames import into_frame, platform_notes, refuse_challenge, site_sitemap
from cli.probe_links import (
    TITLE_CHARS,
    Group,
    article_regex,
    choose_articles,
    looks_like_articles,
    next_list_pages,
    pager_regex,
)
from cli.probe_platforms import follow_shells, json_shell, recognise
from cli.probe_shapes import Link, Page, crawlable, parse_page, path_of

LIST_PAGES = 3  # the start page and two more: enough to tell navigation (on every page) from articles
SAMPLES = 4  # article pages opened to preview title and date


# title separators: _ | — -- and a hyphen with a space or a Han character beside it (not GREEN-LIFE)
_SEPARATOR = re.compile(r"\s*(?:[_|｜—–]|--|-\s|\s-|(?<=[\u4e00-\u9fff])-|-(?=[\u4e00-\u9fff])|::|»)\s*")
_GREETING = re.compile(r"^(?:欢迎(?:访问|光临|来到)?)|(?:官方网站|门户网站|官网|网站首页|首页)$")
_NAMED = re.compile(r"(?:科学技术协会|科协|协会|学会|报|报社|网|网站)$")  # 科协要闻 is a section, not a name


class NoArticles(Exception):
    """The page has no group of links that looks like articles: nothing to write."""


@dataclass
class Preview:
    url: str
    title: str
    published_at: str | None
    problem: str  # the reject reason, "" when the page would be stored
    codec: str


@dataclass
class Probe:
    """What the site file is made of, with the evidence behind it."""

    start_url: str
    origin: str  # scheme://host:port of the start page (after redirects)
    name: str  # the site's name, from the home page's <title> or the start page's
    article_pattern: str
    pagination_pattern: str
    articles: list[str]  # article links found on the list pages, in page order
    list_pages: list[str]
    previews: list[Preview]
    feeds: list[str]
    sitemaps: list[str]
    stray: list[str] = field(default_factory=list)  # non-article links the pattern also takes
    runner_up: str = ""  # the next most article-like shape, for the comment
    requests: int = 0
    notes: list[str] = field(default_factory=list)  # what the probe recognised (cli/probe_frames.py), for comments
    platform: str = ""  # "hanweb" or "json_api" when the list is a platform's (cli/probe_platforms.py)
    json_api: dict[str, Any] = field(default_factory=dict)  # the [json_api] table
    platform_note: str = ""

    @property
    def gb_pages(self) -> bool:
        return any(p.codec in ("gb18030", "gbk", "gb2312") for p in self.previews)


def probe(url: str, fetcher: Fetcher) -> Probe:
    """Probe the site at `url` (a list page or the home page); ProbeError when the page cannot be had,
    NoArticles when nothing on it looks like an article list."""
    got = fetcher.get(url)
    refuse_challenge(got)  # a 412 $_ts script or a 安全验证 page: said, not guessed around
    if got.status != 200:
        raise ProbeError(f"cannot fetch {url}: HTTP {got.status}")
    if not got.html:
        raise ProbeError(f"{url} is not an HTML page ({got.content_type or 'no Content-Type'})")
    got = follow_shells(got, fetcher)  # a redirect shell: the page it sends the browser to
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(got.url))
    shell = got.url
    got = into_frame(got, origin, fetcher)  # a <frameset> or big <iframe> home page: its news frame
    start = got.url
    page = parse_page(got.body, start, got.content_type)
    pages = [_links(page, origin, fetcher)]
    feeds = list(page.feeds)
    seen = {start}
    platform = recognise(got, url, fetcher)  # Hanweb, gkmlpt (cli/probe_platforms.py)
    pager = "" if platform else pager_regex(pages, start)
    while not platform and len(pages) < LIST_PAGES and (targets := next_list_pages(pages[-1], pager, seen)):
        seen.add(targets[0])
        more = fetcher.try_get(targets[0])
        if more is not None and more.html:
            pages.append(_links(parse_page(more.body, more.url, more.content_type), origin, fetcher))
            pager = pager_regex(pages, start) or pager
    groups = choose_articles(pages, start, pager)
    if not platform and (not groups or not looks_like_articles(groups[0])):
        platform = json_shell(got, fetcher)  # an empty shell its script fills from a JSON API
    if platform:
        listed = [[link for link in links if _crawlable(link, origin, fetcher)] for links in platform.pages]
        pages = [pages[0] + listed[0], *listed[1:]]
        groups = choose_articles(pages, start, pager)
    if not groups or not looks_like_articles(groups[0]):
        found = sum(len(links) for links in pages)
        raise NoArticles(f"no article-like links on {start} ({found} links on {len(pages)} page(s), none a group of"
                         " numbered or dated pages with headline texts): give the URL of a news list page")
    best = groups[0]
    every = [link for links in pages for link in links]
    pattern, stray = article_regex(best, every)
    if re.search(pattern, path_of(start)):
        raise NoArticles(f"{start} is an article page (its own article_pattern {pattern} matches it): give the URL"
                         " of the news list page that links to it")
    pagination = f"^{pager}$" if pager else ""
    name = _site_name(page, origin, fetcher)
    previews = _previews(best, fetcher, platform.dates if platform else {})
    _untitled(previews, name)
    return Probe(
        platform=platform.platform if platform else "", json_api=platform.json_api if platform else {},
        platform_note=platform.note if platform else "",
        start_url=start, origin=origin, name=name,
        article_pattern=pattern, pagination_pattern=pagination, articles=best.urls,
        list_pages=[start, *sorted(seen - {start})], previews=previews,
        feeds=feeds, sitemaps=list(fetcher.sitemaps) or site_sitemap(origin, fetcher), stray=stray,
        runner_up=groups[1].regex if len(groups) > 1 else "", requests=fetcher.requests,
        notes=platform_notes(shell, start, got.body))


def _links(page: Page, origin: str, fetcher: Fetcher) -> list[Link]:
    """The page's links a crawl could follow: on the site, a page, and allowed by robots.txt."""
    return [link for link in page.links if _crawlable(link, origin, fetcher)]


def _crawlable(link: Link, origin: str, fetcher: Fetcher) -> bool:
    return crawlable(link.url, origin) and fetcher.allowed(link.url)


def _previews(group: Group, fetcher: Fetcher, list_dates: dict[str, str]) -> list[Preview]:
    """Title, date and codec of the first few articles, extracted as the crawl would."""
    from extract.process import process_html

    previews = []
    titled = sorted(group.urls, key=lambda u: len(group.texts[u]) < TITLE_CHARS)  # 联系我们 ?id=1 last
    for url in titled[:SAMPLES]:
        got = fetcher.try_get(url)
        if got is None:
            previews.append(Preview(url, "", None, "not fetched", ""))
            continue
        result = process_html(got.body, got.url, {"Content-Type": got.content_type}, list_dates.get(url, ""))
        previews.append(Preview(url, result["title"] or "", result["published_at"],
                                result["reject_reason"] or "", result["encoding"] or ""))
    return previews


def _site_name(page: Page, origin: str, fetcher: Fetcher) -> str:
    """The home page's <title> names the site best; a list page's title still holds it after a separator.
    A title without a name in it (a server's directory listing, 首页 alone) gives way to the other."""
    titles = [page.title]
    if path_of(page.url) not in ("/", "/index.html", "/index.htm", "/index.shtml"):
        home = fetcher.try_get(origin + "/")
        if home is not None and home.html:
            titles.insert(0, parse_page(home.body, home.url, home.content_type).title)
    names = [site_name(t) for t in titles if t and not re.match(r"(?:Directory listing|Index) (?:for|of) ", t)]
    named = [n for n in names if _NAMED.search(n)]
    return (named or names or [""])[0]


def _untitled(previews: list[Preview], name: str) -> None:
    """Article titles without the site name the extractor leaves on when it is not told it."""
    for preview in previews:
        preview.title = re.sub(rf"\s*[-_|｜—]+\s*{re.escape(name)}$", "", preview.title) if name else preview.title


def site_name(title: str) -> str:
    """The site's name out of a <title>: 工作动态_恩施州科学技术协会 → 恩施州科学技术协会; traditional
    script and pinyin ruby (科協(xié)) made simplified; 首页 and 欢迎访问 trimmed."""
    from extract.normalise import strip_pinyin, to_simplified

    text = to_simplified(strip_pinyin(title))
    parts = [p.strip() for p in _SEPARATOR.split(text) if p.strip()]
    parts = [_GREETING.sub("", p).strip() for p in parts]
    parts = [p for p in parts if p]
    if not parts:
        return text.strip()
    named = [p for p in parts if _NAMED.search(p)]
    return named[0] if named else parts[-1]
