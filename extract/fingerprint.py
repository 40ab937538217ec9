"""A page's fingerprint, worked out in the extraction workers: canonical URL, text hash, sketch.

Canonical URLs (w3lib, plus the default documents and tracking parameters Chinese CMSs add)
catch the same page under two addresses; a hash of the normalised text catches copies that
differ only in script, spacing or punctuation; a MinHash sketch (extract/sketch.py) lets the
archive side (dedupe/) find copies with other chrome, bylines or a cut paragraph.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from extract.normalise import hash_form
from extract.page import Page
from extract.sketch import sketch_form

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

    Pure CPU (NFKC, OpenCC, SHA-1, MinHash), so extract/process.py runs it in the worker
    processes after the date stage; `decide` works it out itself for a page that skipped it.
    """
    page.canonical_url = canonical_url(page.url)
    if not page.reject_reason:
        form = hash_form(page.text)
        page.content_hash = hashlib.sha1(form.encode("utf-8")).hexdigest()
        page.sketch = sketch_form(form)
    return page


