"""Pure scoring functions for the extraction-quality benchmark.

The rules follow the issue word for word, so figures stay comparable between runs and
with the issue's reference numbers: NFKC + OpenCC t2s, CJK bigrams plus lowercased
latin/digit words, bag-of-tokens P/R/F1 with multiset intersection.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from opencc.opencc import OpenCC  # opencc-python-reimplemented, also when the C++ binding shares its folder

# Han (incl. extension A, compatibility, extensions B+), kana and hangul: scripts written
# without spaces between words, so they are scored by character bigrams.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f"
# A CJK run may span whitespace: truths are hard-wrapped mid-sentence and extractors
# put line breaks elsewhere, so a line break must not cost a bigram.
_CJK_RUN = re.compile(rf"[{_CJK}](?:\s*[{_CJK}])*")
_SPACE = re.compile(r"\s+")
# Words: Latin-script letters (ASCII, Latin-1, Extended-A/B and Additional, minus × ÷) and digits,
# and words of the Hebrew, Arabic (Urdu, Persian) and Indic (Hindi, Bengali, Tamil…) scripts with
# their vowel signs.  Cyrillic and Greek are not tokens: mis-decoded GB pages come out as such mojibake.
_WORD = re.compile(r"[0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+"
                   r"|[\u05d0-\u05ea\u0620-\u0669\u066e-\u06d3\u06d5-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc"
                   r"\u0900-\u0963\u0966-\u0dff]+")  # Arabic and Indic punctuation (، ؟ ۔ । ॥) excluded

_ICP = re.compile(r"ICP\s*[备证]?\s*[:：]?\s*(\d{5,})", re.IGNORECASE)
LEAK_KEYWORDS: tuple[str, ...] = ("公网安备", "版权所有", "责任编辑", "技术支持", "主办单位")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of one page."""

    precision: float
    recall: float
    f1: float


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    """Build the converter once: loading the dictionaries is the slow part."""
    return OpenCC("t2s")


@lru_cache(maxsize=32)
def normalise(text: str) -> str:
    """NFKC (full-width forms → ASCII) then traditional → simplified.

    Cached: OpenCC is the slow part of scoring and each truth is scored per extractor.
    """
    return str(_t2s().convert(unicodedata.normalize("NFKC", text)))


def tokens(text: str) -> Counter[str]:
    """Bag of CJK character bigrams and lowercased latin/digit words of normalised text.

    Bigrams are taken inside runs of CJK characters (whitespace ignored, punctuation
    breaks the run); a lone CJK character makes no bigram, as in the issue's rule.
    """
    text = normalise(text)
    bag: Counter[str] = Counter()
    for match in _CJK_RUN.finditer(text):
        run = _SPACE.sub("", match.group())
        bag.update(run[i : i + 2] for i in range(len(run) - 1))
    bag.update(_WORD.findall(text.lower()))
    return bag


def prf(pred: Counter[str], truth: Counter[str]) -> PRF:
    """Bag-of-tokens P/R/F1; an empty side scores 0 unless both are empty (then 1)."""
    if not pred and not truth:
        return PRF(1.0, 1.0, 1.0)
    common = sum((pred & truth).values())
    precision = common / sum(pred.values()) if pred else 0.0
    recall = common / sum(truth.values()) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1)


def score_text(pred: str, truth: str) -> PRF:
    """P/R/F1 of an extracted text against a full-text truth."""
    return prf(tokens(pred), tokens(truth))


def _squash(text: str) -> str:
    """Normalised text without any whitespace, for substring tests across line breaks."""
    return _SPACE.sub("", normalise(text))


def snippet_scores(pred: str, must: Iterable[str], must_not: Iterable[str]) -> tuple[float | None, float | None]:
    """(share of must-contain snippets present, share of must-not snippets absent).

    None where the list is empty, so that the page does not count in that average.
    """
    text = _squash(pred)
    musts = [_squash(s) for s in must if s.strip()]
    nots = [_squash(s) for s in must_not if s.strip()]
    present = sum(s in text for s in musts) / len(musts) if musts else None
    absent = sum(s not in text for s in nots) / len(nots) if nots else None
    return present, absent


def _markers(line: str) -> list[str]:
    """Boilerplate markers on one normalised line: ICP numbers and footer keywords."""
    found = [f"ICP{m.group(1)}" for m in _ICP.finditer(line)]
    found += [k for k in LEAK_KEYWORDS if k in line]
    return found


def find_leaks(pred: str, truth: str) -> list[str]:
    """Normalised lines of `pred` with a footer marker the truth does not hold (as often).

    A marker is an ICP number (compared by number) or one of LEAK_KEYWORDS. Truths that
    keep e.g. a 【责任编辑：…】 line allow as many such lines in the prediction.
    """
    truth_text = _SPACE.sub("", normalise(truth))
    seen: Counter[str] = Counter()
    leaks: list[str] = []
    for raw in normalise(pred).splitlines():
        line = _SPACE.sub("", raw)
        leaked = False
        for marker in _markers(line):
            seen[marker] += 1
            key = marker[3:] if marker.startswith("ICP") else marker
            leaked = leaked or seen[marker] > truth_text.count(key)
        if leaked:
            leaks.append(raw.strip())
    return leaks


def true_date(raw: str | None) -> str | None:
    """YYYY-MM-DD from a truth date, or None when it is unknown or only a year/month."""
    if not raw:
        return None
    match = _DATE.search(raw)
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def date_right(pred: str | None, truth: str) -> bool:
    """The first ten characters of the predicted date equal the truth's YYYY-MM-DD."""
    return bool(pred) and str(pred)[:10] == truth


def _ws(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def title_match(pred: str | None, truth: str) -> tuple[bool, bool]:
    """(exact after normalisation, relaxed: one contains the other).

    Both sides are normalised like the texts (NFKC, simplified, whitespace runs as one space):
    the archive stores titles in simplified script, so 營地 and 营地 are the same title.
    """
    got, want = _ws(normalise(pred or "")), _ws(normalise(truth))
    if not got or not want:
        return False, False
    return got == want, got in want or want in got


def is_chinese(language: str) -> bool:
    """zh, zh-Hant and any zh-* tag."""
    lang = language.strip().lower()
    return lang == "zh" or lang.startswith("zh-") or lang.startswith("zh_")
