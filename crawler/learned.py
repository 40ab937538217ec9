"""Boilerplate learned per site: short lines that recur in most of a site's archived articles.

The rule files catch what all sites share (ICP numbers, share widgets…); each site also has
its own slogans and notices that survive them. A line that stands alone in over half of a
site's recent articles is chrome, not news, and is dropped from the site's next pages.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

MAX_LINE = 80  # longer lines are prose, even when repeated (a stock paragraph is still text)


def repeated_lines(db: Any, site: str, recent: int = 200, min_articles: int = 5, share: float = 0.5) -> list[str]:
    """Lines found in at least `share` of the site's last `recent` articles (needs `min_articles`)."""
    texts = [row[0] for row in db.execute(
        "SELECT text FROM articles WHERE site = ? ORDER BY id DESC LIMIT ?", [site, recent]).fetchall()]
    if len(texts) < min_articles:
        return []
    counts = Counter(line for text in texts
                     for line in {ln.strip() for ln in text.splitlines()} if 0 < len(line) <= MAX_LINE)
    return sorted(line for line, n in counts.items() if n >= share * len(texts))


def as_patterns(lines: list[str]) -> tuple[str, ...]:
    """Whole-line regexes for the clean stage's per-site patterns."""
    return tuple(f"^{re.escape(line)}$" for line in lines)
