"""A page that repeats its own lines: readability keeps every repetition, trafilatura keeps one.

trafilatura drops a paragraph it has already emitted, so a photo story that prints the same lead
paragraph under every photo, or a caption that stands twice, comes out of it with each line once;
readability keeps the page as it stands.  When readability's text lies inside trafilatura's
(extract/opinions.py) the choice would otherwise go by size alone, and the repetitions read as a
trim.  The page proves the case itself: every line of readability's text is found in trafilatura's
(as a line, or as the start of a longer one, such as a caption without its credit), so readability
adds nothing trafilatura judged boilerplate; it only says it as often as the page does.  Then its
text is the page's.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")
REPEATED_MIN = 2  # lines of readability's text that stand more than once before this counts


def _lines(text: str) -> list[str]:
    return [squashed for line in text.splitlines() if (squashed := _SPACE.sub(" ", line).strip())]


def only_repeats(first: str, second: str) -> bool:
    """readability's text (`second`) holds nothing trafilatura's (`first`) lacks, and repeats lines."""
    theirs, ours = _lines(first), _lines(second)
    if len(ours) - len(set(ours)) < REPEATED_MIN:
        return False
    known = "\n" + "\n".join(theirs) + "\n"
    return all(f"\n{line}" in known for line in set(ours))
