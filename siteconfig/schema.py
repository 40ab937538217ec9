"""What a site file may hold, and the checks that load_site (siteconfig/sites.py) runs on it.

Every error names the file, the field and what was expected, because a typo in one site file
must not silently turn a scheduled crawl into a no-op.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from siteconfig.platforms import FIELDS as PLATFORM_FIELDS
from siteconfig.platforms import check_platform

LEVELS = ("national", "provincial", "city", "county", "newspaper", "portal")


class ConfigError(ValueError):
    """A site file that cannot be used, with the file and field named.

    `path` is the file, when there is one, so a caller can skip that site and go on with the rest.
    """

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = Path(path) if path is not None else None


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
    **PLATFORM_FIELDS,  # platform and [json_api] (siteconfig/platforms.py)
}
# field -> (lowest, highest) allowed: a concurrency of 0 hangs the crawl while it holds the site's lock, a
# negative delay or interval makes no sense, and timedelta overflows long before 1e300 hours.
_RANGES: dict[str, tuple[float, float]] = {
    "max_list_pages": (1, math.inf),
    "politeness.delay": (0, math.inf),
    "politeness.concurrency": (1, math.inf),
    "schedule.interval_hours": (0, 24 * 365 * 100),
    "incremental.known_run": (1, math.inf),
    "incremental.refresh_days": (0, 365 * 100),
}
_URL_LISTS = ("start_urls", "sitemap_urls", "feed_urls")
_REQUIRED = ("name", "level", "region", "official", "base_url", "start_urls", "article_pattern")
_TABLES = ("politeness", "schedule", "incremental", "extract", "json_api")


def flatten(data: dict[str, Any], path: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in _TABLES:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: [{key}] must be a table", path)
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def check(flat: dict[str, Any], path: Path) -> None:
    for key in flat:
        if key not in _TYPES:
            raise ConfigError(f"{path}: unknown field '{key}' (known: {', '.join(sorted(_TYPES))})", path)
    for key in _REQUIRED:
        if key not in flat:
            raise ConfigError(f"{path}: missing field '{key}', expected {_TYPES[key][1]}", path)
    for key, value in flat.items():
        types, expected = _TYPES[key]
        bad_bool = isinstance(value, bool) and types is not bool
        if bad_bool or not isinstance(value, types):
            raise ConfigError(f"{path}: field '{key}' = {value!r}: expected {expected}", path)
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: field '{key}': expected {expected} (strings only)", path)
    if flat["level"] not in LEVELS:
        raise ConfigError(f"{path}: field 'level' = {flat['level']!r}: expected one of {', '.join(LEVELS)}", path)
    if not flat["start_urls"]:
        raise ConfigError(f"{path}: field 'start_urls' is empty: expected at least one list page", path)
    _check_values(flat, path)
    check_platform(flat, path, ConfigError)


def _check_values(flat: dict[str, Any], path: Path) -> None:
    """What the types alone do not say: ranges, URLs, patterns, the XPath and the codec."""
    for key, (low, high) in _RANGES.items():
        value = flat.get(key)
        if value is not None and not (math.isfinite(value) and low <= value <= high):
            limits = f"at least {low:g}" + (f" and at most {high:g}" if math.isfinite(high) else "")
            raise ConfigError(f"{path}: field '{key}' = {value!r}: expected {_TYPES[key][1]}, {limits}", path)
    if not _http_url(flat["base_url"]):
        raise ConfigError(f"{path}: field 'base_url' = {flat['base_url']!r}: expected an http(s) URL with a host", path)
    for key in _URL_LISTS:
        for ref in flat.get(key, []):
            if not ((ref.startswith("/") and not ref.startswith("//")) or _http_url(ref)):
                raise ConfigError(f"{path}: field '{key}': {ref!r} is neither a /path nor an http(s) URL", path)
    for key in ("article_pattern", "pagination_pattern", "extract.boilerplate"):
        for pattern in [flat[key]] if isinstance(flat.get(key), str) else flat.get(key, []):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{path}: field '{key}': bad regular expression {pattern!r}: {exc}", path) from exc
    if flat.get("extract.content_xpath"):
        from lxml import etree

        try:
            etree.XPath(flat["extract.content_xpath"])
        except etree.XPathSyntaxError as exc:
            raise ConfigError(f"{path}: field 'extract.content_xpath': bad XPath: {exc}", path) from exc
    if flat.get("encoding") and not _text_codec(flat["encoding"]):
        raise ConfigError(f"{path}: field 'encoding' = {flat['encoding']!r}: unknown codec, expected a text"
                          " encoding such as gb18030 or utf-8, or \"\" to detect it", path)


def _http_url(value: str) -> bool:
    """An absolute http(s) URL with a host (and a valid port, if any)."""
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in value)


def _text_codec(label: str) -> bool:
    """Whether the page decoder can read with this label: base64 or rot13 are codecs but not text ones."""
    from extract.decode import normalise_codec

    name = normalise_codec(label)
    try:
        return name is not None and isinstance(b"<html>".decode(name, "replace"), str)
    except (LookupError, ValueError):
        return False
