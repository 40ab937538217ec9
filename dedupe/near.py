"""The near-duplicate index in the archive: which stored articles a text's sketch resembles, and a
new article's entry. The sketches themselves, and why MinHash, K=5 shingles and 32 bands of 4
rows: extract/sketch.py.

A lookup costs 32 indexed band seeks whatever the archive's size; a size ratio or a signature
estimate below THRESHOLD rules a candidate out before its text is read, and the exact Jaccard of
the two shingle sets decides.
"""

from __future__ import annotations

import numpy as np

from archive.db import Archive
from extract.normalise import hash_form

# the sketch side (extract/sketch.py) under this one name too: `near.sketch(…)`, `near.THRESHOLD`
from extract.sketch import (  # noqa: F401
    BANDS,
    MAX_CANDIDATES,
    MIN_SHINGLES,
    NUM_PERM,
    PRUNE_MARGIN,
    ROWS,
    THRESHOLD,
    Sketch,
    band_keys,
    jaccard,
    shingles,
    signature_of,
    sketch,
    sketch_form,
)


def similarity(archive: Archive, mine: Sketch, article_id: int) -> float:
    """Exact Jaccard between a sketch and a stored article's current text."""
    text = archive.near.texts([article_id]).get(article_id, "")
    other = shingles(hash_form(text))
    return jaccard(mine.shingles, other)


def matches(archive: Archive, mine: Sketch, exclude: int | None = None) -> list[tuple[int, float]]:
    """Stored articles whose text is mostly this one's: (article_id, exact Jaccard), best first."""
    size = mine.shingles.size
    close = []
    for article_id, other_size, blob in archive.near.candidates(mine.band_keys(), MAX_CANDIDATES):
        if article_id == exclude or min(size, other_size) < THRESHOLD * max(size, other_size):
            continue
        estimate = np.count_nonzero(np.frombuffer(blob, dtype="<u4") == mine.signature) / NUM_PERM  # np.mean: 5× slower
        if estimate >= THRESHOLD - PRUNE_MARGIN:
            close.append(article_id)
    texts = archive.near.texts(close)
    found = [(i, jaccard(mine.shingles, shingles(hash_form(texts[i])))) for i in close if i in texts]
    return sorted(((i, j) for i, j in found if j >= THRESHOLD), key=lambda m: (-m[1], m[0]))


def index(archive: Archive, article_id: int, mine: Sketch | None) -> None:
    """(Re)index an article's current text. A too-short text gets an empty signature and no band
    keys: it is never a candidate, and the backfill knows it has been seen."""
    old = archive.near.signature(article_id)
    if old is not None and old[1]:
        archive.near.remove(article_id, band_keys(np.frombuffer(old[1], dtype="<u4")))
    if mine is None:
        archive.near.add(article_id, 0, b"", [])
    else:
        archive.near.add(article_id, int(mine.shingles.size), mine.blob(), mine.band_keys())
