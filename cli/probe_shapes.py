"""Links of a page and their URL "shapes", the raw material of `kexie add-site`.

A shape is the regex a person would write for a URL: literal section names kept (so /xwzx/gzdt/
articles are not mixed up with /xwzx/tzgg/ ones), numbers turned into \\d+, date folders
(/202303/, /2023/0301/, /2023-03/05/) into fixed-width digits, the file extension kept and query
values generalised. Links of one shape are one kind of page: articles, list pages or navigation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html

from crawler.platforms import trs
from extract.decode import decode_body

# pages a crawl never parses as articles (Scrapy's LinkExtractor drops them as well)
_SKIP_EXT = re.compile(r"\.(?:css|js|json|xml|rss|jpe?g|png|gif|bmp|webp|svg|ico|pdf|docx?|xlsx?|pptx?|wps|zip"
                       r"|rar|7z|gz|mp[34]|avi|flv|wmv|mov|swf|apk|exe|txt)$", re.IGNORECASE)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml")


@dataclass(frozen=True)
class Link:
    url: str  # absolute, without #fragment
    text: str  # anchor text (or title attribute), whitespace squeezed


@dataclass
class Page:
    url: str
    title: str
    links: list[Link]
    feeds: list[str]
    codec: str


def parse_page(body: bytes, url: str, content_type: str = "") -> Page:
    """The links (<a>, <area>), <title> and feed links of an HTML page, decoded as the crawl decodes it."""
    decoded = decode_body(body, content_type)
    try:
        tree = lxml.html.fromstring(decoded.text or "<html></html>", base_url=url)
    except (ValueError, lxml.etree.ParserError):
        return Page(url, "", [], [], decoded.codec)
    base = (tree.xpath("//base/@href") or [url])[0]
    base = urljoin(url, str(base).strip())
    links = []
    for node in tree.xpath("//a[@href] | //area[@href]"):
        href = str(node.get("href", "")).strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        absolute = urljoin(base, href).split("#", 1)[0]
        text = " ".join((node.text_content() if node.tag == "a" else "").split()) or (node.get("title") or "")
        links.append(Link(absolute, " ".join(text.split())))
    # a pager only a script writes (TRS WCM's createPageHTML): its pages, as the spider will ask for them
    links += [Link(page, str(n)) for n, page in enumerate(trs.page_urls(decoded.text, url), 1) if page != url]
    feeds = [urljoin(base, str(node.get("href")).strip()) for node in tree.xpath("//link[@href and @type]")
             if str(node.get("type")).lower() in _FEED_TYPES and "alternate" in str(node.get("rel", "")).lower()]
    title = " ".join(str(tree.findtext(".//title") or "").split())
    return Page(url, title, links, feeds, decoded.codec)


def crawlable(url: str, origin: str) -> bool:
    """A page link on the probed site (same scheme://host:port), not a stylesheet, image or document."""
    parts = urlsplit(url)
    return (parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" == origin
            and not _SKIP_EXT.search(parts.path))


def path_of(url: str) -> str:
    """What site patterns are matched against (siteconfig.sites.SiteConfig): path plus ?query."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _valid_ym(run: str) -> bool:
    return 1990 <= int(run[:4]) <= 2099 and 1 <= int(run[4:6]) <= 12


def _digits(run: str, folder: bool) -> str:
    """The regex for one run of digits: fixed width for date parts, \\d+ for numbers that grow."""
    if len(run) == 8 and _valid_ym(run) and 1 <= int(run[6:]) <= 31:
        return r"\d{8}"  # t20230328_1422789.html, /20230328/
    if not folder:
        return r"\d+"
    if len(run) == 6 and _valid_ym(run):
        return r"\d{6}"  # /202303/
    if len(run) == 4 and (1990 <= int(run) <= 2099 or (1 <= int(run[:2]) <= 12 and 1 <= int(run[2:]) <= 31)):
        return r"\d{4}"  # /2023/ and /0301/
    if len(run) <= 2:
        return r"\d{1,2}"  # /2023/3/5/, /2023-03/05/
    return r"\d+"


def _escape(text: str) -> str:
    return re.escape(text).replace("\\-", "-")  # a - outside [] needs no backslash


def _segment(segment: str, folder: bool) -> str:
    """A folder name like big5, col123 or v2 is a section's name: its digits stay literal."""
    out, last = [], 0
    for match in re.finditer(r"\d+", segment):
        if folder and match.start() and segment[match.start() - 1].isalpha() and len(match.group()) <= 5:
            continue
        out.append(_escape(segment[last:match.start()]))
        out.append(_digits(match.group(), folder))
        last = match.end()
    out.append(_escape(segment[last:]))
    return "".join(out)


def shape(url: str) -> str:
    """The unanchored regex of a URL's path and query (see the module docstring)."""
    parts = urlsplit(url)
    segments = (parts.path or "/").split("/")
    regex = "/".join(_segment(s, folder=i < len(segments) - 1) for i, s in enumerate(segments))
    if parts.query:
        pairs = [pair.partition("=") for pair in parts.query.split("&")]  # raw: patterns see the raw query
        regex += r"\?" + "&".join(_escape(k) + (("=" + _value(v)) if eq else "") for k, eq, v in pairs)
    return regex


def _value(value: str) -> str:
    return r"\d+" if value.isdigit() else "[^&]*" if value else ""


def shape_words(regex: str) -> int:
    """How many number or date placeholders a shape has: articles have some, navigation rarely."""
    return len(re.findall(r"\\d", regex))


def specialise(regex: str, urls: list[str], least: int = 3) -> str:
    """A shape with the numbers that never vary written out: art_123_4567.html and art_123_4570.html
    are column 123's articles (art_123_\\d+), list.asp?classid=3&page=2 is class 3's pager. The last
    number (the article id, the page number) stays \\d+, and so do dates (\\d{4}): they vary in time."""
    pieces = regex.split(r"\d+")
    if len(pieces) < 3 or len(urls) < least:
        return regex
    capture = re.compile(r"(\d+)".join(pieces))
    values = [m.groups() for u in urls if (m := capture.fullmatch(path_of(u)))]
    if len(values) != len(urls):
        return regex
    out = pieces[0]
    for index, piece in enumerate(pieces[1:]):
        fixed = {v[index] for v in values}
        out += (fixed.pop() if len(fixed) == 1 and index < len(pieces) - 2 else r"\d+") + piece
    return out
