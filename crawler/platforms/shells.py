"""Redirect shells: pages whose only content sends the browser to the real page.

Old portals answer a column or article address with a near-empty page holding
`<meta http-equiv="refresh" content="0;url=…">` or a script doing `location.href = '…'`,
`window.location = "…"` or `location.replace('…')`. Extracting such a page yields no text and no
date; the crawl follows its target instead (on the site only, which the caller checks).
Scrapy's MetaRefreshMiddleware misses script redirects and refreshes past the head's first bytes.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html

_SCRIPT = re.compile(r"""(?:window\.|self\.|top\.|document\.)?location(?:\.href)?\s*=\s*['"]([^'"]+)['"]"""
                     r"""|location\.(?:replace|assign)\(\s*['"]([^'"]+)['"]\s*\)""")
_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\"\s>]+)", re.I)
MAX_TEXT = 80  # visible characters a shell may have ("页面跳转中…", "如果没有自动跳转，请点击这里")
# a shell names a refresh or a location in its bytes: without either the page is not parsed here (every
# article page of a crawl comes through this check in the crawl process; its worker parses it anyway)
_MAY_REDIRECT = re.compile(rb"refresh|location", re.I)


def redirect_target(body: bytes, url: str) -> str | None:
    """The page a shell sends the browser to (absolute), or None for a page with content."""
    if len(body) > 20_000 or not body.strip():
        return None
    if b"\x00" not in body and not _MAY_REDIRECT.search(body):  # NUL bytes: UTF-16 or -32, ASCII words unseen
        return None
    try:
        tree = lxml.html.fromstring(body)
    except (ValueError, lxml.etree.ParserError):
        return None
    target = None
    for meta in tree.xpath("//meta[translate(@http-equiv,'REFSH','refsh')='refresh'][@content]"):
        if found := _REFRESH.search(meta.get("content", "")):
            target = found[1].strip()
            break
    if target is None:
        for script in tree.xpath("//script[not(@src)]"):
            if found := _SCRIPT.search(script.text or ""):
                target = (found[1] or found[2]).strip()
                break
    if not target or target.startswith(("javascript:", "#")):
        return None
    for junk in tree.xpath("//script|//style|//noscript|//title"):
        junk.drop_tree()
    text = re.sub(r"\s+", "", tree.text_content())
    return urljoin(url, target) if len(text) <= MAX_TEXT else None
