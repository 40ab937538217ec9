"""Shared pieces of the sample-web generator: paths, the article record, the output
collector and small helpers every site template uses."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

SAMPLEWEB_DIR = Path(__file__).resolve().parent.parent  # tools/sampleweb
SITES_DIR = SAMPLEWEB_DIR / "sites"
REPO = SAMPLEWEB_DIR.parent.parent
CONFIG_DIR = REPO / "config" / "sample-sites"

T = TypeVar("T")

esc = html.escape
ON, CUR, ACTIVE = ' class="on"', ' class="cur"', ' class="active"'


@dataclass
class Art:
    """One page of a sample site, and what expected.json should say about it."""

    path: str  # URL path on its site
    title: str  # clean headline (what expected.json wants)
    date: str  # 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM[:SS]' (Asia/Shanghai)
    paras: list[str]  # body paragraphs, in page order
    subtitle: str = ""
    author: str = ""  # only when the page clearly names a person
    editor: str = ""
    source: str = ""
    must: list[str] = field(default_factory=list)  # extra must_contain phrases
    must_not: list[str] = field(default_factory=list)  # extra must_not_contain phrases
    kind: str = "article"  # article | reject | duplicate | not_fetched | missing
    reason: str = ""  # for rejects
    orig: tuple[str, str] | None = None  # (site, path) for duplicates
    extra: dict[str, Any] = field(default_factory=dict)  # per-site template data (ids, issue, style...)

    @property
    def day(self) -> str:
        return self.date[:10]

    @property
    def iso(self) -> str:
        """expected.json published_at: day only, or full time with +08:00."""
        if len(self.date) == 10:
            return self.date
        d, t = self.date.split(" ")
        if len(t) == 5:
            t += ":00"
        return f"{d}T{t}+08:00"


_RUN = re.compile(r"[\u4e00-\u9fff0-9%.]+")


def _runs(par: str) -> list[str]:
    return [r.strip(".") for r in _RUN.findall(par)]


def auto_phrases(paras: list[str]) -> list[str]:
    """A punctuation-free phrase from the first and from the last real paragraph."""
    real = [p for p in paras if len(p) >= 30]
    first, last = real[0], real[-1]
    a = next(r for r in _runs(first) if len(r) >= 8)[:14]
    b = [r for r in _runs(last) if len(r) >= 8][-1][:14]
    return [a, b]


class Out:
    """Collects generated files (path relative to sampleweb/ -> bytes)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def put(self, rel: str, data: str | bytes, encoding: str = "utf-8") -> None:
        if isinstance(data, str):
            data = data.encode(encoding)
        assert rel not in self.files, rel
        self.files[rel] = data

    def site(self, key: str, path: str, data: str | bytes, encoding: str = "utf-8") -> None:
        assert path.startswith("/")
        self.put(f"sites/{key}{path}", data, encoding)


def rotate(items: list[T], start: int, n: int) -> list[T]:
    """Up to n items starting at index start, wrapping: varies sidebars page by page."""
    if not items:
        return []
    return [items[(start + i) % len(items)] for i in range(min(n, len(items)))]


def others(arts: list[Art], me: Art) -> list[Art]:
    """All articles but me (sidebars never list the page they are on)."""
    return [a for a in arts if a.path != me.path]


def relpath(from_path: str, to_path: str) -> str:
    """Relative URL from the page at from_path to to_path (both root-absolute)."""
    fdir = [x for x in from_path.rsplit("/", 1)[0].strip("/").split("/") if x]
    tparts = to_path.strip("/").split("/")
    i = 0
    while i < len(fdir) and i < len(tparts) - 1 and fdir[i] == tparts[i]:
        i += 1
    return "/".join([".."] * (len(fdir) - i) + tparts[i:])


def robots(*disallow: str, extra: str = "") -> str:
    """robots.txt for all user agents: the crawler must honour these."""
    lines = ["User-agent: *"] + [f"Disallow: {d}" for d in disallow]
    return "\n".join(lines) + "\n" + extra


def site_toml(charset: str, comment: str) -> str:
    """A site's _site.toml: tells the sample server which charset to announce (maybe wrongly)."""
    return f'# server hints for the sample web server ({comment})\nheader_charset = "{charset}"\n'
