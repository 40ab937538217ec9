"""The sections of a text page: a poem's or classical text's translation, notes and appreciation.

诗词 and 古文 pages (and 科普 pages on them) put the original text, its 译文, 注释 and 赏析 each
in a box of its own under a heading.  readability takes one box (the notes, or the poem) for the
article and drops its siblings; trafilatura keeps them, headings and all.  So when trafilatura's
text shows at least MIN_SECTIONS such headings and readability's lacks some of them, the sections
are the page's main content and trafilatura's text (its balanced run's, where that holds it and
more) is the answer, not readability's box.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_HEADING = re.compile(
    r"^(?:原文|译文|注释|注解|译注|译文及注释|注释及译文|赏析|鉴赏|简析|评析|作品赏析|创作背景|写作背景|"
    r"翻译|白话译文|解读|词句注释|参考资料|作者简介)[:：]?$")
MIN_SECTIONS = 2


def headings(text: str) -> set[str]:
    """The section headings standing alone on a line of `text` (colons dropped)."""
    return {line.strip().rstrip(":：") for line in text.splitlines() if _HEADING.match(line.strip())}


def sections_text(first: str, second: str, referee: Callable[[], str],
                  inside: Callable[[str, str], float]) -> str | None:
    """trafilatura's text (or the balanced run's) when it holds sections readability's lacks, else None.

    `inside(a, b)` is the share of a's tokens that b holds (extract/opinions.py)."""
    found = headings(first)
    if len(found) < MIN_SECTIONS or found <= headings(second):
        return None
    balanced = referee()
    if found <= headings(balanced) and inside(first, balanced) >= 0.85:
        return balanced  # precision mode drops a text node or two of the original's box
    return first
