"""How much a codec's reading of a page sample looks like text (extract/decode.py's choose_codec).

Frequent Han characters (config/common_han.txt) and the codec's own script count for a reading;
replacement, control and private-use characters count against it. The patterns below define the
score; it is summed in numpy over the sample's code points, because `findall` made a string per
matching character and was most of a 2-byte page's decoding time (the single-byte pattern, whose
lookarounds keep re from skipping ahead, cost more than the rest together). The same counts as
the patterns' own (tests/test_decode.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from extract.paths import config_file

_CJK_SCRIPTS = {"shift_jis": "[\u3040-\u30ff]", "cp932": "[\u3040-\u30ff]", "euc_jp": "[\u3040-\u30ff]",
                "iso2022_jp": "[\u3040-\u30ff]", "euc_kr": "[\uac00-\ud7a3]", "cp949": "[\uac00-\ud7a3]"}
_MULTIBYTE = {"gb18030", "big5hkscs", "utf-8", "hz", "iso2022_kr", "johab", "euc_jis_2004", "shift_jisx0213"}
# single-byte codecs: letters of another script, or accented Latin beside an ASCII letter (not a run of mojibake)
SINGLE_BYTE_LETTERS = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0e00-\u0e7f]"
                                 r"|(?<=[A-Za-z])[\u00c0-\u024f]|[\u00c0-\u024f](?=[A-Za-z])")
BAD = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")
_FALLBACK_COMMON = "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作"
_BMP = 0x10000  # the tables' size; a code point beyond the BMP is looked up at _BMP, which is in no class


@lru_cache(maxsize=1)
def common_han() -> re.Pattern[str]:
    """config/common_han.txt (the deployed config folder, else the shipped one, else a short built-in list)."""
    path = config_file("common_han.txt")
    if path.is_file():
        lines = path.read_text(encoding="utf-8").splitlines()
        chars = "".join(line.strip() for line in lines if not line.startswith("#"))
    else:
        chars = _FALLBACK_COMMON
    return re.compile("[" + "".join(sorted(set(chars))) + "]")


def _matching(pattern: re.Pattern[str]) -> np.ndarray:
    """The BMP code points a one-character pattern matches, asked of the pattern itself."""
    every = "".join(map(chr, range(_BMP)))
    return np.fromiter((m.start() for m in pattern.finditer(every)), dtype=np.int64)


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(weight, other script, accented Latin) per BMP code point: the weight +2 for a frequent Han
    character, -4 for a bad one. None when the Han list reaches beyond the BMP (then re counts)."""
    if any(ord(c) >= _BMP for c in common_han().pattern):
        return None
    weights = np.zeros(_BMP + 1, dtype=np.int8)
    weights[_matching(common_han())] += 2
    weights[_matching(BAD)] -= 4
    other, accented = np.zeros(_BMP + 1, dtype=bool), np.zeros(_BMP + 1, dtype=bool)
    for low, high in ((0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x6FF), (0xE00, 0xE7F)):
        other[low:high + 1] = True
    accented[0xC0:0x250] = True
    return weights, other, accented


def _ascii_letters(codes: np.ndarray) -> np.ndarray:
    return ((codes >= 0x41) & (codes <= 0x5A)) | ((codes >= 0x61) & (codes <= 0x7A))


def _single_byte_letters(codes: np.ndarray, other: np.ndarray, accented: np.ndarray) -> int:
    """len(SINGLE_BYTE_LETTERS.findall(text)): each of its branches is one character, so it counts the
    characters of another script and the accented ones with an ASCII letter before or after them."""
    bmp = np.minimum(codes, _BMP)
    latin = _ascii_letters(codes)
    beside = np.zeros(codes.size, dtype=bool)
    beside[1:] |= latin[:-1]
    beside[:-1] |= latin[1:]
    return int(np.count_nonzero(other[bmp] | (accented[bmp] & beside)))


def score(text: str, codec: str) -> int:
    """How much a reading looks like text: frequent Han and the codec's script count (x2 for
    2-byte characters), replacement, control and private-use characters count against."""
    tables = _tables()
    single_byte = codec not in _MULTIBYTE and codec not in _CJK_SCRIPTS
    if tables is None:
        found = 2 * len(common_han().findall(text)) - 4 * len(BAD.findall(text))
        found += len(SINGLE_BYTE_LETTERS.findall(text)) if single_byte else 0
    else:
        weights, other, accented = tables
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        found = int(weights[np.minimum(codes, _BMP)].sum(dtype=np.int64))
        found += _single_byte_letters(codes, other, accented) if single_byte else 0
    if codec in _CJK_SCRIPTS:
        found += 2 * len(re.findall(_CJK_SCRIPTS[codec], text))
    return found
