"""Site configs: one TOML file per site, validated on load.

Every error names the file, the field and what was expected, because a typo in one
site file must not silently turn a scheduled crawl into a no-op.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from pipelines.paths import config_dir

LEVELS = ("national", "provincial", "city", "county", "newspaper", "portal")
CONFIG_DIR = config_dir()
SITES_DIR = CONFIG_DIR / "sites"
SAMPLE_SITES_DIR = CONFIG_DIR / "sample-sites"


class ConfigError(ValueError):
    """A site file that cannot be used, with the file and field named."""


@dataclass(frozen=True)
class SiteConfig:
    key: str
    name: str
    level: str
    region: str
    official: bool
    base_url: str
    start_urls: tuple[str, ...]
    article_pattern: str
    spam: bool = False
    verified: bool = True
    allowed_domains: tuple[str, ...] = ()
    pagination_pattern: str = ""
    max_list_pages: int = 50
    sitemap_urls: tuple[str, ...] = ()
    feed_urls: tuple[str, ...] = ()
    encoding: str = ""
    delay: float = 1.0
    concurrency: int = 1
    interval_hours: float = 6.0
    known_run: int = 10
    refresh_days: float = 0.0
    boilerplate: tuple[str, ...] = ()
    content_xpath: str = ""
    path: str = field(default="", compare=False)

    def url(self, ref: str) -> str:
        """Absolute URL of a config reference, resolved against base_url."""
        return urljoin(self.base_url.rstrip("/") + "/", ref.lstrip("/")) if ref.startswith("/") else ref

    @property
    def domains(self) -> list[str]:
        host = urlsplit(self.base_url).hostname or ""
        return [host, *self.allowed_domains]

    def with_base_url(self, base_url: str) -> SiteConfig:
        """The same site served from elsewhere (a mirror, a staging copy, the local sample web)."""
        return replace(self, base_url=base_url)

    @staticmethod
    def _path_of(url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def is_article(self, url: str) -> bool:
        return re.search(self.article_pattern, self._path_of(url)) is not None

    def is_list_page(self, url: str) -> bool:
        return bool(self.pagination_pattern) and re.search(self.pagination_pattern, self._path_of(url)) is not None


# field name -> (expected type(s), description for errors)
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


def _flatten(data: dict[str, Any], path: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in _TABLES:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: [{key}] must be a table")
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def _check(flat: dict[str, Any], path: Path) -> None:
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


def load_site(path: Path) -> SiteConfig:
    """Parse and validate one site file; the file name (without .toml) is the site key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    flat = _flatten(data, path)
    _check(flat, path)
    return SiteConfig(
        key=path.stem,
        path=str(path),
        name=flat["name"],
        level=flat["level"],
        region=flat["region"],
        official=flat["official"],
        spam=flat.get("spam", False),
        verified=flat.get("verified", True),
        base_url=flat["base_url"],
        start_urls=tuple(flat["start_urls"]),
        allowed_domains=tuple(flat.get("allowed_domains", ())),
        article_pattern=flat["article_pattern"],
        pagination_pattern=flat.get("pagination_pattern", ""),
        max_list_pages=flat.get("max_list_pages", 50),
        sitemap_urls=tuple(flat.get("sitemap_urls", ())),
        feed_urls=tuple(flat.get("feed_urls", ())),
        encoding=flat.get("encoding", ""),
        delay=float(flat.get("politeness.delay", 1.0)),
        concurrency=flat.get("politeness.concurrency", 1),
        interval_hours=float(flat.get("schedule.interval_hours", 6.0)),
        known_run=flat.get("incremental.known_run", 10),
        refresh_days=float(flat.get("incremental.refresh_days", 0.0)),
        boilerplate=tuple(flat.get("extract.boilerplate", ())),
        content_xpath=flat.get("extract.content_xpath", ""),
    )


def load_sites(directory: Path | str | None = None) -> dict[str, SiteConfig]:
    """Every site in a directory, keyed by file name; the first bad file stops the load."""
    folder = Path(directory) if directory else SITES_DIR
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such sites directory")
    return {p.stem: load_site(p) for p in sorted(folder.glob("*.toml"))}


def find_site(key: str, directory: Path | str | None = None) -> SiteConfig:
    """One site by key, looked up in the given directory or in the real and the sample sites."""
    folders = [Path(directory)] if directory else [SITES_DIR, SAMPLE_SITES_DIR]
    for folder in folders:
        path = folder / f"{key}.toml"
        if path.is_file():
            return load_site(path)
    known = sorted({p.stem for f in folders if f.is_dir() for p in f.glob("*.toml")})
    raise ConfigError(f"no site '{key}' in {', '.join(map(str, folders))} (known: {', '.join(known)})")
