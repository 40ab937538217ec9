"""Script, ruby and whitespace normalisation shared by cleaning, dedup and search.

* to_simplified: OpenCC t2s (mainland simplified, no Taiwan phrase rewriting), skipped when
  the text holds no traditional-only character — most articles are already simplified. The
  conversion runs in OpenCC's C++ library (the `opencc` binding) loaded with the dictionaries of
  opencc-python-reimplemented, which give the same output (every corpus page's text, identical)
  some 400x faster; without the binding the pure-Python package converts. The binding's own newer
  dictionaries are not used: they convert a few characters otherwise (甯, 昇, 舖), which would
  change the content hashes of texts already in an archive.
* strip_pinyin: some county sites render <ruby> annotations which flatten to 科協(xié).
* tidy: trafilatura keeps U+3000 / nbsp indents and blank-line runs; we store one paragraph
  per line.
* hash_form: a canonical form for content hashes only, never stored.
"""

from __future__ import annotations

import importlib
import json
import re
import tempfile
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import opencc

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_VOWEL = f"[aeiouüv{_TONED}]"
_SYLLABLE = rf"(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?{_VOWEL}{{1,4}}(?:ng|n|r)?"
_RUBY = re.compile(rf"[(（](?P<py>{_SYLLABLE}(?: {_SYLLABLE}){{0,3}})[)）]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PHRASE_MAX = 8  # longer than any TSPhrases entry with a phrase-only character
_DENSE_RUBY = 3  # this many Han+toned rubies means the page is a flattened ruby page

_EDGE_SPACE = " \t\r\n\v\f\u3000\u00a0\u2002\u2003\u2009\u202f"
_INNER_SPACE = re.compile(r"[ \t\u3000\u00a0\u2002-\u200a\u202f\u205f]{2,}|[\t\u3000\u00a0\u2002-\u200a]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\ufeff]")
_NOT_WORD = re.compile(r"[\W_]+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


_DICTIONARIES = Path(opencc.__file__).parent / "dictionary"  # opencc-python-reimplemented's, whichever __init__ won


def _binding_t2s() -> Callable[[str], str] | None:
    """t2s in OpenCC's C++ library with the reimplemented package's text dictionaries, or None
    when the binding is not installed. Both packages install into `opencc/`, so the binding's
    extension module is imported by its own path, whichever package's __init__ is there."""
    try:
        clib = importlib.import_module("opencc.clib.opencc_clib")
    except ImportError:
        return None
    group = [{"type": "text", "file": str(_DICTIONARIES / name)} for name in ("TSPhrases.txt", "TSCharacters.txt")]
    config = {"name": "t2s, opencc-python-reimplemented's dictionaries",
              "segmentation": {"type": "mmseg", "dict": group[0]},
              "conversion_chain": [{"dict": {"type": "group", "match_policy": "short_circuit", "dicts": group}}]}
    with tempfile.TemporaryDirectory(prefix="kexie-opencc-") as folder:  # read once, when the converter is built
        path = Path(folder) / "t2s.json"
        path.write_text(json.dumps(config), encoding="utf-8")
        converter = clib._OpenCC(str(path), True, None)

    def convert(text: str) -> str:
        data = text.encode("utf-8")
        return str(converter.convert(data, len(data)))
    return convert


@lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    """OpenCC t2s: the C++ binding when installed, else the pure-Python package (same output)."""
    if (fast := _binding_t2s()) is not None:
        return fast
    from opencc.opencc import OpenCC  # the reimplemented package's module, also beside the binding's files

    return OpenCC("t2s").convert  # type: ignore[no-any-return]


def _char_class(chars: set[str]) -> re.Pattern[str]:
    # only BMP characters: sre tests those with a bitmap, one astral char makes it a linear scan
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars) if ord(c) <= 0xFFFF) + "]")


