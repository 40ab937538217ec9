"""Site configs: one TOML file per site, validated on load.

Every error names the file, the field and what was expected, because a typo in one
site file must not silently turn a scheduled crawl into a no-op.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from extract.paths import config_dir, config_file
from siteconfig.platforms import JsonApi, json_api
from siteconfig.schema import ConfigError, check, flatten

CONFIG_DIR = config_dir()
SITES_DIR = config_file("sites")  # $KEXIE_CONFIG_DIR/sites, else the package's
SAMPLE_SITES_DIR = config_file("sample-sites")


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
    platform: str = ""  # "", "hanweb" or "json_api" (crawler/platforms/)
    json_api: JsonApi | None = None
    path: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.json_api, dict):  # a config that travelled as JSON to a worker (distributed/wire.py)
            object.__setattr__(self, "json_api", JsonApi(**self.json_api))

    def url(self, ref: str) -> str:
        """Absolute URL of a config reference, resolved against base_url."""
        return urljoin(self.base_url.rstrip("/") + "/", ref.lstrip("/")) if ref.startswith("/") else ref

    @property
    def domains(self) -> list[str]:
        host = urlsplit(self.base_url).hostname or ""
        return [host, *self.allowed_domains]

    def holds(self, url: str) -> bool:
        """Whether the crawl may fetch a URL for this site: http(s), on one of its domains or under
        one (any port). An ftp: or mailto: link on the site's own host is not a page."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        return parts.scheme in ("http", "https") and any(host == d or host.endswith("." + d) for d in self.domains)

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


def load_site(path: Path) -> SiteConfig:
    """Parse and validate one site file; the file name (without .toml) is the site key."""
    try:
        data = tomllib.loads(_site_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}", path) from exc
    flat = flatten(data, path)
    check(flat, path)
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
        platform=flat.get("platform", ""),
        json_api=json_api(flat),
    )


def _site_text(path: Path) -> str:
    """The text of a site file, or a ConfigError saying why it cannot be read.

    Checked before opening: reading a FIFO named *.toml would block the crawl for ever.
    A UTF-8 BOM (Windows Notepad) is accepted; GBK and other encodings are not guessed at.
    """
    if path.is_symlink() and not path.exists():
        raise ConfigError(f"{path}: a broken symlink (to {os.readlink(path)}), not a site file", path)
    if path.is_dir():
        raise ConfigError(f"{path}: a directory, not a site file", path)
    if path.exists() and not path.is_file():
        raise ConfigError(f"{path}: not a regular file", path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file: {exc.strerror or exc}", path) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}: not UTF-8 text (line {line}): save it as UTF-8", path) from exc


def _key_problem(key: str) -> str:
    """Why a file name cannot be a site key: `--base-url KEY=URL` and `-a site=K1,K2` split on = and ,."""
    bad = [c for c in "=," if c in key]
    return f"the file name (the site key) must not contain {' or '.join(bad)}" if bad else ""


def site_files(folder: Path) -> list[Path]:
    """The *.toml entries of a sites folder, sorted; hidden ones (editor lock and backup files) left out."""
    return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("."))


def load_sites_checked(directory: Path | str | None = None) -> tuple[dict[str, SiteConfig], list[ConfigError]]:
    """The good sites of a folder, keyed by file name, and one error per bad file.

    One broken file must not stop the other sites' crawls; the caller reports the errors and
    exits non-zero. A missing folder, or one without any site file, raises ConfigError.
    """
    folder = Path(directory) if directory else SITES_DIR
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such sites directory")
    files = site_files(folder)
    if not files:
        raise ConfigError(f"{folder}: no site files (*.toml) in this folder")
    configs: dict[str, SiteConfig] = {}
    errors: list[ConfigError] = []
    for path in files:
        try:
            if problem := _key_problem(path.stem):
                raise ConfigError(f"{path}: {problem}", path)
            configs[path.stem] = load_site(path)
        except ConfigError as exc:
            errors.append(exc)
    return configs, errors


def load_sites(directory: Path | str | None = None) -> dict[str, SiteConfig]:
    """Every site in a directory, keyed by file name; the first bad file raises (strict callers)."""
    configs, errors = load_sites_checked(directory)
    if errors:
        raise errors[0]
    return configs


def find_site(key: str, directory: Path | str | None = None) -> SiteConfig:
    """One site by key, looked up in the given directory or in the real and the sample sites."""
    folders = [Path(directory)] if directory else [SITES_DIR, SAMPLE_SITES_DIR]
    for folder in folders:
        path = folder / f"{key}.toml"
        if path.exists() or path.is_symlink():  # a directory or a broken link: say so, not "no site"
            return load_site(path)
    known = sorted({p.stem for f in folders if f.is_dir() for p in site_files(f)})
    raise ConfigError(f"no site '{key}' in {', '.join(map(str, folders))} (known: {', '.join(known)})")
