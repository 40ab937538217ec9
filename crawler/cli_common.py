"""Options and error handling shared by the `kexie` command modules."""

from __future__ import annotations

import sqlite3
import sys
from typing import NoReturn

import click

from archive.db import Archive, default_db_path

DB_OPTION = click.option("--db", envvar="KEXIE_DB", default=None, show_default=f"{default_db_path()} (or $KEXIE_DB)",
                         help="Archive file.")


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def open_archive(db: str | None) -> Archive:
    """The archive, or a one-line error (exit 2) when the file cannot be opened or written."""
    try:
        return Archive(db)
    except (sqlite3.Error, OSError) as exc:
        fail(f"cannot open the archive {db or default_db_path()}: {exc}")
