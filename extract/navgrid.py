"""A text that is nothing but a grid of section names is a site's navigation, never its article.

Old forum and portal pages lay their section links out as a table: rows of a dozen two-to-four
character names (群众呼声 | 警民交流 | 西部生态 …).  On a page with little text of its own (an error
notice, a login prompt, a short post) trafilatura may keep only that grid, since its rows look like a
data table; readability keeps the few sentences.  A grid is recognised from trafilatura's table
rows alone: every line a row of at least MIN_CELLS cells, at least MIN_ROWS rows, every cell at most
CELL_MAX characters with no sentence punctuation.  A data table has a header rule (|---|), longer
cells or figures with punctuation, and some text around it.
"""

from __future__ import annotations

import re

MIN_ROWS = 2
MIN_CELLS = 5
CELL_MAX = 6  # non-space characters of a section name
_PUNCT = re.compile(r"[。，、！？；：,.!?;:%0-9-]")


def is_link_grid(text: str) -> bool:
    """The whole text is rows of short section names (see the module docstring)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < MIN_ROWS:
        return False
    for line in lines:
        if not (line.startswith("|") and line.endswith("|")):
            return False
        cells = ["".join(cell.split()) for cell in line.strip("|").split("|")]
        cells = [cell for cell in cells if cell]
        if len(cells) < MIN_CELLS or any(len(cell) > CELL_MAX or _PUNCT.search(cell) for cell in cells):
            return False
    return True
