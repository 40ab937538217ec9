"""What a site file may hold, and the checks that load_site (crawler/sites.py) runs on it.

Every error names the file, the field and what was expected, because a typo in one site file
must not silently turn a scheduled crawl into a no-op.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

LEVELS = ("national", "provincial", "city", "county", "newspaper", "portal")


class ConfigError(ValueError):
    """A site file that cannot be used, with the file and field named."""


_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "name": (str, "a string"),
    "level": (str, f"one of {', '.join(LEVELS)}"),
    "region": (str, "a string"),
    "official": (bool, "true or false"),
    "spam": (bool, "true or false"),
    "verified": (bool, "true or false"),
    "base_url": (str, "an http(s) URL"),
    "start_urls": (list, "a non-empty list of URLs or /paths"),
    "allowed_domains": (list, "a list of domain names"),
    "article_pattern": (str, "a regular expression"),
    "pagination_pattern": (str, "a regular expression"),
    "max_list_pages": (int, "a whole number"),
    "sitemap_urls": (list, "a list of URLs or /paths"),
    "feed_urls": (list, "a list of URLs or /paths"),
    "encoding": (str, "a codec name such as gb18030, or an empty string"),
    "politeness.delay": ((int, float), "a number of seconds"),
    "politeness.concurrency": (int, "a whole number of requests"),
    "schedule.interval_hours": ((int, float), "a number of hours"),
    "incremental.known_run": (int, "a whole number of article links"),
    "incremental.refresh_days": ((int, float), "a number of days"),
    "extract.boilerplate": (list, "a list of regular expressions"),
    "extract.content_xpath": (str, "an XPath expression"),
}
_REQUIRED = ("name", "level", "region", "official", "base_url", "start_urls", "article_pattern")
_TABLES = ("politeness", "schedule", "incremental", "extract")


def flatten(data: dict[str, Any], path: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in _TABLES:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: [{key}] must be a table")
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def check(flat: dict[str, Any], path: Path) -> None:
    for key in flat:
        if key not in _TYPES:
            raise ConfigError(f"{path}: unknown field '{key}' (known: {', '.join(sorted(_TYPES))})")
    for key in _REQUIRED:
        if key not in flat:
            raise ConfigError(f"{path}: missing field '{key}', expected {_TYPES[key][1]}")
    for key, value in flat.items():
        types, expected = _TYPES[key]
        bad_bool = isinstance(value, bool) and types is not bool
        if bad_bool or not isinstance(value, types):
            raise ConfigError(f"{path}: field '{key}' = {value!r}: expected {expected}")
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: field '{key}': expected {expected} (strings only)")
    if flat["level"] not in LEVELS:
        raise ConfigError(f"{path}: field 'level' = {flat['level']!r}: expected one of {', '.join(LEVELS)}")
    if not re.match(r"https?://[^/]+", flat["base_url"]):
        raise ConfigError(f"{path}: field 'base_url' = {flat['base_url']!r}: expected an http(s) URL")
    if not flat["start_urls"]:
        raise ConfigError(f"{path}: field 'start_urls' is empty: expected at least one list page")
    for key in ("article_pattern", "pagination_pattern", "extract.boilerplate"):
        for pattern in [flat[key]] if isinstance(flat.get(key), str) else flat.get(key, []):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{path}: field '{key}': bad regular expression {pattern!r}: {exc}") from exc
    if flat.get("extract.content_xpath"):
        from lxml import etree

        try:
            etree.XPath(flat["extract.content_xpath"])
        except etree.XPathSyntaxError as exc:
            raise ConfigError(f"{path}: field 'extract.content_xpath': bad XPath: {exc}") from exc
    if flat.get("encoding"):
        import codecs

        try:
            codecs.lookup(flat["encoding"])
        except LookupError as exc:
            raise ConfigError(f"{path}: field 'encoding' = {flat['encoding']!r}: unknown codec") from exc