@lru_cache(maxsize=1)
def _traditional() -> tuple[re.Pattern[str], frozenset[str], re.Pattern[str], re.Pattern[str]]:
    """What t2s would change: characters it always maps, and phrases (反覆 -> 反复) whose
    characters are also valid simplified (覆盖), checked only when such a character occurs."""
    folder = _DICTIONARIES

    def entries(name: str) -> list[tuple[str, str]]:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        return [(a, b.split(" ")[0]) for a, _, b in (ln.partition("\t") for ln in lines) if a]

    chars = {a for a, b in entries("TSCharacters.txt") if a != b}
    phrases = [(a, b) for a, b in entries("TSPhrases.txt") if a != b and chars.isdisjoint(a)]
    changed = {x for a, b in phrases for x, y in zip(a, b if len(a) == len(b) else "", strict=False) if x != y}
    changed |= {x for a, b in phrases if len(a) != len(b) for x in a}
    astral = frozenset(c for c in chars if ord(c) > 0xFFFF)
    phrase_re = re.compile("|".join(re.escape(a) for a, _ in phrases) or "(?!)")
    return _char_class(chars), astral, _char_class(changed), phrase_re


def has_traditional(text: str) -> bool:
    """Cheap check (C-level regex scans) for anything OpenCC t2s would convert."""
    chars, astral, phrase_chars, phrase_re = _traditional()
    if chars.search(text) or (_ASTRAL.search(text) and not astral.isdisjoint(text)):
        return True
    # a phrase is only worth a search around the character it would change (覆 in 反覆)
    return any(
        phrase_re.search(text, max(0, m.start() - _PHRASE_MAX), m.end() + _PHRASE_MAX)
        for m in phrase_chars.finditer(text)
    )


def to_simplified(text: str) -> str:
    """OpenCC t2s, skipped when there is nothing traditional to convert."""
    if not text or not has_traditional(text):
        return text
    # OpenCC splits on whitespace itself, so converting only the lines that need it gives the
    # same result far faster on a simplified page with one stray traditional character.
    convert = _converter()
    return "".join(str(convert(line)) if has_traditional(line) else line for line in text.splitlines(keepends=True))


_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
_KANA_SHARE = 0.05  # hiragana/katakana per Han character above which a text is Japanese


def is_japanese(text: str) -> bool:
    """Kana among the Han characters: Japanese, whose kanji t2s must not touch (公衆 ≠ 公众)."""
    kana = len(_KANA.findall(text))
    return kana >= 3 and kana >= _KANA_SHARE * max(len(_HAN.findall(text)), 1)


def strip_pinyin(text: str) -> str:
    """Drop flattened ruby: 科協(xié) -> 科協.

    A bracket is ruby only if it holds 1-4 valid pinyin syllables.  Normally the bracket must
    follow a Han character and carry a tone mark, so (Copyright), (2021-2035年), (李洲) and
    a gloss after a space stay.  On a page with at least three such rubies (a ruby page) we
    also drop toneless syllables after Han (們(men)) and toned ones after a non-Han character
    (mojibake like 茀f(xié)), because there every such bracket is ruby.
    """
    if "(" not in text and "（" not in text:
        return text
    rubies = []  # (start, end, after Han, toned)
    for m in _RUBY.finditer(text):
        pre = text[m.start() - 1] if m.start() else ""
        rubies.append((m.start(), m.end(), pre, any(c in _TONED for c in m["py"])))
    dense = sum(1 for _, _, pre, toned in rubies if toned and _HAN.match(pre)) >= _DENSE_RUBY
    out, pos = [], 0
    for start, end, pre, toned in rubies:
        han = bool(_HAN.match(pre))
        if (han and toned) or (dense and (han or (toned and not pre.isspace()))):
            out.append(text[pos:start])
            pos = end
    return "".join(out) + text[pos:]


def tidy(text: str) -> str:
    """One paragraph per line: no indents, single inner spaces, no trailing or blank lines."""
    text = _INNER_SPACE.sub(" ", _ZERO_WIDTH.sub("", text))
    return "\n".join(s for line in text.splitlines() if (s := line.strip(_EDGE_SPACE)))


_SHORT = 100  # characters: a site's name, a title's segment, a line of the head; remembered


def _hash_form(text: str) -> str:
    text = to_simplified(unicodedata.normalize("NFKC", text))
    return _NOT_WORD.sub("", text).lower()


_short_hash_form = lru_cache(maxsize=4096)(_hash_form)


def hash_form(text: str) -> str:
    """NFKC, simplified, no whitespace or punctuation, lowercase — for hashing only.

    Short texts are remembered: the title and clean stages ask for the same site names and title
    segments on every page of a site (six in ten calls on the synthetic web)."""
    return _short_hash_form(text) if len(text) <= _SHORT else _hash_form(text)
