"""The CPU stages in order: extract → clean → date → fingerprint (dedupe's hashing), no I/O.

The crawl, `kexie extract`, re-extraction and the benchmarks all call `process`, so they share
one code path. Pure functions of the Page, so they can run in worker processes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from extract.clean import clean_text, clean_title
from extract.dates import find_date
from extract.extractor import extract
from extract.fingerprint import fingerprint
from extract.normalise import is_japanese, to_simplified
from extract.page import Page


def clean(page: Page) -> Page:
    """Boilerplate out, bylines into fields, traditional → simplified (original kept)."""
    if page.reject_reason:
        return page
    simplify = not is_japanese(page.title + page.raw_text[:2000])
    title = clean_title(page.title, page.site_name or None)
    page.title = to_simplified(title) if simplify else title
    cleaned = clean_text(page.raw_text, title=page.title, extra_patterns=page.boilerplate, simplify=simplify,
                         page_text=page.page_text)
    page.text, page.text_original = cleaned.text, cleaned.original
    page.author = cleaned.author or (page.metadata.author if page.metadata else None)
    page.editor, page.source = cleaned.editor, cleaned.source
    if not page.text.strip():
        page.reject("no_text", "nothing left after boilerplate cleaning")
    return page


def date(page: Page) -> Page:
    """A trustworthy publication date, or the page is kept aside with the reason."""
    if page.reject_reason:
        return page
    metadata = page.metadata  # htmldate's date: worked out only if every other source fails
    late = (lambda: metadata.date) if metadata else None
    # the date the site's list showed (page.list_date) beats htmldate's guess, never the page's own date
    found = find_date(page.url, page.meta_dates, page.page_text, page.raw_text, None if page.list_date else late,
                      title=page.title)
    if found.published_at is None and found.reason == "no_date" and page.list_date:
        listed = find_date("", [("list", page.list_date)], "", "")
        found = listed if listed.published_at else find_date(page.url, page.meta_dates, page.page_text,
                                                              page.raw_text, late, title=page.title)
    page.published_at, page.date_source, page.date_raw = found.published_at, found.source, found.raw
    if found.published_at is None:
        page.reject(found.reason or "no_date", found.raw or "")
    return page


def process(page: Page) -> Page:
    page = fingerprint(date(clean(extract(page))))
    page.metadata = None  # the parsed tree goes now, not when the page leaves the pipelines
    return page


def process_html(body: bytes, url: str | None = None, headers: Mapping[str, str] | None = None,
                 list_date: str = "") -> dict[str, Any]:
    """Offline extraction of one saved page (kexie extract, the quality benchmark, add-site's preview)."""
    page = process(Page(url=url or "", body=body, headers=dict(headers or {}), list_date=list_date))
    return {
        "url": page.url, "title": page.title, "text": page.text, "published_at": page.published_at,
        "date_source": page.date_source, "author": page.author, "editor": page.editor, "source": page.source,
        "encoding": page.encoding, "reject_reason": page.reject_reason, "reject_detail": page.reject_detail,
    }
