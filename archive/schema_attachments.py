"""The attachments migration (issue 24): files linked from article pages, stored once per content.

`attachments`: one row per distinct file (SHA-256), its bytes compressed, its MIME type sniffed
from the bytes and its extracted text. `attachment_urls`: every URL a file was fetched from, with
the name it had there and a version per URL (a file changed at the same URL is a new row, the old
one kept). `attachment_links`: which article page linked which attachment URL, written as the
page is read, so a file shared by many notices (or sites) is linked to each of them. Pages are
linked by canonical URL, as `article_urls` are, so copies of a notice find its attachments too.
"""

from __future__ import annotations

import sqlite_utils


def migrate_attachments(db: sqlite_utils.Database) -> None:
    db.table("attachments").create(
        {"id": int, "sha256": str, "size": int, "mime": str, "body": bytes, "text": str, "text_original": str,
         "text_status": str, "extractor_version": str, "first_fetched_at": str},
        pk="id", not_null={"sha256", "size"},
    )
    db.table("attachments").create_index(["sha256"], unique=True)
    db.table("attachment_urls").create(
        {"id": int, "url": str, "canonical_url": str, "site": str, "attachment_id": int, "version": int, "name": str,
         "content_type": str, "fetched_at": str, "run_id": int},
        pk="id", not_null={"url", "attachment_id", "version"},
        foreign_keys=[("attachment_id", "attachments", "id"), ("site", "sites", "key")],
    )
    db.table("attachment_urls").create_index(["canonical_url", "version"], unique=True)
    db.table("attachment_urls").create_index(["attachment_id"])
    db.table("attachment_links").create(
        {"page_url": str, "attachment_url": str, "site": str, "link_text": str, "first_seen": str},
        pk=("page_url", "attachment_url"), not_null={"page_url", "attachment_url"},
    )
    db.table("attachment_links").create_index(["attachment_url"])
    db.create_view(
        "article_attachments",
        """SELECT u.article_id, l.page_url, au.url, au.name, au.version, t.id AS attachment_id, t.mime, t.size,
                  t.sha256, t.text_status, au.fetched_at
           FROM attachment_links l
           JOIN article_urls u ON u.canonical_url = l.page_url
           JOIN attachment_urls au ON au.canonical_url = l.attachment_url
           JOIN attachments t ON t.id = au.attachment_id
           WHERE au.version = (SELECT max(version) FROM attachment_urls v WHERE v.canonical_url = au.canonical_url)""",
    )
