"""The columns a researcher sees first on a kexie archive's article tables in Datasette.

Datasette shows every column of a table in schema order, so the `articles` table led with id, site and
two URLs and put each row's full text (and its original script) on the screen, rows taller than the
screen with the title off to the right. Datasette 0.65 has no metadata for default columns, so
`_table.html` (archive/datasette_templates) shows the columns named here, in this order, with a Chinese
label over the English name, and a text column as a short excerpt (the full text is on the article's
page). Only the HTML changes: the JSON and CSV keep every column, and a page with `_col`/`_nocol` (or
the "all columns" link) gets Datasette's own table.
"""

from __future__ import annotations

from typing import Any

from datasette.utils import path_with_added_args

# table -> the columns shown by default, in order
SHOWN = {
    "articles": ("title", "site", "published_at", "text"),
    "articles_overview": ("title", "site_name", "published_at", "region", "level", "is_duplicate"),
}
NOTES = {
    "articles": "显示标题、站点、日期与摘要，全文见文章页 · Title, site, date and an excerpt; the full text is on"
                " each article's page.",
    "articles_overview": "显示标题、站点、日期、地区与级别，点击标题阅读全文 · Title, site, date, region and level;"
                         " a title opens its article.",
}
EXCERPTS = {"text": 60}  # column -> characters of its excerpt
LABELS = {"title": "标题", "site": "站点", "site_name": "站点", "published_at": "发布日期", "text": "摘要",
          "region": "地区", "level": "级别", "is_duplicate": "近似副本", "url": "网址", "id": "编号",
          "snippet": "摘要", "score": "相关度", "author": "作者", "source": "来源", "year": "年份"}


async def table_vars(datasette: Any, database: str, table: str | None, view_name: str,
                     request: Any) -> dict[str, Any]:
    """`kexie_columns` (the columns to show, in order), their labels and excerpt lengths, and the link to
    every column, for an article table shown with its default columns; {} anywhere else."""
    shown = SHOWN.get(table or "")
    if view_name != "table" or shown is None or request is None:
        return {}
    if "_col" in request.args or "_nocol" in request.args:
        return {}  # the reader chose the columns
    columns = await datasette.get_database(database).table_columns(table)
    every = [("_col", column) for column in columns]
    return {"kexie_columns": [c for c in shown if c in columns], "kexie_labels": LABELS, "kexie_excerpts": EXCERPTS,
            "kexie_note": NOTES[table or ""],
            "kexie_all_columns": datasette.urls.path(path_with_added_args(request, every))}
