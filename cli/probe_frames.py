"""What `kexie add-site` does before reading a page's links: stop at an anti-bot challenge, step
into a frameset or a page-sized <iframe>, and look for /sitemap.xml.

Old county sites (ASP, 2000s templates) serve a home page that is only a <frameset> (banner, menu,
and the news list in mainFrame) or a shell holding one big <iframe>: their links are in the frame's
page, so the probe goes on from the frame whose links look most like articles. A site behind a
瑞数 or 安全验证 challenge cannot be probed at all: that is said, not guessed around.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html

from cli.probe_fetch import Fetched, Fetcher
from cli.probe_links import choose_articles, looks_like_articles, pager_regex
from cli.probe_shapes import crawlable, parse_page
from crawler.platforms.challenge import challenge
from extract.decode import decode_body

MAX_FRAMES = 4  # frames opened: banner, menu, main and one more is what these templates have
_SHELL_LINKS = 10  # a page with fewer links than this is a shell around its frames
_BIG = 300  # an <iframe> at least this many pixels high (or 100% / 80% wide) holds the page


class Challenged(Exception):
    """The site answered with an anti-bot challenge: nothing can be probed."""


def refuse_challenge(got: Fetched) -> None:
    """Raise Challenged when the response is an anti-bot challenge page."""
    if why := challenge(got.status, got.body):
        raise Challenged(f"{got.url}: {why}. add-site stops here: the crawler does not pass challenges (ask the site"
                         " for access, or leave it out)")


def frame_sources(got: Fetched) -> list[str]:
    """The frames of a frameset, or the page-sized iframes of a shell page, as absolute URLs."""
    text = decode_body(got.body, got.content_type).text or ""
    if "<frame" not in text.lower() and "<iframe" not in text.lower():
        return []
    try:
        tree = lxml.html.fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return []
    sources = [str(src) for src in tree.xpath("//frame/@src")]
    for frame in tree.xpath("//iframe[@src]"):
        height, width = str(frame.get("height", "")), str(frame.get("width", ""))
        if (height.isdigit() and int(height) >= _BIG) or re.fullmatch(r"(?:100|9\d|8\d)%", width.strip()):
            sources.append(str(frame.get("src")))
    return list(dict.fromkeys(urljoin(got.url, s.strip()) for s in sources if s.strip()))


def into_frame(got: Fetched, origin: str, fetcher: Fetcher) -> Fetched:
    """The frame page to probe instead of a frameset or iframe shell (the one whose links look most
    like articles); the page itself when it is not a shell."""
    frames = [url for url in frame_sources(got) if crawlable(url, origin)]
    if not frames or len(parse_page(got.body, got.url, got.content_type).links) >= _SHELL_LINKS:
        return got
    best, best_score = got, 0.0
    for url in frames[:MAX_FRAMES]:
        page = fetcher.try_get(url)
        if page is None or not page.html:
            continue
        links = [link for link in parse_page(page.body, page.url, page.content_type).links
                 if crawlable(link.url, origin)]
        groups = choose_articles([links], page.url, pager_regex([links], page.url)) if links else []
        score = groups[0].score if groups and looks_like_articles(groups[0]) else 0.0
        if score > best_score:
            best, best_score = page, score
    return best


def site_sitemap(origin: str, fetcher: Fetcher) -> list[str]:
    """/sitemap.xml when robots.txt names no sitemap and the site has a readable one there."""
    from crawler.spiders.sources import read_sitemap

    url = urljoin(origin, "/sitemap.xml")
    got = fetcher.try_get(url)
    if got is None:
        return []
    try:
        _kind, entries = read_sitemap(got.body)
    except Exception:  # noqa: BLE001 - lxml's XMLSyntaxError or ValueError: not a sitemap, nothing to add
        return []
    return [url] if entries else []


def platform_notes(shell: str, start: str, body: bytes) -> list[str]:
    """Comment lines for the site file: the frame stepped into, a TRS pager read from its script."""
    from crawler.platforms import trs

    notes = []
    if shell != start:
        notes.append(f"{shell} is a frameset or iframe shell: the start page is its frame {start}")
    if trs.has_pager(body.decode("utf-8", "replace")):
        notes.append("TRS WCM: the pager is a createPageHTML(...) script; the crawl reads it (index_N pages)")
    return notes
