"""Re-extraction: run today's extract → clean → date on the raw pages already in the archive.

When the extractor or the cleaning rules improve, the archive catches up without fetching anything
again: every article keeps the page it came from (`pages`, zlib body and headers). An article whose
page would now be rejected, or whose new text is already another article's, is reported and left
as it is, because deciding what to do with it is dedupe's job, not this one's.

Each changed article is one typed write (dedupe/writes.py's ArticleRevision, beside the crawl's
page writes), applied inside the batch's BEGIN IMMEDIATE transaction: it sets the new fields and
keeps the near-duplicate index and clusters in step with the new text (dedupe/clusters.py), so
later near-copy lookups never compare against a text the archive no longer holds. It does not go
through the crawl's page write (`write_page`): a re-extracted article is not a page fetched anew,
and dedupe's decision is not taken again (a text now another article's is reported and left).
The site hints come from the caller (cli/maintain.py), built as the crawl builds them
(crawler/learned.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from archive.db import Archive, decompress
from archive.revisions import articles_and_pages, with_pages
from archive.search import update_index
from archive.writer import immediate
from dedupe.writes import ArticleRevision
from extract.extractor import EXTRACTOR_VERSION
from extract.page import ARTICLE, Page, names
from pipelines.pool import Results, submit_all

FIELDS = names(Page, ARTICLE)  # what extraction finds of an article: compared, and revised when changed
BATCH = 100


@dataclass(frozen=True)
class SiteHints:
    """What the crawl gives the extraction of a site's pages: its file's hints and its boilerplate, the
    file's patterns and the learned lines (cli/maintain.py builds them)."""

    name: str = ""
    encoding: str = ""
    boilerplate: tuple[str, ...] = ()
    content_xpath: str = ""


@dataclass
class Outcome:
    """One article that re-extraction changed (or would, but left alone: `skipped` says why)."""

    article_id: int
    site: str
    url: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    skipped: str = ""
    content_hash: str = ""  # of the new text, when the text changed

    def describe(self) -> str:
        """One line: which fields changed and how."""
        if self.skipped:
            return f"#{self.article_id} {self.site} {self.url}: left as is, {self.skipped}"
        parts = []
        for name, (old, new) in self.changes.items():
            if name in ("text", "text_original"):
                parts.append(f"{name} {len(old or '')} → {len(new or '')} chars")
            else:
                parts.append(f"{name} {old!r} → {new!r}")
        return f"#{self.article_id} {self.site} {self.url}: " + "; ".join(parts)


Row = dict[str, Any]  # a row of reextract's SELECT, by column name


def _page(row: Row, hints: SiteHints) -> Page:
    return Page(url=row["url"], body=decompress(row["body"]), site=row["site"], status=row["status"] or 200,
                headers=json.loads(row["headers"] or "{}"), fetched_at=row["fetched_at"] or "",
                encoding_hint=hints.encoding, boilerplate=hints.boilerplate, site_name=hints.name,
                content_xpath=hints.content_xpath,
                list_date=(row.get("date_raw") or "") if row.get("date_source") == "list" else "")  # the list's date


def articles_to_check(db: sqlite_utils.Database, site: str | None = None, since: str | None = None) -> list[int]:
    """Ids of the articles with a stored page, of one site and published since a date if given."""
    return with_pages(db, site, since)


def compare(archive: Archive, row: Row, page: Page) -> Outcome:
    """What would change in the article if `page` (re-processed) replaced it."""
    outcome = Outcome(row["id"], row["site"], row["url"])
    if page.reject_reason:
        outcome.skipped = f"the page would now be rejected ({page.reject_reason}: {page.reject_detail})"
        return outcome
    outcome.changes = {f: (row[f], getattr(page, f)) for f in FIELDS if (row[f] or None) != (getattr(page, f) or None)}
    if "text" in outcome.changes:
        outcome.content_hash = page.content_hash  # fingerprinted once, in the worker (extract/process.py)
        other = archive.article_with_hash(outcome.content_hash)
        if other and other["id"] != row["id"]:
            outcome.skipped = f"its new text is article #{other['id']}'s"
    return outcome


def reextract(archive: Archive, hints: Mapping[str, SiteHints], ids: list[int],
              dry_run: bool = False, workers: int = -1) -> Iterator[Outcome]:
    """Re-process the stored pages of these articles; yield each article that changed or was left alone.

    The pages go through the crawl's worker processes (`workers`: -1 one per core, 0 in this
    process); the next batch is being extracted while this one is compared and written. One
    transaction per batch, holding the article writes and the near-duplicate index's; the search
    index follows through its triggers, drained at the end.
    """
    def submitted(rows: list[Row]) -> tuple[list[Row], Results]:
        return rows, submit_all([_page(row, hints.get(row["site"], SiteHints())) for row in rows], workers)

    db = archive.db
    batches = articles_and_pages(db, ids, FIELDS, BATCH)
    ahead = next((submitted(rows) for rows in batches), None)
    while ahead is not None:
        rows, results = ahead
        ahead = next((submitted(rows) for rows in batches), None)  # keeps the workers busy meanwhile
        done = list(zip(rows, results(), strict=True))  # extracted before the write lock is taken
        shown = []
        with immediate(db):  # the write lock first: a crawl writing meanwhile waits, neither fails
            for row, page in done:
                outcome = compare(archive, row, page)
                if not dry_run and not outcome.skipped:
                    _write(archive, row, page, outcome)
                if outcome.changes or outcome.skipped:
                    shown.append(outcome)
        yield from shown  # after the commit: a slow reader never holds the archive's write lock
    if not dry_run:
        update_index(db)


def _write(archive: Archive, row: Row, page: Page, outcome: Outcome) -> None:
    """Store the new fields (and text hash), record which extractor produced the article, and bring
    its near-duplicate signature and links up to date when its text or standing changed."""
    fields: dict[str, Any] = {name: new for name, (_, new) in outcome.changes.items()}
    if "text" in fields:
        fields["content_hash"] = outcome.content_hash
    if not fields and row["extractor_version"] == EXTRACTOR_VERSION:
        return
    fields["extractor_version"] = EXTRACTOR_VERSION
    # the sketch came back from the worker with the hash (extract/fingerprint.py)
    ArticleRevision(row["id"], row["site"], fields, page.sketch if "text" in fields else None).apply(archive)
