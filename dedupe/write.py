"""The write of one page, the same for the crawl's store stage and the distributed archiver (both
apply dedupe/writes.py's PageWrite): dedupe's decision taken inside the write transaction, then
the raw page always and an article, a copy link, a new version or a reject; every stored
article's MinHash sketch goes into the near-duplicate index as it is written. `kexie reextract`
does not write pages: it revises stored articles (dedupe/writes.py's ArticleRevision).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from archive import frontier
from archive.db import Archive
from archive.outcomes import Action, Outcome
from dedupe import near
from dedupe.clusters import attach, restand, retext
from dedupe.decide import decide
from extract.extractor import EXTRACTOR_VERSION
from extract.page import Page


def site_row(config: Any) -> dict[str, Any]:
    """The `sites` row for a SiteConfig."""
    fields = asdict(config)
    return {
        "key": fields["key"], "name": fields["name"], "level": fields["level"], "region": fields["region"],
        "official": int(fields["official"]), "spam": int(fields["spam"]), "verified": int(fields["verified"]),
        "base_url": fields["base_url"], "config_path": fields["path"],
    }


def store(page: Page, archive: Archive, run_id: int | None, stored_body: bytes = b"") -> Outcome:
    """Write one page as `decide` classified it; returns what happened (archive/outcomes.py).
    `stored_body`: the body already compressed as the archive keeps it (it came so through Redis)."""
    if page.reject_reason:
        # status 0: refused before its body came
        page_id = archive.add_page(page, run_id, stored_body) if page.status else None
        archive.add_reject(page, page_id, run_id)
        return Outcome.REJECTED
    try:
        action = Action(page.dedupe_action)
    except ValueError:
        raise ValueError(f"page {page.url} has no dedupe decision ({page.dedupe_action!r}): run decide() first") \
            from None
    page_id = archive.add_page(page, run_id, stored_body)
    if action is Action.UNCHANGED:
        return action.outcome
    if action is Action.CHANGED:
        assert page.duplicate_of is not None
        _, current = archive.add_version(page.duplicate_of, page, page_id, EXTRACTOR_VERSION)
        if current:
            retext(archive, page.duplicate_of, page.sketch)  # a new text: its near links measured again
        return action.outcome
    archive.detach_copy(page.canonical_url)  # a copy URL whose text changed leaves its old article
    if action in (Action.NEW, Action.NEAR, Action.NEAR_ORIGINAL):
        article_id = archive.add_article(page, page_id, EXTRACTOR_VERSION)
        mine = page.sketch
        near.index(archive, article_id, mine)
        if action is Action.NEW or mine is None:
            return Outcome.STORED
        assert page.duplicate_of is not None
        attach(archive, article_id, page.duplicate_of, action is Action.NEAR_ORIGINAL, mine)
        return action.outcome
    assert page.duplicate_of is not None
    if action is Action.EXACT:
        archive.add_copy(page.duplicate_of, page, page_id, "exact")
    else:
        archive.promote(page.duplicate_of, page, page_id, EXTRACTOR_VERSION)
        restand(archive, page.duplicate_of)
    return action.outcome


def write_page(page: Page, archive: Archive, stored_body: bytes = b"") -> Outcome:
    """The store stage's write of one page, run inside the batch's write transaction: the dedupe
    decision is taken there too, so it sees everything written before it, by any process."""
    decide(page, archive)
    outcome = store(page, archive, page.run_id, stored_body)
    if page.from_frontier:
        frontier.visited(archive, page.site, page.url)
    return outcome
