"""Options and error handling shared by the `kexie` command modules."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from archive.db import default_db_path

DB_OPTION = click.option("--db", envvar="KEXIE_DB", default=None, show_default=f"{default_db_path()} (or $KEXIE_DB)",
                         help="Archive file.")


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)
