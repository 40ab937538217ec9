"""Simplified <-> traditional conversion for the traditional-script site (cdkx).

OpenCC is imported lazily: only cdkx and the expected.json phrases of cdkx need it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .common import esc
from .texts_cdkx import CD_PINYIN

# the converter's flattened ruby, e.g. 科協(xié): the archive must strip it
PINYIN_RE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@cache
def _opencc(config: str) -> Any:
    from opencc.opencc import OpenCC  # opencc-python-reimplemented, also when the C++ binding shares its folder

    return OpenCC(config)


def s2t(s: str) -> str:
    """Simplified -> traditional (OpenCC "s2t")."""
    return str(_opencc("s2t").convert(s))


def t2s(s: str) -> str:
    """Traditional -> simplified (OpenCC "t2s"): what the archive stores."""
    return str(_opencc("t2s").convert(s))


def with_pinyin(s: str) -> str:
    """Flatten pinyin after the ruby table's characters: 科協 -> 科協(xié)."""
    return "".join(c + f"({CD_PINYIN[c]})" if c in CD_PINYIN else c for c in s)


def trad_html(s: str) -> str:
    """Simplified -> traditional with flattened pinyin, HTML-escaped: cdkx's page text."""
    return esc(with_pinyin(s2t(s)))
