"""The record that flows one way through extract → clean → date → dedupe → store.

Three parts, each a type: what was fetched (`Fetched`: the response and the site's hints, set by
the spider), what extraction returns (`Extracted`: set by the stages in a worker, and the only
fields a worker sends back), and the `Page` that carries both through the crawl process with the
stages' working fields and dedupe's decision. Where a field goes besides (an `articles` column, a
re-extraction's comparison, `scrapy crawl -O`, or nowhere outside its process) is declared on the
field, and every mapping is read from the declarations (`names`), never listed by hand.

Plain dataclasses of strings, numbers and bytes, so a page pickles cheaply to worker processes
and Scrapy's item machinery handles it as an item.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extract.container import Container
    from extract.metadata import PageMetadata
    from extract.sketch import Sketch

ROW = "row"  # a column of the page's row in `articles` (archive/revisions.py)
ARTICLE = "article"  # what extraction finds of the article: what a re-extraction compares and revises
EXPORT = "export"  # a field of `scrapy crawl site -O items.jsonl|csv` (crawler/settings.py)
LOCAL = "local"  # never leaves its process: not pickled back from a worker, not sent through Redis


def _to(*where: str, default: Any = "", **kwargs: Any) -> Any:
    return field(default=default, metadata={name: True for name in where}, **kwargs)


@dataclass(repr=False)
class Fetched:
    """What the spider fetched of one article page, with the hints of its site and its crawl."""

    url: str = field(metadata={ROW: True, EXPORT: True})
    body: bytes
    site: str = _to(ROW, EXPORT)
    status: int = _to(EXPORT, default=200)
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: str = _to(ROW, EXPORT)
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


@dataclass(kw_only=True)
class Extracted:
    """What extraction returns for a page (extract/process.py's stages, in a worker): the only fields
    a worker sends back to the crawl process (pipelines/pool.py)."""

    canonical_url: str = _to(ROW, EXPORT)  # the fingerprint (extract/fingerprint.py), worked out once ...
    title: str = _to(ROW, ARTICLE, EXPORT)
    text: str = _to(ROW, ARTICLE, EXPORT)  # clean
    text_original: str = _to(ROW, ARTICLE, EXPORT)
    author: str | None = _to(ROW, ARTICLE, EXPORT, default=None)
    editor: str | None = _to(ROW, ARTICLE, EXPORT, default=None)
    source: str | None = _to(ROW, ARTICLE, EXPORT, default=None)
    published_at: str | None = _to(ROW, ARTICLE, EXPORT, default=None)  # date
    date_source: str = _to(ROW, ARTICLE, EXPORT)
    date_raw: str | None = _to(ROW, ARTICLE, default=None)
    content_hash: str = _to(ROW, EXPORT)  # ... with the text's hash and its MinHash sketch (None if too short)
    sketch: Sketch | None = field(default=None, compare=False)
    encoding: str = _to(EXPORT)  # extract
    # how the main text was found: hint (content_xpath), platform, container (the learned one),
    # extractors, or fallback (the learned container did not fit, the extractors ran)
    extracted_by: str = ""
    # the container whose text is the extractors' text, when one is found: what the site learns from
    container: Container | None = None
    # set by any stage that gives up on the page; the store keeps it aside with this reason
    reject_reason: str | None = _to(EXPORT, default=None)
    reject_detail: str = _to(EXPORT)


@dataclass(repr=False)
class Page(Extracted, Fetched):
    """One fetched article page as it goes through the stages: what was fetched, what extraction
    returns, the extract stage's working fields and dedupe's decision."""

    # the extract stage's working fields
    raw_text: str = ""
    page_text: str = ""
    meta_dates: list[tuple[str, str]] = field(default_factory=list)
    # trafilatura's title, author and htmldate date, the last two worked out only if asked for;
    # holds the parsed tree, so it lives only inside extract.process.process (never pickled)
    metadata: PageMetadata | None = field(default=None, compare=False, metadata={LOCAL: True})
    # dedupe's decision, taken in the archive's write transaction (dedupe/decide.py)
    dedupe_action: str = ""  # new | unchanged | changed | exact | promote | near | near_original
    duplicate_of: int | None = None

    def __repr__(self) -> str:
        """Short: Scrapy logs items on errors, and a page body is tens of kilobytes."""
        state = f" rejected={self.reject_reason}" if self.reject_reason else ""
        return f"<Page {self.site} {self.url} {len(self.body)} bytes{state}>"

    def reject(self, reason: str, detail: str = "") -> Page:
        """Mark the page as kept aside (not an article) without losing it."""
        if self.reject_reason is None:
            self.reject_reason, self.reject_detail = reason, detail
        return self

    def extracted(self) -> Extracted:
        """What extraction returned for the page, alone (what a worker sends back)."""
        return Extracted(**{name: getattr(self, name) for name in names(Extracted)})

    def take(self, result: Extracted) -> Page:
        """The page with what extraction returned for it (in another process) set on it."""
        for name in names(Extracted):
            setattr(self, name, getattr(result, name))
        return self


def names(record: Any, where: str = "") -> tuple[str, ...]:
    """The fields of a record type (or record) in their order; with `where`, those declared to go there
    (ROW, ARTICLE, EXPORT, LOCAL)."""
    return tuple(f.name for f in fields(record) if not where or f.metadata.get(where))
