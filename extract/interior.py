"""What trafilatura kept between readability's paragraphs belongs to the article.

When readability's text lies inside trafilatura's, trafilatura kept blocks that readability judged
boilerplate, and readability's text is chosen (extract/opinions.py).  Those blocks are boilerplate
when they stand before the article's first paragraph or after its last one (navigation, a related
list, a footer); standing between two of its paragraphs, they are the article's own: the
subheadings, image captions and short lines readability's scoring drops from inside a story.

So trafilatura's text is cut to the span that readability's text covers (from the first to the last
of its lines found in readability's), and taken when that span holds clearly more than readability's
text (by EXTRA of its tokens).  Anchors are lines of ANCHOR_MIN characters or more found in
readability's text: a heading readability kept without its section ("References") anchors nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

ANCHOR_MIN = 20  # non-space characters for a line to be looked for inside readability's text
EXTRA = 0.02  # share of readability's tokens the span must add (a caption, a subheading or more)
_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def interior_text(first: str, second: str, bag: Callable[[str], Counter[str]]) -> str | None:
    """trafilatura's text (first) cut to the span readability's (second) covers, when that span holds
    clearly more than readability's text; None otherwise."""
    lines = first.split("\n")
    whole = _squash(second)
    found = [i for i, line in enumerate(lines) if len(sq := _squash(line)) >= ANCHOR_MIN and sq in whole]
    if len(found) < 2:
        return None
    span = "\n".join(lines[found[0]:found[-1] + 1])
    ours, theirs = bag(span), bag(second)
    size = sum(theirs.values())
    if sum((ours - theirs).values()) < max(1, EXTRA * size) or sum((theirs - ours).values()) > EXTRA * size:
        return None  # nothing more inside, or readability holds what the span lacks (its own order)
    return span
