"""Attachments in Datasette (issue 24): an article's page lists its attachments, each with a link that
downloads the file from the archive (`/-/kexie/attachment/DB/ID/NAME`), as fetched: the stored body is
compressed, so Datasette's own blob download would hand out zlib data."""

from __future__ import annotations

import zlib
from typing import Any
from urllib.parse import quote

from datasette.utils.asgi import Response

ROUTE = r"^/-/kexie/attachment/(?P<database>[^/]+)/(?P<attachment_id>\d+)(?:/[^/]*)?$"


def link(datasette: Any, database: str, attachment_id: int, name: str) -> str:
    return datasette.urls.path(f"/-/kexie/attachment/{quote(database)}/{attachment_id}/{quote(name or 'file')}")


async def article_attachments(datasette: Any, database: str, article_id: str) -> list[dict[str, Any]]:
    """The article's current attachments with their download links; [] on an archive without them."""
    db = datasette.get_database(database)
    if not await db.table_exists("attachment_links"):
        return []
    result = await db.execute(
        "SELECT DISTINCT attachment_id, name, url, mime, size, text_status FROM article_attachments"
        " WHERE article_id = ? ORDER BY url", [article_id])
    return [{"name": row["name"], "url": row["url"], "mime": row["mime"], "size": row["size"],
             "text_status": row["text_status"], "download": link(datasette, database, row["attachment_id"],
                                                                 row["name"])} for row in result.rows]


async def download(datasette: Any, request: Any) -> Response:
    """The file as fetched, with its sniffed MIME type and its name."""
    database, attachment_id = request.url_vars["database"], int(request.url_vars["attachment_id"])
    try:
        db = datasette.get_database(database)
    except KeyError:
        return Response.text("no such database", status=404)
    if not await db.table_exists("attachments"):
        return Response.text("this archive has no attachments", status=404)
    result = await db.execute("SELECT t.body, t.mime, (SELECT name FROM attachment_urls WHERE attachment_id = t.id"
                              " ORDER BY version DESC LIMIT 1) FROM attachments t WHERE t.id = ?", [attachment_id])
    row = result.first()
    if row is None:
        return Response.text("no such attachment", status=404)
    name = row[2] or f"attachment-{attachment_id}"
    return Response(zlib.decompress(row[0]), content_type=row[1] or "application/octet-stream",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


async def template_vars(datasette: Any, database: str | None, table: str | None, view_name: str,
                        request: Any) -> dict[str, Any]:
    """`attachments` for an article's row page (row.html lists them)."""
    if view_name != "row" or table != "articles" or database is None or request is None:
        return {}
    pks = request.url_vars.get("pks", "")
    if not pks.isdigit():
        return {}
    return {"attachments": await article_attachments(datasette, database, pks)}
