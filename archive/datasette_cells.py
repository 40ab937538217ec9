"""How Datasette shows a kexie archive's cells: titles that lead to their article, one form of date, highlights.

Only the HTML changes; the stored values and the JSON API stay as they are (a date-only published_at
stays `2023-12-05`, a timestamp keeps its seconds and offset), so sorting, facets and exports are untouched.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable
from typing import Any

from markupsafe import Markup, escape

ARTICLE_TABLES = {"articles", "articles_overview"}  # their `id` is the article's id, no check needed
_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
SHANGHAI = "+08:00"  # the archive's own zone: not repeated on every line


def snippet_html(value: str) -> Markup:
    """kexie_snippet's <mark> as a highlight, everything else escaped."""
    return Markup(str(escape(value)).replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))


def date_html(value: str) -> Markup | None:
    """`2023-12-05` for a date-only value, `2023-12-05 14:52` for a timestamp in Shanghai time (another
    offset is kept), so every row starts with the same YYYY-MM-DD; the stored value is the tooltip."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Markup('<time class="kexie-date" datetime="{0}">{0}</time>').format(value)
    stamp = _STAMP.match(value)
    if stamp is None:
        return None  # not a date this module knows: Datasette shows it as stored
    day, clock, zone = stamp.groups()
    shown = "" if zone in (None, SHANGHAI, "+0800") else f" {zone}"
    return Markup('<time class="kexie-date" datetime="{0}" title="{0}">{1} <span class="kexie-clock">{2}{3}'
                  '</span></time>').format(value, day, clock, shown)


def _field(row: Any, key: str) -> Any:
    try:
        value = row[key]
    except (KeyError, IndexError, TypeError):
        return None
    return value.get("value") if isinstance(value, dict) else value  # an expanded foreign key


def title_link(row: Any, value: str, column: str, table: str | None, database: str,
               datasette: Any) -> Awaitable[Markup | None] | Markup | None:
    """A title as a link to its article's row page.

    The id beside it is trusted on articles and articles_overview; elsewhere (duplicates, canned or typed
    queries) the link is made only when that article has this very title, so `SELECT id, title FROM
    rejects` never links a reject to an unrelated article."""
    id_column = "original_id" if column == "original_title" else "id" if table in ARTICLE_TABLES or table is None \
        else "article_id"
    article_id = _field(row, id_column)
    if not isinstance(article_id, int):
        return None
    link = Markup('<a class="kexie-title-link" href="{}">{}</a>').format(
        datasette.urls.row(database, "articles", str(article_id)), value)
    if table in ARTICLE_TABLES:
        return link

    async def checked() -> Markup | None:
        found = (await datasette.get_database(database).execute(
            "SELECT title FROM articles WHERE id = ?", [article_id])).first()
        return link if found is not None and found[0] == value else None

    return checked()


def render(row: Any, value: Any, column: str, table: str | None, database: str,
           datasette: Any) -> Awaitable[Markup | None] | Markup | None:
    """The cell's HTML on a kexie archive, or None for Datasette's own rendering."""
    if not isinstance(value, str) or not value:
        return None
    if column == "snippet" and "<mark>" in value:
        return snippet_html(value)
    if column == "published_at":
        return date_html(value)
    if column in ("title", "original_title"):
        return title_link(row, value, column, table, database, datasette)
    return None
