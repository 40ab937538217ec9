"""Options and error handling shared by the `kexie` command modules."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from archive.db import Archive, default_db_path, read_only_folder
from archive.readonly import ArchiveMissing, connect_read_only
from archive.runs import site_facets
from siteconfig.schema import LEVELS
from siteconfig.sites import ConfigError, SiteConfig, load_sites_checked

DB_META = "kexie.db"  # ctx.meta key: the archive a command uses, for the group's error line


def _remember_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    ctx.meta[DB_META] = value or default_db_path()  # meta is shared with the parent group
    return value


DB_OPTION = click.option("--db", envvar="KEXIE_DB", default=None, show_default=f"{default_db_path()} (or $KEXIE_DB)",
                         help="Archive file.", callback=_remember_db)


def fail(message: str) -> NoReturn:
    """The one way a command refuses: one `error:` line on stderr, exit 2 (bad input, no usable archive)."""
    click.echo(f"error: {' '.join(message.split())}", err=True)
    sys.exit(2)


def existing_archive(db: str | None) -> Path:
    """The archive a command reads or reworks, which must be there: a command that only reads never creates
    one (a typo in --db would leave an empty archive behind and answer from it as if it were the real one)."""
    path = Path(db or default_db_path())
    if not path.is_file():
        fail(f"no archive at {path} (run `kexie crawl` or `kexie demo` first, or pass --db)")
    return path


@contextmanager
def read_archive(db: str | None) -> Iterator[sqlite3.Connection]:
    """A read-only connection to an archive that exists (also on read-only media), or one error line."""
    path = existing_archive(db)
    try:
        conn = connect_read_only(path)
    except ArchiveMissing as exc:  # gone between the check and the open
        fail(str(exc))
    with closing(conn):
        yield conn


def _choices(values: Sequence[str], most: int = 20) -> str:
    shown = ", ".join(values[:most]) + (f", … ({len(values)} in all)" if len(values) > most else "")
    return shown or "none: the archive holds no site yet"


def check_filters(conn: Any, sites: Sequence[str] = (), levels: Sequence[str] = (), region: str = "") -> None:
    """An unknown site, level or region is a typo, not an empty result: one error line naming the valid ones."""
    facets = site_facets(conn)
    keys = sorted(key for key, _, _ in facets)
    if unknown := [s for s in sites if s not in keys]:
        fail(f"--site {', '.join(unknown)}: the archive holds no such site; its sites: {_choices(keys)}")
    if unknown := [level for level in levels if level not in LEVELS]:
        fail(f"--level {', '.join(unknown)}: no such level; the levels: {', '.join(LEVELS)}")
    regions = sorted({r for _, _, r in facets if r})
    if region and not any(region in r for r in regions):
        fail(f"--region {region}: no site of the archive is in such a region; its regions: {_choices(regions)}")


def archive_fault(exc: sqlite3.Error) -> bool:
    """True when SQLite failed on the file (damaged, unreadable) rather than on the statement."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    return name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_CANTOPEN", "SQLITE_IOERR"))


def check_folder(target: Path) -> None:
    """Fail before any work when the file to write has no folder to go into."""
    if not target.parent.is_dir():
        fail(f"cannot write {target}: there is no folder {target.parent}")


def open_archive(db: str | None) -> Archive:
    """The archive to crawl into, or a one-line error (exit 2) when it cannot be opened or written
    (its folder also holds the WAL, the site locks and the HTTP cache)."""
    path = Path(db or default_db_path())
    try:
        archive = Archive(path)
    except (sqlite3.Error, OSError) as exc:
        folder = read_only_folder(path)
        fail(f"cannot write the archive {path}: {folder}" if folder else f"cannot open the archive {path}: {exc}")
    if not (os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)):
        archive.close()
        fail(f"cannot write the archive {path}: {read_only_folder(path) or 'the file is read-only'}")
    return archive


def usable_sites(directory: Path | str | None) -> tuple[dict[str, SiteConfig], list[ConfigError]]:
    """The good sites of a folder, each bad file one `error:` line on stderr: one broken file must not
    stop the other sites. A missing folder, or one with no usable site at all, is exit 2."""
    try:
        configs, errors = load_sites_checked(directory)
    except ConfigError as exc:
        fail(str(exc))
    for error in errors:
        click.echo(f"error: {' '.join(str(error).splitlines())}", err=True)
    if not configs:
        fail(f"none of the {len(errors)} site files can be used")
    return configs, errors


def exit_if_skipped(errors: list[ConfigError]) -> None:
    """Exit 1 once the good sites are done when a site file was skipped, so cron mails it."""
    if errors:
        click.echo(f"error: {len(errors)} site file{'s' * (len(errors) > 1)} skipped (see above)", err=True)
        sys.exit(1)
