"""Scrapy's meta refresh redirects, without decoding pages that cannot hold one.

MetaRefreshMiddleware decodes every HTML response whole (`response.text`) and scans its first 4,096
characters for `<meta http-equiv="refresh">`; in the crawl process that was most article pages'
only decoding (their worker decodes them anyway). A refresh needs the attribute `http-equiv`
(names are never character references) with the word `refresh` in its value, spelled out or with
a character reference (`&#114;efresh`). In an ASCII-compatible codec, whose characters take at most
four bytes, a page whose first 16 KiB hold neither `refresh` nor an `http-equiv` value with `&#` in
it has none and passes unread; any other page (or codec) gets Scrapy's own answer.
"""

from __future__ import annotations

import codecs
import re
from functools import cache

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response

# codecs in which the decoded ASCII letters of `refresh` can only come from those same bytes
_ASCII_SAFE = frozenset({"utf-8", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp1252", "latin-1",
                         "iso8859-1", "ascii", "cp936", "cp950", "euc_jp", "shift_jis", "euc_kr"})

_HEAD = 4 * 4096 + 4  # bytes that can hold the first 4,096 characters (and a BOM)
# an http-equiv value (quoted or not) with a character reference in it
_REFERENCE = re.compile(rb"""http-equiv\s*=\s*(?:"[^"]*&#|'[^']*&#|[^\s>"']*&#)""")


@cache
def _ascii_safe(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name in _ASCII_SAFE
    except LookupError:
        return False


def cannot_refresh(response: HtmlResponse) -> bool:
    """True when the page surely declares no meta refresh (False: ask Scrapy)."""
    head = response.body[:_HEAD]
    if b"\x00" in head or not _ascii_safe(response.encoding):
        return False
    lowered = head.lower()  # ASCII letters only
    return b"refresh" not in lowered and _REFERENCE.search(lowered) is None


class SiteMetaRefresh(MetaRefreshMiddleware):
    """In DOWNLOADER_MIDDLEWARES in place of Scrapy's (same priority, 580)."""

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if isinstance(response, HtmlResponse) and cannot_refresh(response):
            return response
        return super().process_response(request, response)
