"""The record that flows one way through extract → clean → date → dedupe → store.

A plain dataclass of strings, numbers and bytes, so it pickles cheaply to worker processes
and Scrapy's item machinery handles it as an item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extract.container import Container
    from extract.metadata import PageMetadata
    from extract.sketch import Sketch


@dataclass(repr=False)
class Page:
    """One fetched article page; each stage fills in its own fields."""

    url: str
    body: bytes
    site: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: str = ""
    # hints from the site config
    encoding_hint: str = ""
    boilerplate: tuple[str, ...] = ()
    site_name: str = ""
    content_xpath: str = ""
    # the main-content container learned from the site's earlier pages (extract/learning.py): the
    # page's text comes from it alone when the page fits it; None while learning and on check pages.
    # find_container: the site is learning, so the extract stage reports the container it finds
    learned_container: Container | None = None
    find_container: bool = False
    # the crawl: its crawl_runs row, and whether the page was asked for again from the frontier
    run_id: int | None = None
    from_frontier: bool = False
    # the date the site's list (a Hanweb record, a JSON API item) showed: used only when the page has none
    list_date: str = ""
    # extract
    encoding: str = ""
    title: str = ""
    raw_text: str = ""
    page_text: str = ""
    meta_dates: list[tuple[str, str]] = field(default_factory=list)
    # how the main text was found: hint (content_xpath), platform, container (the learned one),
    # extractors, or fallback (the learned container did not fit, the extractors ran)
    extracted_by: str = ""
    # the container whose text is the extractors' text, when one is found: what the site learns from
    container: Container | None = None
    # trafilatura's title, author and htmldate date, the last two worked out only if asked for;
    # holds the parsed tree, so it lives only inside extract.process.process (never pickled)
    metadata: PageMetadata | None = field(default=None, compare=False)
    # clean
    text: str = ""
    text_original: str = ""
    author: str | None = None
    editor: str | None = None
    source: str | None = None
    # date
    published_at: str | None = None
    date_source: str = ""
    date_raw: str | None = None
    # dedupe
    canonical_url: str = ""
    content_hash: str = ""
    sketch: Sketch | None = field(default=None, compare=False)  # MinHash of the text; None if too short
    dedupe_action: str = ""  # new | unchanged | changed | exact | promote
    duplicate_of: int | None = None
    # set by any stage that gives up on the page; the store keeps it aside with this reason
    reject_reason: str | None = None
    reject_detail: str = ""

    def __repr__(self) -> str:
        """Short: Scrapy logs items on errors, and a page body is tens of kilobytes."""
        state = f" rejected={self.reject_reason}" if self.reject_reason else ""
        return f"<Page {self.site} {self.url} {len(self.body)} bytes{state}>"

    def reject(self, reason: str, detail: str = "") -> Page:
        """Mark the page as kept aside (not an article) without losing it."""
        if self.reject_reason is None:
            self.reject_reason, self.reject_detail = reason, detail
        return self
