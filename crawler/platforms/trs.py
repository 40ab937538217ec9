"""TRS WCM list pages: the pager is written by a script, not by links.

A TRS WCM column page ends with
`<script>createPageHTML(countPage, currentPage, "index", "html");</script>` (literal numbers or
variables set just before, `var countPage = 3//共多少页`; newer templates put the pager's element
id first and the record count last: `createPageHTML('page_div', 3, 0, 'index', 'shtml', 45)`).
The script's page.js writes links to `index.html` for the first page and `index_1.html` …
`index_{count-1}.html` for the others, in the column's folder. Scrapy's LinkExtractor never sees
them (they are inside <script>), so the spider and the probe read the call here.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

MAX_PAGES = 1000  # a column with more pages than this is a broken count, not a real pager
_CALL = re.compile(
    r"""createPageHTML\s*\(\s*(?:(?P<q0>['"])[^'"]*(?P=q0)\s*,\s*)?"""  # the pager element's id (newer templates)
    r"""(?:(?P<count>\d+)|(?P<count_var>[A-Za-z_$][\w$]*))\s*,\s*"""
    r"""(?:\d+|[A-Za-z_$][\w$]*)\s*,\s*"""  # the current page
    r"""(?P<q1>['"])(?P<prefix>[\w-]+)(?P=q1)\s*,\s*(?P<q2>['"])(?P<ext>\w+)(?P=q2)""")


def _value(number: str | None, name: str | None, text: str) -> int | None:
    if number:
        return int(number)
    found = re.findall(rf"(?:var|let|const)?\s*\b{re.escape(name or '')}\s*=\s*(\d+)", text)
    return int(found[-1]) if found else None


def page_urls(text: str, url: str) -> list[str]:
    """Every page of the column a createPageHTML call announces (absolute, the first page first),
    or [] when the page has no such call."""
    match = _CALL.search(text)
    if match is None:
        return []
    count = _value(match["count"], match["count_var"], text)
    if not count or count < 2:
        return []
    prefix, ext = match["prefix"], match["ext"]
    names = [f"{prefix}.{ext}"] + [f"{prefix}_{n}.{ext}" for n in range(1, min(count, MAX_PAGES))]
    return [urljoin(url, name) for name in names]


def has_pager(text: str) -> bool:
    return "createPageHTML" in text and _CALL.search(text) is not None
