"""Re-extraction: run today's extract → clean → date on the raw pages already in the archive.

When the extractor or the cleaning rules improve, the archive catches up without fetching anything
again: every article keeps the page it came from (`pages`, zlib body and headers). An article whose
page would now be rejected, or whose new text is already another article's, is reported and left
as it is, because deciding what to do with it is dedupe's job, not this one's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from archive.db import decompress
from archive.search import update_index
from archive.writer import immediate
from pipelines.dedupe import content_hash
from pipelines.extract import EXTRACTOR_VERSION
from pipelines.page import Page
from pipelines.pool import Results, submit_all

FIELDS = ("title", "text", "text_original", "author", "editor", "source", "published_at", "date_source", "date_raw")
BATCH = 100


@dataclass(frozen=True)
class SiteHints:
    """What the crawl took from the site file for extraction (the CLI reads the file)."""

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
                content_xpath=hints.content_xpath)


def articles_to_check(db: sqlite_utils.Database, site: str | None = None, since: str | None = None) -> list[int]:
    """Ids of the articles with a stored page, of one site and published since a date if given."""
    where, params = ["a.page_id IS NOT NULL"], []
    if site:
        where.append("a.site = ?")
        params.append(site)
    if since:
        where.append("a.published_at >= ?")
        params.append(since)
    return [r[0] for r in db.execute(f"SELECT a.id FROM articles a WHERE {' AND '.join(where)} ORDER BY a.id", params)]


def compare(db: sqlite_utils.Database, row: Row, page: Page) -> Outcome:
    """What would change in the article if `page` (re-processed) replaced it."""
    outcome = Outcome(row["id"], row["site"], row["url"])
    if page.reject_reason:
        outcome.skipped = f"the page would now be rejected ({page.reject_reason}: {page.reject_detail})"
        return outcome
    outcome.changes = {f: (row[f], getattr(page, f)) for f in FIELDS if (row[f] or None) != (getattr(page, f) or None)}
    if "text" in outcome.changes:
        outcome.content_hash = page.content_hash or content_hash(page.text)
        other = db.execute("SELECT id FROM articles WHERE content_hash = ? AND id != ?",
                           [outcome.content_hash, row["id"]]).fetchone()
        if other:
            outcome.skipped = f"its new text is article #{other[0]}'s"
    return outcome


def _rows(db: sqlite_utils.Database, ids: list[int]) -> Iterator[list[Row]]:
    """The articles and their stored pages, BATCH at a time (never the whole archive in memory)."""
    columns = f"a.id, a.site, a.extractor_version, {', '.join('a.' + f for f in FIELDS)}, p.url, p.body, p.status," \
              " p.headers, p.fetched_at"
    for at in range(0, len(ids), BATCH):
        batch = ids[at:at + BATCH]
        cursor = db.execute(f"SELECT {columns} FROM articles a JOIN pages p ON p.id = a.page_id"
                            f" WHERE a.id IN ({', '.join('?' * len(batch))})", batch)
        names = [d[0] for d in cursor.description]
        yield [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def reextract(db: sqlite_utils.Database, hints: Mapping[str, SiteHints], ids: list[int],
              dry_run: bool = False, workers: int = -1) -> Iterator[Outcome]:
    """Re-process the stored pages of these articles; yield each article that changed or was left alone.

    The pages go through the crawl's worker processes (`workers`: -1 one per core, 0 in this
    process); the next batch is being extracted while this one is compared and written. One
    transaction per batch; the search index follows through its triggers, drained at the end.
    """
    def submitted(rows: list[Row]) -> tuple[list[Row], Results]:
        return rows, submit_all([_page(row, hints.get(row["site"], SiteHints())) for row in rows], workers)

    batches = _rows(db, ids)
    ahead = next((submitted(rows) for rows in batches), None)
    while ahead is not None:
        rows, results = ahead
        ahead = next((submitted(rows) for rows in batches), None)  # keeps the workers busy meanwhile
        done = list(zip(rows, results(), strict=True))  # extracted before the write lock is taken
        shown = []
        with immediate(db):  # the write lock first: a crawl writing meanwhile waits, neither fails
            for row, page in done:
                outcome = compare(db, row, page)
                if not dry_run and not outcome.skipped:
                    _write(db, row, outcome)
                if outcome.changes or outcome.skipped:
                    shown.append(outcome)
        yield from shown  # after the commit: a slow reader never holds the archive's write lock
    if not dry_run:
        update_index(db)


def _write(db: sqlite_utils.Database, row: Row, outcome: Outcome) -> None:
    """Store the new fields (and text hash), and record which extractor produced the article."""
    fields: dict[str, Any] = {name: new for name, (_, new) in outcome.changes.items()}
    if "text" in fields:
        fields["content_hash"] = outcome.content_hash
    if not fields and row["extractor_version"] == EXTRACTOR_VERSION:
        return
    fields["extractor_version"] = EXTRACTOR_VERSION
    assignments = ", ".join(f"{k} = ?" for k in fields)
    db.execute(f"UPDATE articles SET {assignments} WHERE id = ?", [*fields.values(), row["id"]])
    if "title" in fields or "published_at" in fields:
        db.execute("UPDATE article_urls SET title = ?, published_at = ? WHERE article_id = ? AND kind = 'original'",
                   [fields.get("title", row["title"]), fields.get("published_at", row["published_at"]), row["id"]])
