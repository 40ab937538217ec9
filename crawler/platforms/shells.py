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
# a shell names a refresh, or assigns or replaces a location, in its bytes: without either the page is not
# parsed here (every article page of a crawl comes through this check in the crawl process; its worker
# parses it anyway). `location` alone is common (`href="javascript:SetHome(this,window.location)"`). The
# gaps take every byte a decoded whitespace character (_SCRIPT's \s) can be made of in an ASCII-compatible
# encoding (UTF-8, GB18030, Big5: non-ASCII bytes, digits and @ as trail bytes). Searched in the lowered
# bytes: a case-insensitive regex scan costs ten times as much.
_GAP = rb"(?:\s|[\x1c-\x1f\x80-\xff0-9@])*"
_ASSIGNS = re.compile(rb"location(?:(?:\.href)?" + _GAP + rb"=|\.(?:replace|assign)\()" + _GAP + rb"['\"]")


def _may_redirect(body: bytes) -> bool:
    """False when the bytes cannot hold a refresh or a location change (NUL bytes: UTF-16 or -32, whose
    ASCII words these bytes do not show, are always parsed)."""
    lowered = body.lower()  # ASCII letters only
    return (b"\x00" in body or b"refresh" in lowered
            or (b"location" in lowered and _ASSIGNS.search(lowered) is not None))


def redirect_target(body: bytes, url: str) -> str | None:
    """The page a shell sends the browser to (absolute), or None for a page with content."""
    if len(body) > 20_000 or not body.strip():
        return None
    if not _may_redirect(body):
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
