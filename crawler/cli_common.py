"""Options and error handling shared by the `kexie` command modules."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import NoReturn

import click

from archive.db import Archive, default_db_path

DB_OPTION = click.option("--db", envvar="KEXIE_DB", default=None, show_default=f"{default_db_path()} (or $KEXIE_DB)",
                         help="Archive file.")


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def open_archive(db: str | None) -> Archive:
    """The archive to crawl into, or a one-line error (exit 2) when it cannot be opened or written
    (its folder also holds the WAL, the site locks and the HTTP cache)."""
    path = Path(db or default_db_path())
    try:
        archive = Archive(path)
    except (sqlite3.Error, OSError) as exc:
        fail(f"cannot open the archive {path}: {exc}")
    if not (os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)):
        archive.close()
        fail(f"cannot write the archive {path}: the file or its folder is read-only")
    return archive
