"""Near-duplicate sketches: datasketch MinHash over character shingles, and their LSH band keys
(kept in the archive by dedupe/near.py).

Why these choices:

* Shingles are K=5 consecutive characters of `hash_form` (NFKC, simplified, no punctuation or
  spaces), so script, spacing and punctuation cost nothing; five characters are longer than
  most Chinese words, so texts sharing vocabulary don't look alike, only shared phrasing does.
* Signatures: datasketch MinHash, scheme affine32, 128 permutations, seed 1 — the same on every
  run and machine; 512 bytes per article in `near_signatures`. Worked out here in numpy over all
  shingles at once (signature_of), the values datasketch's update_batch gives (tests/test_sketch.py),
  with its permutations drawn here as it draws them: importing datasketch imports scipy, half a
  second at the start of every crawl, so no crawl imports it (only the tests, to compare).
* LSH: 32 bands of 4 rows (datasketch's optimum for threshold 0.5 when a missed copy weighs 9×
  a wasted candidate). A pair becomes a candidate with p = 0.87 at J = 0.5, 0.99 at 0.6, 0.9995
  at 0.7, 0.003 at 0.1. The band keys are rows of `near_bands` (indexed), so a lookup costs 32
  index seeks whatever the archive's size.
* Verification: a size ratio below THRESHOLD rules a pair out (J <= smaller / larger), so does a
  signature estimate below THRESHOLD - 0.15 (3.4 standard errors); only the survivors' texts are
  read, and the exact Jaccard of the two shingle sets decides and is what near_duplicates records.
  THRESHOLD = 0.5: syndicated copies with other chrome, bylines or a cut last paragraph score
  0.6-0.95; the five real annual reports in ../shared/seeds, full of the same stock phrases, score
  0.002-0.016 against each other, and test reports made more than half of stock phrases 0.18.
* Texts under MIN_SHINGLES shingles (about 50 characters) are left to the exact hash: a few
  words in common say nothing about two short notices.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from extract.normalise import hash_form

K = 5
NUM_PERM = 128
SEED = 1
BANDS, ROWS = 32, 4
THRESHOLD = 0.5
PRUNE_MARGIN = 0.15  # ~3.4 standard errors of a 128-permutation estimate at J = 0.5
MIN_SHINGLES = 50
MAX_CANDIDATES = 64  # per lookup; most shared bands first

_MULT = np.uint64(0x100000001B3)  # FNV-1 64-bit prime: rolling hash of the K code points
_MIX1, _MIX2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_LOW32 = np.uint64(0xFFFFFFFF)


def _mix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: spreads the polynomial hash over all bits."""
    h = (h ^ (h >> _S33)) * _MIX1
    h = (h ^ (h >> _S33)) * _MIX2
    return h ^ (h >> _S33)


def shingles(form: str) -> np.ndarray:
    """Sorted distinct 64-bit hashes of the K-character shingles of a hash_form text (numpy, no loop per char)."""
    codes = np.frombuffer(form.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    n = codes.size - K + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for i in range(K):
        h = h * _MULT + codes[i:i + n]  # wraps modulo 2**64, as intended
    return np.unique(_mix64(h))


@lru_cache(maxsize=1)
def permutations() -> np.ndarray:
    """(a, b) of each affine32 permutation, as datasketch 2's MinHash(num_perm, seed) draws them: from
    numpy's RandomState(seed), `a` odd (2 * randint(0, 2**31) + 1), then `b` (randint(0, 2**32))."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return np.array([a, b])


@dataclass(frozen=True)
class Sketch:
    """A text's shingle set (for the exact check) and MinHash signature (for the index)."""

    shingles: np.ndarray
    signature: np.ndarray  # uint32[NUM_PERM]
    keys: tuple[int, ...] = ()  # band_keys(signature), worked out once with the signature

    def blob(self) -> bytes:
        return self.signature.astype("<u4").tobytes()

    def band_keys(self) -> list[int]:
        return list(self.keys) if self.keys else band_keys(self.signature)


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (band number included), as SQLite stores integers."""
    rows = signature.astype("<u4")
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(bytes([band]) + rows[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8)
        keys.append(int.from_bytes(digest.digest(), "little", signed=True))
    return keys


_F16, _F13 = np.uint32(16), np.uint32(13)
_FM1, _FM2 = np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)
_ROWS_AT_ONCE = 4096  # shingles per block: 4096 x 128 uint32 = 2 MiB at a time, however long the text


def signature_of(hashes: np.ndarray) -> np.ndarray:
    """datasketch's affine32 MinHash of the low 32 bits of each hash, worked out in numpy over all
    shingles at once: MurmurHash3's 32-bit finalizer, then a * h + b (mod 2**32) per permutation,
    the minimum per permutation. The same values as `MinHash.update_batch` (tests/test_sketch.py)
    without its Python loop and list over every shingle."""
    a, b = permutations()
    h = (hashes & _LOW32).astype(np.uint32)
    h = (h ^ (h >> _F16)) * _FM1
    h = (h ^ (h >> _F13)) * _FM2
    h = h ^ (h >> _F16)
    signature = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    for start in range(0, h.size, _ROWS_AT_ONCE):
        block = h[start:start + _ROWS_AT_ONCE, None] * a + b  # wraps modulo 2**32, as datasketch's does
        np.minimum(signature, block.min(axis=0), out=signature)
    return signature


def sketch_form(form: str) -> Sketch | None:
    """The sketch of a hash_form text, or None when it is too short to judge."""
    hashes = shingles(form)
    if hashes.size < MIN_SHINGLES:
        return None
    signature = signature_of(hashes)
    return Sketch(hashes, signature, tuple(band_keys(signature)))


_MEMO: OrderedDict[str, Sketch | None] = OrderedDict()


def sketch(text: str, content_hash: str = "") -> Sketch | None:
    """Sketch of a stored-form text; dedupe and store both ask, so the last few are remembered by hash."""
    if content_hash and content_hash in _MEMO:
        _MEMO.move_to_end(content_hash)
        return _MEMO[content_hash]
    found = sketch_form(hash_form(text))
    if content_hash:
        _MEMO[content_hash] = found
        if len(_MEMO) > 256:
            _MEMO.popitem(last=False)
    return found


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard of two sorted distinct shingle-hash arrays."""
    inter = np.intersect1d(a, b, assume_unique=True).size
    union = a.size + b.size - inter
    return inter / union if union else 0.0


