"""`kexie add-site URL`: probe a site and write its site file, instead of reading its HTML by hand.

A hand-written article_pattern that is slightly wrong yields 0 articles without any error; the
probe derives the patterns from the links it sees, shows the articles they select and what the
extractor makes of a few of them, and validates the file with the loader the crawl uses.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from cli.common import fail

if TYPE_CHECKING:
    from cli.probe import Probe

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SUFFIXES = {"www", "m", "com", "cn", "org", "net", "gov", "edu", "example", "ac", "info"}


def default_key(url: str) -> str:
    """www.esast.org.cn → esast; an address without a name (127.0.0.1:8601) → 127-0-0-1-8601."""
    parts = urlsplit(url)
    host = parts.hostname or "site"
    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return "-".join(filter(None, [*re.split(r"[.:\[\]]+", host), str(parts.port or "")]))
    labels = [label for label in host.split(".") if label not in _SUFFIXES]
    return labels[-1] if labels else host.split(".")[0]


@click.command("add-site")
@click.argument("url")
@click.option("--key", default=None, help="Site key (the file name); default: from the host name.")
@click.option("--sites-dir", type=click.Path(file_okay=False), default=None,
              help="Folder to write into (default: config/sites).")
@click.option("--write", is_flag=True, help="Write <sites-dir>/<key>.toml (never over an existing file).")
@click.option("--base-url-as", "base_url_as", default="", metavar="URL",
              help="base_url to write instead of the probed one (probing a mirror or a local copy).")
@click.option("--delay", default=1.0, show_default=True, type=click.FloatRange(0, 60),
              help="Seconds between requests.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 120),
              help="Seconds per request.")
@click.option("--max-requests", default=40, show_default=True, type=click.IntRange(3, 200),
              help="Requests the probe may make in all.")
def add_site(url: str, key: str | None, sites_dir: str | None, write: bool, base_url_as: str, delay: float,
             timeout: float, max_requests: int) -> None:
    """Probe a site from a news list page (or its home page) and propose a site file.

    Reads robots.txt, the page, two more list pages and a few articles (one request at a time),
    derives article_pattern and pagination_pattern, previews what the extractor finds, and prints
    the site file (or, with --write, writes it). The file says verified = false: check it with a crawl.

    \b
    Example:
      kexie add-site http://www.xyast.org.cn/xwdt/index.htm --key xyast
      kexie add-site http://www.xyast.org.cn/xwdt/index.htm --key xyast --write
    """
    from cli.probe import NoArticles, probe
    from cli.probe_fetch import Fetcher, ProbeError
    from cli.probe_frames import Challenged
    from cli.probe_toml import site_file
    from extract.paths import installed_copy
    from siteconfig.schema import ConfigError
    from siteconfig.sites import SITES_DIR, load_site

    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        fail(f"{url!r} is not an http(s) URL")
    if base_url_as and (urlsplit(base_url_as).scheme not in ("http", "https") or not urlsplit(base_url_as).hostname):
        fail(f"--base-url-as {base_url_as!r} is not an http(s) URL")
    key = key or default_key(base_url_as or url)
    if not _KEY.match(key):
        fail(f"--key {key!r}: use letters, digits, '.', '_' and '-' (it becomes the file name)")
    target = Path(sites_dir or SITES_DIR) / f"{key}.toml"
    if write and installed_copy(target.parent):
        fail(f"{target.parent} is the installed package's: give --sites-dir, or set KEXIE_CONFIG_DIR to a folder"
             " of your own (see README, Installing kexie as an application)")
    if write and (target.exists() or target.is_symlink()):
        fail(f"{target} exists: choose another --key or remove the file")
    fetcher = Fetcher(delay=delay, timeout=timeout, max_requests=max_requests)
    try:
        found = probe(url, fetcher)
    except ProbeError as exc:
        fail(str(exc))
    except (NoArticles, Challenged) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    text = site_file(found, base_url_as)
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / f"{key}.toml"
        trial.write_text(text, "utf-8")
        try:
            load_site(trial)
        except ConfigError as exc:  # a bug here, not the user's: say so rather than write a bad file
            fail(f"the generated site file does not load: {exc}")
    _preview(found)
    if not write:
        click.echo(text, nl=False)
        return
    if not target.parent.is_dir():
        fail(f"cannot write {target}: there is no folder {target.parent}")
    with target.open("x", encoding="utf-8") as out:  # "x": a file made meanwhile is not overwritten
        out.write(text)
    click.echo(f"wrote {target}; try it: kexie crawl {key} --sites-dir {target.parent} --db /tmp/try.db", err=True)


def _preview(found: Probe) -> None:
    """What the patterns select, on stderr, so stdout stays the site file (`> config/sites/KEY.toml`)."""
    echo = click.echo
    echo(f"articles: {len(found.articles)} on {len(found.list_pages)} list page(s), "
         f"article_pattern = {found.article_pattern}", err=True)
    echo(f"list pages: pagination_pattern = {found.pagination_pattern or '(none found)'}", err=True)
    for page in found.previews:
        status = f"  [{page.problem}]" if page.problem else ""
        echo(f"  {page.published_at or '(no date)':25.25} {page.title[:50] or '(no title)'}{status}", err=True)
    if found.stray:
        echo(f"warning: the pattern also takes {len(found.stray)} other link(s), e.g. {found.stray[0]}", err=True)
    if found.feeds or found.sitemaps:
        echo(f"feeds: {', '.join(found.feeds) or '-'}; sitemaps: {', '.join(found.sitemaps) or '-'}", err=True)
