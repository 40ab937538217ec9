"""Search inside attachments: the articles whose attachment texts contain the query (issue 24).

Attachment texts are scanned with the same query reading and folding as the articles' (kexie_match), so
a hit is exact, Ctrl-F style (every word of the query in the one attachment's text); they are far fewer
than articles, and a scan needs no second index kept in step. `kexie search --attachments also` (the
default) adds these articles after the articles whose own text matches; `only` gives them alone; `none`
leaves attachments out.
"""

from __future__ import annotations

import sqlite3
from typing import Any

MODES = ("also", "only", "none")

# the current version of every attachment URL a page linked, and the article at that page
ATTACHMENT_HITS = """attachment_hits(id) AS (
  SELECT DISTINCT u.article_id FROM attachments t
  JOIN attachment_urls au ON au.attachment_id = t.id
  JOIN attachment_links l ON l.attachment_url = au.canonical_url
  JOIN article_urls u ON u.canonical_url = l.page_url
  WHERE kexie_match(:q, t.text, NULL))"""


def found_source(mode: str) -> tuple[str, str]:
    """(extra CTE, the row source of (id, score, via)) for a search in this attachments mode."""
    if mode == "none":
        return "", "(SELECT id, score, 'text' AS via FROM hits)"
    if mode == "only":
        return ATTACHMENT_HITS, "(SELECT id, 0.0 AS score, 'attachment' AS via FROM attachment_hits)"
    return ATTACHMENT_HITS, ("(SELECT id, score, 'text' AS via FROM hits UNION ALL SELECT id, 0.0, 'attachment'"
                             " FROM attachment_hits WHERE id NOT IN (SELECT id FROM hits))")


def has_attachments(conn: Any) -> bool:
    """Whether the archive has the attachment tables (one written before them, opened read-only, has not)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'attachment_links'").fetchone() is not None


def matching_attachments(conn: sqlite3.Connection, article_id: int, query: str) -> list[dict[str, Any]]:
    """The attachments of an article whose text contains the query: name, url and a snippet."""
    cursor = conn.execute(
        "SELECT DISTINCT au.name, au.url, kexie_snippet(t.text, :q) FROM attachments t"
        " JOIN attachment_urls au ON au.attachment_id = t.id JOIN attachment_links l ON l.attachment_url ="
        " au.canonical_url JOIN article_urls u ON u.canonical_url = l.page_url WHERE u.article_id = :id"
        " AND kexie_match(:q, t.text, NULL) ORDER BY au.url", {"q": query, "id": article_id})
    return [{"name": name, "url": url, "snippet": snippet} for name, url, snippet in cursor]
