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


def test_numpy_signature_is_datasketchs_affine32_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    forms = _forms()
    assert len(forms) > 20 and max(map(len, forms)) > 4 * 4096
    expected = [sketch.datasketch_signature(sketch.shingles(f)) for f in forms]

    def no_datasketch(self: MinHash, values: object) -> None:
        raise AssertionError("signature_of must not go through datasketch's per-shingle Python loop")

    monkeypatch.setattr(MinHash, "update_batch", no_datasketch)
    got = [sketch.signature_of(sketch.shingles(f)) for f in forms]
    assert all(g.dtype == np.uint32 and np.array_equal(g, e) for g, e in zip(got, expected, strict=True))
