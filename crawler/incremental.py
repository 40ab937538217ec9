"""What a scheduled crawl already has, so it fetches only what is new.

Known article URLs (archive/known.py) are not fetched again; list pages stop paginating once they show a run of
known articles (new items appear at the top of a list); sitemap entries modified since the last
completed crawl are fetched again even when known, and so are articles inside the refresh window.
"""

from __future__ import annotations

from datetime import UTC, datetime


def stop_paginating(article_known: list[bool], known_run: int) -> bool:
    """True when a list page shows only known articles, or `known_run` known ones in a row."""
    if not article_known:
        return False
    if all(article_known):
        return True
    run = 0
    for known in article_known:
        run = run + 1 if known else 0
        if run >= known_run:
            return True
    return False


def modified_since(lastmod: str | None, since: str | None) -> bool:
    """Whether a sitemap <lastmod> is after the last crawl (unknown dates count as modified)."""
    if not lastmod or not since:
        return True
    try:
        when = datetime.fromisoformat(lastmod.strip().replace("Z", "+00:00"))
    except ValueError:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC if "T" in lastmod else datetime.now().astimezone().tzinfo)
    return when > datetime.fromisoformat(since)
