"""MinHash sketches: deterministic (the index on disk depends on it), blind to script, spacing and
punctuation, with LSH parameters that are datasketch's own optimum for the threshold."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from datasketch import MinHashLSH

from dedupe import near
from extract.normalise import hash_form
from tests.dedupe_texts import ORIGINAL, PAPER_COPY, PORTAL_COPY, REPORT_JINGMEN, REPORT_SHIYAN, TRADITIONAL

from .conftest import ROOT


def test_lsh_bands_are_datasketchs_optimum_for_the_threshold() -> None:
    lsh = MinHashLSH(threshold=near.THRESHOLD, num_perm=near.NUM_PERM, weights=(0.1, 0.9))
    assert (lsh.b, lsh.r) == (near.BANDS, near.ROWS)


def test_sketch_is_the_same_in_every_process_and_release() -> None:
    sketch = near.sketch(ORIGINAL)
    assert sketch is not None
    # golden values: if datasketch or the shingling changes them, stored band keys no longer match new
    # ones, so the change needs a migration that re-signs the archive
    assert sketch.shingles.size == 528
    assert sketch.signature[:4].tolist() == [1000110, 8208492, 24854245, 18719390]
    assert sketch.band_keys()[:2] == [7481161782936740775, -8435353016461990471]
    code = ("from tests.dedupe_texts import ORIGINAL; from dedupe import near;"
            " print(near.sketch(ORIGINAL).band_keys())")
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert other.stdout.strip() == str(sketch.band_keys())


def test_script_spacing_and_punctuation_do_not_change_the_shingles() -> None:
    reshaped = TRADITIONAL(ORIGINAL).replace("，", ", ").replace("\n", "\n\u3000\u3000")
    assert np.array_equal(near.shingles(hash_form(reshaped)), near.shingles(hash_form(ORIGINAL)))


def test_estimate_prunes_nothing_that_the_exact_check_would_keep() -> None:
    base = near.sketch(ORIGINAL)
    assert base is not None
    for text in (PORTAL_COPY, PAPER_COPY, REPORT_JINGMEN, REPORT_SHIYAN):
        other = near.sketch(text)
        assert other is not None
        exact = near.jaccard(base.shingles, other.shingles)
        estimate = float(np.mean(base.signature == other.signature))
        assert abs(estimate - exact) < near.PRUNE_MARGIN, (text[:20], exact, estimate)


def test_short_texts_get_no_sketch() -> None:
    assert near.sketch("襄阳市科协召开全市科协工作会议。") is None
    assert near.shingles("").size == 0
