"""MinHash signatures in numpy (extract/sketch.py) against datasketch's own, which archives already hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from extract import sketch
from extract.extractor import parse_html
from extract.normalise import hash_form
from extract.visible import visible_text

SITES = Path(__file__).resolve().parent.parent / "tools" / "sampleweb" / "sites"


def _forms() -> list[str]:
    """hash_form of every sample-web page's visible text, and one text far longer than a block."""
    forms = []
    for page in sorted(SITES.rglob("*.htm*")):
        tree = parse_html(page.read_bytes().decode("utf-8", errors="replace"))
        if tree is not None:
            forms.append(hash_form(visible_text(tree)))
    return [f for f in forms if len(f) > sketch.K] + ["".join(forms)[:60_000]]


def datasketch_signature(hashes: np.ndarray) -> np.ndarray:
    """The signature through datasketch itself, its permutations drawn by datasketch: the reference."""
    m = MinHash(num_perm=sketch.NUM_PERM, seed=sketch.SEED, hashfunc=int, scheme="affine32")
    m.update_batch((hashes & np.uint64(0xFFFFFFFF)).tolist())  # fmix inside datasketch spreads the low 32 bits again
    return np.asarray(m.hashvalues, dtype=np.uint32)


def test_permutations_are_datasketchs() -> None:
    """extract/sketch.py draws datasketch's affine32 permutations itself (no datasketch import in a crawl)."""
    mine, theirs = sketch.permutations(), MinHash(num_perm=sketch.NUM_PERM, seed=sketch.SEED).permutations
    assert mine.dtype == theirs.dtype == np.uint32 and mine.shape == theirs.shape == (2, sketch.NUM_PERM)
    assert np.array_equal(mine, theirs)


def test_numpy_signature_is_datasketchs_affine32_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    forms = _forms()
    assert len(forms) > 20 and max(map(len, forms)) > 4 * 4096
    expected = [datasketch_signature(sketch.shingles(f)) for f in forms]

    def no_datasketch(self: MinHash, values: object) -> None:
        raise AssertionError("signature_of must not go through datasketch's per-shingle Python loop")

    monkeypatch.setattr(MinHash, "update_batch", no_datasketch)
    got = [sketch.signature_of(sketch.shingles(f)) for f in forms]
    assert all(g.dtype == np.uint32 and np.array_equal(g, e) for g, e in zip(got, expected, strict=True))


def test_no_crawl_imports_datasketch_or_scipy() -> None:
    """datasketch imports scipy (half a second at every crawl's start): the crawl, its workers and
    dedupe must work out sketches without either."""
    import subprocess
    import sys

    code = ("import sys, cli.main, cli.crawl, crawler.mode, pipelines.pool, extract.process, dedupe.write, dedupe.near;"
            "from extract.sketch import sketch; sketch('科协' * 200);"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('datasketch', 'scipy')))")
    root = Path(__file__).resolve().parent.parent
    found = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
