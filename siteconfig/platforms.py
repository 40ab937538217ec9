"""Site-file keys of the list platforms (crawler/platforms/): `platform` and the [json_api] table.

`platform = "hanweb"` turns on Hanweb jpage paging (dataproxy.jsp); `platform = "json_api"` needs a
[json_api] table saying where the list JSON is and where in it the articles are, as JSONPath
(jsonpath-ng syntax), checked here so a typo fails on load, not as an empty crawl.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

PLATFORMS = ("", "hanweb", "json_api")
FIELDS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "platform": (str, f"one of {', '.join(repr(p) for p in PLATFORMS)}"),
    "json_api.url": (str, "a URL or /path with {page} where the page number goes"),
    "json_api.first_page": (int, "a whole number (the first page's number, 0 or 1)"),
    "json_api.items": (str, "a JSONPath to the list's items, e.g. $.articles[*]"),
    "json_api.link": (str, "a JSONPath in an item to its article URL, e.g. url"),
    "json_api.title": (str, "a JSONPath in an item to its title"),
    "json_api.date": (str, "a JSONPath in an item to its date (a date string or Unix time)"),
    "json_api.total": (str, "a JSONPath to the number of items in all pages"),
}
_PATHS = ("json_api.items", "json_api.link", "json_api.title", "json_api.date", "json_api.total")


@dataclass(frozen=True)
class JsonApi:
    """Where a JSON list API is and how its answer is read."""

    url: str
    items: str
    link: str
    title: str = ""
    date: str = ""
    total: str = ""
    first_page: int = 1


def check_platform(flat: dict[str, Any], path: Path, error: type[ValueError]) -> None:
    """The platform keys hang together and every JSONPath parses."""
    from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
    from jsonpath_ng.ext import parse

    platform = flat.get("platform", "")
    if platform not in PLATFORMS:
        raise error(f"{path}: field 'platform' = {platform!r}: expected {FIELDS['platform'][1]}", path)
    api = [key for key in flat if key.startswith("json_api.")]
    if platform == "json_api":
        for key in ("json_api.url", "json_api.items", "json_api.link"):
            if not flat.get(key):
                raise error(f"{path}: platform = \"json_api\" needs field '{key}': {FIELDS[key][1]}", path)
        if "{page}" not in flat["json_api.url"]:
            raise error(f"{path}: field 'json_api.url' = {flat['json_api.url']!r}: expected {{page}} in it", path)
    elif api:
        raise error(f"{path}: a [json_api] table needs platform = \"json_api\"", path)
    for key in _PATHS:
        if flat.get(key):
            try:
                parse(flat[key])
            except (JsonPathLexerError, JsonPathParserError, Exception) as exc:  # the parser raises plain Exception too
                raise error(f"{path}: field '{key}': bad JSONPath {flat[key]!r}: {exc}", path) from exc


def json_api(flat: dict[str, Any]) -> JsonApi | None:
    if flat.get("platform") != "json_api":
        return None
    return JsonApi(url=flat["json_api.url"], items=flat["json_api.items"], link=flat["json_api.link"],
                   title=flat.get("json_api.title", ""), date=flat.get("json_api.date", ""),
                   total=flat.get("json_api.total", ""), first_page=flat.get("json_api.first_page", 1))
