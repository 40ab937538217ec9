"""Articles on publishing platforms whose markup is known (WeChat public accounts), read directly.

Many associations publish on WeChat first, and its pages defeat both extractors: the body is
served hidden (visibility: hidden, shown by script; trafilatura and readability drop hidden
elements), in <section>/<span> soup, amid profile cards, QR codes and comment chrome; the date
and account name exist only in script variables.  The markup is stable, though, so it is read
as a site's content_xpath would be.  The XPaths and variable names are data: config/platforms.toml.
"""

from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from html import unescape
from typing import Any

import lxml.html
from dateutil import tz
from lxml import etree

from extract.paths import config_file

_SHANGHAI = tz.gettz("Asia/Shanghai") or tz.tzoffset("CST", 8 * 3600)
_JS_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\(.)")
_HIDDEN = re.compile(r"display\s*:\s*none")
_PLAUSIBLE_SECONDS = (631152000, 4102444800)  # 1990 … 2100: anything else is no timestamp


@dataclass(frozen=True)
class Platform:
    """One platform's rules from config/platforms.toml, XPaths compiled."""

    name: str
    marks: tuple[str, ...]
    min_chars: int
    content: tuple[etree.XPath, ...]
    drop: tuple[etree.XPath, ...]
    title: tuple[etree.XPath, ...]
    title_vars: tuple[str, ...]
    author: tuple[etree.XPath, ...]
    author_vars: tuple[str, ...]
    date: tuple[etree.XPath, ...]
    timestamp_vars: tuple[str, ...]


@dataclass
class PlatformArticle:
    """What the platform's markup says: the body (a detached copy, chrome removed) and fields."""

    platform: str
    body: lxml.html.HtmlElement
    title: str
    author: str | None
    dates: list[tuple[str, str]]  # (source, raw) date candidates, like extract/date_markup.py's


def _platform(name: str, spec: dict[str, Any]) -> Platform:
    def paths(key: str) -> tuple[etree.XPath, ...]:
        return tuple(etree.XPath(p) for p in spec.get(key, ()))

    return Platform(
        name=name, marks=tuple(spec.get("marks", ())), min_chars=int(spec.get("min_chars", 20)),
        content=paths("content"), drop=paths("drop"), title=paths("title"),
        title_vars=tuple(spec.get("title_vars", ())), author=paths("author"),
        author_vars=tuple(spec.get("author_vars", ())), date=paths("date"),
        timestamp_vars=tuple(spec.get("timestamp_vars", ())),
    )


@lru_cache(maxsize=1)
def load_platforms() -> tuple[Platform, ...]:
    """config/platforms.toml (the deployed config folder, else the shipped one); cached."""
    if (path := config_file("platforms.toml")).is_file():
        with open(path, "rb") as fh:
            return tuple(_platform(name, spec) for name, spec in tomllib.load(fh).items())
    return ()


def _text(found: Any) -> str:
    """An XPath answer as one clean line: an element's text or an attribute's value."""
    first = found[0] if isinstance(found, list) and found else found
    text = first.text_content() if isinstance(first, etree._Element) else str(first or "")
    return " ".join(text.split())


def _first(tree: etree._Element, paths: tuple[etree.XPath, ...]) -> str:
    return next((t for p in paths if (t := _text(p(tree)))), "")


def script_var(scripts: str, name: str) -> str:
    """The first non-empty string a script assigns to `name` (var x = "…", x: '…', htmlDecode("…"))."""
    pattern = rf"(?<![\w.$]){re.escape(name)}\s*[:=]\s*(?:htmlDecode\(\s*)?([\"'])(.*?)(?<!\\)\1"
    for m in re.finditer(pattern, scripts):
        value = _JS_ESCAPE.sub(lambda e: chr(int(e[1] or e[2], 16)) if (e[1] or e[2]) else e[3], m[2])
        if value := " ".join(unescape(value).split()):
            return value
    return ""


def _first_var(scripts: str, names: tuple[str, ...]) -> str:
    return next((v for n in names if (v := script_var(scripts, n))), "")


def _timestamp_dates(scripts: str, names: tuple[str, ...], platform: str) -> list[tuple[str, str]]:
    """Unix-seconds variables as ISO 8601 in Asia/Shanghai, e.g. ("wechat:ct", "2023-12-05T16:00:00+08:00")."""
    found = []
    for name in names:
        value = script_var(scripts, name)
        if value.isdigit() and _PLAUSIBLE_SECONDS[0] <= int(value) < _PLAUSIBLE_SECONDS[1]:
            found.append((f"{platform}:{name}", datetime.fromtimestamp(int(value), _SHANGHAI).isoformat()))
    return found


def _body(platform: Platform, tree: etree._Element) -> lxml.html.HtmlElement | None:
    """A copy of the first content element with enough text, its chrome and hidden parts removed."""
    for path in platform.content:
        for hit in path(tree):
            if len("".join(hit.text_content().split())) < platform.min_chars:
                continue
            body = copy.deepcopy(hit)
            body.tail = None
            doomed = [el for p in platform.drop for el in p(body)]
            doomed += [el for el in body.iterdescendants() if _HIDDEN.search(el.get("style") or "")]
            for el in doomed:
                if el.getparent() is not None:
                    el.drop_tree()
            if len("".join(body.text_content().split())) >= platform.min_chars:
                return body
    return None


def platform_article(tree: lxml.html.HtmlElement, html: str | None = None) -> PlatformArticle | None:
    """The page read with the first platform whose content XPath finds a body, else None.

    `html`, the page's source, lets a page holding none of a platform's marks skip its XPaths."""
    for platform in load_platforms():
        if html is not None and platform.marks and not any(mark in html for mark in platform.marks):
            continue
        body = _body(platform, tree)
        if body is None:
            continue
        scripts = "\n".join(s.text or "" for s in tree.iter("script"))
        title = _first(tree, platform.title) or _first_var(scripts, platform.title_vars)
        author = _first(tree, platform.author) or _first_var(scripts, platform.author_vars) or None
        dates = _timestamp_dates(scripts, platform.timestamp_vars, platform.name)
        if shown := _first(tree, platform.date):
            dates.append((f"{platform.name}:shown", shown))
        return PlatformArticle(platform.name, body, title, author, dates)
    return None
