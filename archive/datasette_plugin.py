"""Datasette plugin: the archive's search box gives the same articles as `kexie search`.

Datasette searches with `rowid IN (SELECT rowid FROM fts WHERE fts MATCH escape_fts(:search))`,
escape_fts being a SQL function it registers on every connection. On a connection to a kexie
archive this plugin registers its own escape_fts after Datasette's (trylast), which turns the typed
text into the 2-gram phrase of archive.search, and adds the kexie_* functions the canned queries
use. Snippets from those queries show their <mark> highlights. Loaded from the installed package
(entry point `datasette: kexie`, or registered by `kexie serve`), so nothing is fetched.
"""

from __future__ import annotations

import atexit
import os
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from datasette import hookimpl
from markupsafe import Markup, escape

from archive.search_text import fts_query, register_functions


def is_archive(conn: sqlite3.Connection) -> bool:
    try:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'").fetchone() is not None
    except sqlite3.Error:
        return False


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    if is_archive(conn):
        register_functions(conn)
        conn.create_function("escape_fts", 1, fts_query, deterministic=True)


@hookimpl
def render_cell(value: Any, column: str) -> Markup | None:
    """Show kexie_snippet's <mark> as a highlight, everything else escaped."""
    if column == "snippet" and isinstance(value, str) and "<mark>" in value:
        html = str(escape(value)).replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
        return Markup(html)
    return None


def run_datasette(path: Path, host: str, port: int, live: bool, metadata: Path) -> None:
    """Datasette's own `serve`, in this process, with this plugin registered, immutable unless `live`
    (then still read-only: Datasette reads with mode=ro and 0.65 has no write API), and the metadata's
    `archive` database renamed to the file's name so that it applies to any file."""
    from datasette.cli import cli
    from datasette.plugins import pm

    plugin = sys.modules[__name__]
    if not pm.is_registered(plugin):
        pm.register(plugin, name="kexie")
    data = yaml.safe_load(metadata.read_text("utf-8")) or {}
    databases = data.get("databases") or {}
    if "archive" in databases and path.stem != "archive":
        databases[path.stem] = databases.pop("archive")
    handle, renamed = tempfile.mkstemp(suffix=".yaml", prefix="kexie-datasette-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        yaml.safe_dump(data, out, allow_unicode=True, sort_keys=False)
    atexit.register(os.unlink, renamed)
    cli.main(args=["serve", *([str(path)] if live else ["--immutable", str(path)]), "--metadata", renamed,
                   "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "5000",
                   "--setting", "facet_time_limit_ms", "1000", "--setting", "truncate_cells_html", "300"],
             prog_name="datasette")
