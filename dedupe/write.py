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


def store(page: Page, archive: Archive, run_id: int | None, stored_body: bytes = b"") -> str:
    """Write one page as `decide` classified it; returns what happened: stored, duplicate (an exact
    copy), near (stored and linked as a near copy), unchanged, changed (a new version), rejected.
    `stored_body`: the body already compressed as the archive keeps it (it came so through Redis)."""
    if page.reject_reason:
        # status 0: refused before its body came
        page_id = archive.add_page(page, run_id, stored_body) if page.status else None
        archive.add_reject(page, page_id, run_id)
        return "rejected"
    page_id = archive.add_page(page, run_id, stored_body)
    action = page.dedupe_action
    if action == "unchanged":
        return action
    if action == "changed":
        assert page.duplicate_of is not None
        _, current = archive.add_version(page.duplicate_of, page, page_id, EXTRACTOR_VERSION)
        if current:
            retext(archive, page.duplicate_of, page.sketch)  # a new text: its near links measured again
        return action
    archive.detach_copy(page.canonical_url)  # a copy URL whose text changed leaves its old article
    if action in ("new", "near", "near_original"):
        article_id = archive.add_article(page, page_id, EXTRACTOR_VERSION)
        mine = page.sketch
        near.index(archive, article_id, mine)
        if action == "new" or mine is None:
            return "stored"
        assert page.duplicate_of is not None
        attach(archive, article_id, page.duplicate_of, action == "near_original", mine)
        return "near"
    assert page.duplicate_of is not None
    if action == "exact":
        archive.add_copy(page.duplicate_of, page, page_id, "exact")
    elif action == "promote":
        archive.promote(page.duplicate_of, page, page_id, EXTRACTOR_VERSION)
        restand(archive, page.duplicate_of)
    else:
        raise ValueError(f"page {page.url} has no dedupe decision ({action!r}): run decide() first")
    return "duplicate"


def write_page(page: Page, archive: Archive, stored_body: bytes = b"") -> str:
    """The store stage's write of one page, run inside the batch's write transaction: the dedupe
    decision is taken there too, so it sees everything written before it, by any process."""
    decide(page, archive)
    outcome = store(page, archive, page.run_id, stored_body)
    if page.from_frontier:
        frontier.visited(archive, page.site, page.url)
    return outcome
