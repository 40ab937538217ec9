"""Dedupe's decision for one page, against the archive: one stored article per text, every URL that
carried it linked to it.

An exact copy (same text hash) is linked, never stored again; a near copy (dedupe/near.py) is
stored and linked, never merged. Which copy is the original (official site first, spam mirrors
never) is dedupe/clusters.py. Runs inside the write transaction (dedupe/write.py).
"""

from __future__ import annotations

from archive.db import Archive
from archive.outcomes import Action
from dedupe.clusters import article_standing, cluster_for, standing, standing_of
from extract.fingerprint import fingerprint
from extract.page import Page


def page_standing(page: Page, archive: Archive) -> tuple[int, str]:
    site = archive.site_standing(page.site)
    return standing(site.get("official"), site.get("spam"), page.published_at, site.get("name") or page.site_name,
                    page.title)


def decide(page: Page, archive: Archive) -> Page:
    """Set canonical_url, content_hash, dedupe_action and duplicate_of from the archive's view.

    The actions are archive/outcomes.py's Action: new; unchanged / changed (known URL: same text / a
    new version); exact / promote (same text elsewhere: a copy link / the better copy, which takes
    over the article); near / near_original (mostly another article's text: stored and linked under
    duplicate_of's cluster, or stored as that cluster's new original)."""
    if not page.canonical_url:  # not fingerprinted in a worker
        fingerprint(page)
    if page.reject_reason:
        return page
    at_url = archive.article_at(page.canonical_url)
    if at_url and (at_url["content_hash"] == page.content_hash or at_url["kind"] == "original"):
        page.duplicate_of = at_url["id"]
        page.dedupe_action = Action.UNCHANGED if at_url["content_hash"] == page.content_hash else Action.CHANGED
        return page
    # an unknown URL, or a copy URL whose text changed (it leaves its old article when stored); the page's
    # standing (a lookup and the spam words) only when there is a copy to rank it against
    same = archive.article_with_hash(page.content_hash)
    if same is not None:
        page.duplicate_of = same["id"]
        page.dedupe_action = Action.PROMOTE if page_standing(page, archive) < standing_of(same) else Action.EXACT
        return page
    root = cluster_for(archive, page.sketch) if page.sketch is not None else None
    if root is None:
        page.dedupe_action = Action.NEW
        return page
    page.duplicate_of = root
    page.dedupe_action = (Action.NEAR_ORIGINAL if page_standing(page, archive) < article_standing(archive, root)
                          else Action.NEAR)
    return page


