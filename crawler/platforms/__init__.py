"""The platforms (content-management systems) association sites run on, read on their own terms.

Pure functions of a page's text and URL, shared by the spider and `kexie add-site`: Hanweb (大汉)
jpage columns keep their list in an XML data island inside <script> and page through
dataproxy.jsp (hanweb.py); JSON-API shells fill an empty page from JSON (jsonapi.py); redirect
shells only send the browser on (shells.py); TRS WCM writes its pager with a script (trs.py);
anti-bot challenges are recognised, never passed (challenge.py). crawler/spiders/site.py asks
`list_page` first and falls back to Scrapy's LinkExtractor for what remains.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Listed:
    """What a platform found on one list response."""

    articles: list[str] = field(default_factory=list)  # absolute URLs, in list order
    dates: dict[str, str] = field(default_factory=dict)  # URL -> the date the list shows for it
    lists: list[str] = field(default_factory=list)  # further list URLs (the next group or page)
    only: bool = False  # the response is an API answer: no HTML links to extract besides these
