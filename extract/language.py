"""Is a page in Chinese or English, the languages our own heuristics were built on?

The extractors' referee and the extra rules (teaser streams, layout tables, Chinese boilerplate)
were tuned on Chinese pages and checked on English ones.  On a page in another language (Urdu,
Turkish, Hindi, Japanese…) plain trafilatura's answer is the safer one where ours is only a part of
it (extract/opinions.py).  The page says its language in <html lang>; without it, the script of its
text tells Chinese, Japanese (kana), Korean (hangul) and the scripts with no Latin letters apart,
and a page in Latin letters counts as English (nothing cheaper tells it from Turkish).
"""

from __future__ import annotations

import re

import lxml.html

_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_OTHER_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0750-\u077f\u0900-\u0dff\u0e00-\u0e7f]")
OURS = ("zh", "en", "ja", "ko")  # Japanese and Korean are CJK: our bigram checks hold for them


def page_language(tree: lxml.html.HtmlElement, text: str) -> str:
    """The page's primary language subtag: <html lang> when given, else guessed from `text`'s script."""
    declared = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()
    if declared and declared not in ("und", "x-default"):
        return re.split(r"[-_]", declared)[0]
    sample = text[:2000]
    if _KANA.search(sample):
        return "ja"
    if _HANGUL.search(sample):
        return "ko"
    if _HAN.search(sample):
        return "zh"
    if len(_OTHER_SCRIPT.findall(sample)) > len(_LATIN.findall(sample)):
        return "other"
    return "en"

