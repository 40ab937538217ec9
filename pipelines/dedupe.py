"""Dedupe stage: one stored article per text, every URL that carried it linked to it.

Canonical URLs (w3lib, plus the default documents and tracking parameters Chinese CMSs add)
catch the same page under two addresses; a hash of the normalised text catches copies that
differ only in script, spacing or punctuation; MinHash (pipelines/near.py) catches copies with
other chrome, bylines or a cut paragraph, which are stored and linked, never merged. Which copy
is the original (official site first, spam mirrors never) is pipelines/clusters.py.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from w3lib.url import canonicalize_url

from archive.db import Archive
from archive.writer import immediate
from pipelines import near
from pipelines.clusters import article_standing, backfill, cluster_for, standing, standing_of
from pipelines.normalise import hash_form
from pipelines.page import Page
from pipelines.shared import archive_for, require_archiving_spider

_DEFAULT_DOCS = re.compile(r"/(index|default)\.(html?|shtml|php|aspx?|jsp)$", re.IGNORECASE)
_SESSION = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)  # Java CMSs (Hanweb art_*.html) without cookies
_TRACKING = re.compile(r"^(utm_\w+|spm|from|share(_\w+)?|isappinstalled|timestamp|_t|fbclid|gclid)$", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """One spelling per page: lower-case host without www., no default document, fragment,
    session id, tracking parameters or trailing slash; http and https are the same page."""
    parts = urlsplit(canonicalize_url(_SESSION.sub("", url)))
    host = (parts.hostname or "").removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = _DEFAULT_DOCS.sub("/", parts.path).rstrip("/") or "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit(("http", host, path, query, ""))


def content_hash(text: str) -> str:
    return hashlib.sha1(hash_form(text).encode("utf-8")).hexdigest()


def fingerprint(page: Page) -> Page:
    """The part of dedupe that needs no archive: canonical URL, text hash, near-duplicate sketch.

    Pure CPU (NFKC, OpenCC, SHA-1, MinHash), so pipelines/process.py runs it in the worker
    processes after the date stage; `decide` works it out itself for a page that skipped it.
    """
    page.canonical_url = canonical_url(page.url)
    if not page.reject_reason:
        form = hash_form(page.text)
        page.content_hash = hashlib.sha1(form.encode("utf-8")).hexdigest()
        page.sketch = near.sketch_form(form)
    return page


def page_standing(page: Page, archive: Archive) -> tuple[int, str]:
    site = archive.site_standing(page.site)
    return standing(site.get("official"), site.get("spam"), page.published_at, site.get("name") or page.site_name,
                    page.title)


def decide(page: Page, archive: Archive) -> Page:
    """Set canonical_url, content_hash, dedupe_action and duplicate_of from the archive's view.

    Actions: new; unchanged / changed (known URL: same text / a new version); exact / promote
    (same text elsewhere: a copy link / the better copy, which takes over the article); near /
    near_original (mostly another article's text: stored and linked under duplicate_of's cluster,
    or stored as that cluster's new original)."""
    if not page.canonical_url:  # not fingerprinted in a worker
        fingerprint(page)
    if page.reject_reason:
        return page
    at_url = archive.article_at(page.canonical_url)
    if at_url and (at_url["content_hash"] == page.content_hash or at_url["kind"] == "original"):
        page.duplicate_of = at_url["id"]
        page.dedupe_action = "unchanged" if at_url["content_hash"] == page.content_hash else "changed"
        return page
    # an unknown URL, or a copy URL whose text changed (it leaves its old article when stored)
    mine = page_standing(page, archive)
    same = archive.article_with_hash(page.content_hash)
    if same is not None:
        page.duplicate_of = same["id"]
        page.dedupe_action = "promote" if mine < standing_of(same) else "exact"
        return page
    root = cluster_for(archive, page.sketch) if page.sketch is not None else None
    if root is None:
        page.dedupe_action = "new"
        return page
    page.duplicate_of = root
    page.dedupe_action = "near_original" if mine < article_standing(archive, root) else "near"
    return page


class DedupePipeline:
    """Scrapy stage: the archive-free part of dedupe (a page not fingerprinted in a worker).

    `decide` itself runs in the store stage's write transaction (pipelines/store.py), so that
    its reads and the writes they lead to are one atomic step, whichever process writes too.
    """

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        require_archiving_spider(crawler)
        if crawler.settings.get("KEXIE_REDIS_URL"):  # a worker: the archiver fingerprints what is left
            raise NotConfigured("a distributed crawl's worker has no archive")
        return cls(archive_for(crawler))

    def open_spider(self) -> None:
        """Bring an archive written before the near-duplicate index up to date (a no-op after)."""
        with immediate(self.archive.db):
            backfill(self.archive)

    def process_item(self, item: Page) -> Page:
        return item if item.canonical_url else fingerprint(item)
