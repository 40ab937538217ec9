"""Datasette plugin: the archive's search box gives the same articles as `kexie search`, and the archive
reads like an archive (articles first, an article as a page, titles as links) whatever its file is called.

Datasette searches with `rowid IN (SELECT rowid FROM fts WHERE fts MATCH escape_fts(:search))`,
escape_fts being a SQL function it registers on every connection. On a connection to a kexie
archive this plugin registers its own escape_fts after Datasette's (trylast), which turns the typed
text into the 2-gram phrase of archive.search, and adds the kexie_* functions the canned queries
use. Loaded from the installed package (entry point `datasette: kexie`, or registered by `kexie serve`),
so nothing is fetched.

Datasette keys metadata by database name, which is the file's stem: config/datasette.yaml describes
`archive`, so data/demo.db got no descriptions, hidden tables or canned queries, and no `fts_table`, so
its search box was ignored and every row came back. At startup the plugin notes which databases are
kexie archives and `get_metadata` gives each of them the `archive` block (of -m, else of the bundled
config/datasette.yaml), so `datasette x.db` and `kexie serve --db x.db` both get it.
"""

from __future__ import annotations

import copy
import sqlite3
import sys
import weakref
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import yaml
from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from archive import datasette_attachments, datasette_cells, datasette_views
from archive.search_text import fts_query, register_functions
from extract.paths import config_dir

ASSETS = Path(__file__).resolve().parent / "datasette_templates"  # row.html, index.html, kexie.css
CSS_PATH = "/-/kexie.css"
_ARCHIVES: weakref.WeakKeyDictionary[Any, frozenset[str]] = weakref.WeakKeyDictionary()


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
def startup(datasette: Any) -> Callable[[], Awaitable[None]]:
    """Note the databases that are kexie archives (get_metadata and render_cell are synchronous)."""
    async def find() -> None:
        found = set()
        for name, db in datasette.databases.items():
            if name != "_internal" and await db.execute_fn(is_archive):
                found.add(name)
        _ARCHIVES[datasette] = frozenset(found)
    return find


def bundled_metadata() -> dict[str, Any]:
    path = config_dir() / "datasette.yaml"
    try:
        return yaml.safe_load(path.read_text("utf-8")) or {}
    except OSError:
        return {}


@hookimpl
def get_metadata(datasette: Any, key: str | None, database: str | None, table: str | None) -> dict[str, Any] | None:
    """The `archive` metadata for every archive the local metadata does not describe by its own name."""
    names = _ARCHIVES.get(datasette)
    if not names:
        return None
    local = getattr(datasette, "_metadata_local", None) or {}
    described = local.get("databases") or {}
    missing = [name for name in names if name not in described]
    if not missing:
        return None
    source = local if "archive" in described else bundled_metadata()
    block = (source.get("databases") or {}).get("archive")
    if not block:
        return None
    extra = {} if local.get("title") else {k: v for k, v in source.items() if k != "databases"}
    return {**copy.deepcopy(extra), "databases": {name: copy.deepcopy(block) for name in missing}}


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Awaitable[Markup | None] | Markup | None:
    if database not in _ARCHIVES.get(datasette, frozenset()):
        return None
    return datasette_cells.render(row, value, column, table, database, datasette)


@hookimpl
def extra_css_urls(database: str | None, datasette: Any) -> list[str]:
    """Paragraphs that wrap and a readable article page; on every page, as the home page lists archives."""
    return [datasette.urls.path(CSS_PATH)]


@hookimpl
def register_routes() -> list[tuple[str, Callable[..., Awaitable[Response]]]]:
    async def css() -> Response:
        return Response((ASSETS / "kexie.css").read_text("utf-8"), content_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "max-age=3600"})
    return [(r"^/-/kexie\.css$", css), (datasette_attachments.ROUTE, datasette_attachments.download)]


@hookimpl
def extra_template_vars(database: str | None, table: str | None, view_name: str, request: Any,
                        datasette: Any) -> Awaitable[dict[str, Any]]:
    """An article's page lists its attachments with download links (archive/datasette_attachments.py); an
    archive's article tables show title, site, date and an excerpt first (archive/datasette_views.py)."""
    async def both() -> dict[str, Any]:
        found = await datasette_attachments.template_vars(datasette, database, table, view_name, request)
        if database in _ARCHIVES.get(datasette, frozenset()):
            found.update(await datasette_views.table_vars(datasette, database, table, view_name, request))
        return found
    return both()


def run_datasette(path: Path, host: str, port: int, live: bool, metadata: Path) -> None:
    """Datasette's own `serve`, in this process, with this plugin registered and its templates (an article
    as a page, articles first on the home page), immutable unless `live` (then still read-only: Datasette
    reads with mode=ro and 0.65 has no write API). The metadata's `archive` block applies to the file
    whatever its name (get_metadata above)."""
    from datasette.cli import cli
    from datasette.plugins import pm

    plugin = sys.modules[__name__]
    if not pm.is_registered(plugin):
        pm.register(plugin, name="kexie")
    cli.main(args=["serve", *([str(path)] if live else ["--immutable", str(path)]), "--metadata", str(metadata),
                   "--template-dir", str(ASSETS), "--host", host, "--port", str(port),
                   "--setting", "sql_time_limit_ms", "5000", "--setting", "facet_time_limit_ms", "1000",
                   "--setting", "truncate_cells_html", "300"],
             prog_name="datasette")
