"""Dedupe stage: one stored article per text, every URL that carried it linked to it.

Canonical URLs (w3lib, plus the default documents and tracking parameters Chinese CMSs add)
catch the same page under two addresses; a hash of the normalised text catches copies that
differ only in script, spacing or punctuation. When copies compete, the official association
site wins over newspapers and portals, those over spam mirrors, then the earliest date.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.crawler import Crawler
from w3lib.url import canonicalize_url

from archive.db import Archive
from pipelines.normalise import hash_form
from pipelines.page import Page
from pipelines.shared import archive_for

_DEFAULT_DOCS = re.compile(r"/(index|default)\.(html?|shtml|php|aspx?|jsp)$", re.IGNORECASE)
_TRACKING = re.compile(r"^(utm_\w+|spm|from|share(_\w+)?|isappinstalled|timestamp|_t|fbclid|gclid)$", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """One spelling per page: lower-case host without www., no default document, fragment,
    tracking parameters or trailing slash; http and https are the same page."""
    parts = urlsplit(canonicalize_url(url))
    host = (parts.hostname or "").removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = _DEFAULT_DOCS.sub("/", parts.path).rstrip("/") or "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit(("http", host, path, query, ""))


def content_hash(text: str) -> str:
    return hashlib.sha1(hash_form(text).encode("utf-8")).hexdigest()


def standing(official: Any, spam: Any, published_at: str | None) -> tuple[int, str]:
    """Sort key of a copy: lower is the better original."""
    rank = 2 if spam else 0 if official else 1
    return rank, published_at or "9999"


def decide(page: Page, archive: Archive) -> Page:
    """Set canonical_url, content_hash, dedupe_action and duplicate_of from the archive's view."""
    page.canonical_url = canonical_url(page.url)
    if page.reject_reason:
        return page
    page.content_hash = content_hash(page.text)
    at_url = archive.article_at(page.canonical_url)
    if at_url:
        page.duplicate_of = at_url["id"]
        page.dedupe_action = "unchanged" if at_url["content_hash"] == page.content_hash else "changed"
        return page
    same = archive.article_with_hash(page.content_hash)
    if same is None:
        page.dedupe_action = "new"
        return page
    page.duplicate_of = same["id"]
    mine = archive.site_standing(page.site)
    better = standing(mine.get("official"), mine.get("spam"), page.published_at) < standing(
        same["official"], same["spam"], same["published_at"]
    )
    page.dedupe_action = "promote" if better else "exact"
    return page


class DedupePipeline:
    """Scrapy stage around `decide`, reading the crawl's archive."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(archive_for(crawler))

    def process_item(self, item: Page) -> Page:
        return decide(item, self.archive)
