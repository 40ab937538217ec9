"""Boilerplate learned per site: short lines that recur in most of a site's archived articles.

The rule files catch what all sites share (ICP numbers, share widgets…); each site also has
its own slogans and notices that survive them. A line that stands alone in over half of a
site's recent articles is chrome, not news, and is dropped from the site's next pages.

Why a learned line is never forgotten: the evidence is the stored texts, and they stop carrying
a line once it is learned, since the next pages are cleaned without it. Re-deriving the set at
each crawl therefore let a line back in once the texts without it outnumbered the older ones
(about 200 articles later), then learned it again: an oscillation. So each crawl's finding is
added to the site's rows in `learned_boilerplate` (archive/learned.py) and none is removed:
`first_seen` is the crawl that learned the line, `last_seen` and `articles` the last crawl whose
recent texts still showed it repeated. Absence says nothing here (a dropped line cannot be seen
again in cleaned texts), so nothing expires on its own; a stale line costs one whole-line regex.
To unlearn a line, delete its row: it comes back only if new pages carry it again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import sqlite_utils

from archive.db import now_iso
from archive.learned import learned_lines, recent_texts, remember

MAX_LINE = 80  # longer lines are prose, even when repeated (a stock paragraph is still text)
RECENT = 200  # the site's last articles a crawl looks at
MIN_ARTICLES = 5  # fewer say nothing about what repeats
SHARE = 0.5  # of those articles a line must stand alone in


def repeated_lines(texts: list[str], min_articles: int = MIN_ARTICLES, share: float = SHARE) -> dict[str, int]:
    """Lines standing alone in at least `share` of the texts (needs `min_articles`), with how many carry each."""
    if len(texts) < min_articles:
        return {}
    counts = Counter(line for text in texts
                     for line in {ln.strip() for ln in text.splitlines()} if 0 < len(line) <= MAX_LINE)
    return {line: n for line, n in sorted(counts.items()) if n >= share * len(texts)}


def learn(db: sqlite_utils.Database, site: str, at: str | None = None) -> None:
    """One learning round (a crawl's start, inside its write transaction): add what the site's
    recent texts show repeated to its learned lines (site_boilerplate reads them)."""
    remember(db, site, repeated_lines(recent_texts(db, site, RECENT)), at or now_iso())


def as_patterns(lines: Iterable[str]) -> tuple[str, ...]:
    """Whole-line regexes for the clean stage's per-site patterns."""
    return tuple(f"^{re.escape(line)}$" for line in lines)


def site_boilerplate(db: sqlite_utils.Database, site: str, patterns: Iterable[str]) -> tuple[str, ...]:
    """A site's boilerplate as the clean stage gets it, for the crawl and `kexie reextract` alike:
    the site file's patterns, then the lines learned from its archive."""
    return tuple(patterns) + as_patterns(learned_lines(db, site))
