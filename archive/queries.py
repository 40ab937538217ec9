"""Read-only access for people: plain SQL, search with filters, and the SQL the report shares with Datasette.

Every connection here is opened read-only at the SQLite level (mode=ro, see archive.readonly), so no
statement can change the archive. Search uses the 1-gram/2-gram index of archive.search and returns
exactly the articles whose title and text satisfy the query (archive/search_syntax.py: words that must all
occur, OR, -word, "phrase", each found like Ctrl-F, folded for script, case and width), ranked by bm25.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# opening read-only lives in archive.readonly; these names stay importable from here
from archive.attachment_search import found_source, has_attachments, matching_attachments
from archive.readonly import ArchiveMissing as ArchiveMissing
from archive.readonly import connect_read_only as connect_read_only
from archive.readonly import run_sql as run_sql

SORTS = {"rank": "pscore, pid DESC", "newest": "pdate DESC, pid DESC", "oldest": "pdate, pid"}

# Articles still waiting in search_queue are not in the index yet: they are scanned instead.
HITS = """hits(id, score) AS (
  SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH kexie_fts_query(:q)
    AND rowid NOT IN (SELECT article_id FROM search_queue)
  UNION ALL
  SELECT a.id, 0.0 FROM search_queue q CROSS JOIN articles a ON a.id = q.article_id
  WHERE kexie_match(:q, a.title, a.text))"""
UNRANKED_HITS = HITS.replace("SELECT rowid, rank FROM", "SELECT rowid, 0.0 FROM")  # counting needs no bm25

ARTICLES_PER_SITE_MONTH = """SELECT a.site, coalesce(s.name, a.site) AS site_name,
       substr(a.published_at, 1, 7) AS month, count(*) AS articles
FROM articles a LEFT JOIN sites s ON s.key = a.site
WHERE a.id NOT IN (SELECT article_id FROM near_duplicates)
GROUP BY a.site, month ORDER BY a.site, month"""

CRAWL_HEALTH = """SELECT s.key AS site, s.name, s.level, s.region,
  (SELECT count(*) FROM articles a WHERE a.site = s.key) AS articles,
  (SELECT max(published_at) FROM articles a WHERE a.site = s.key) AS latest_article,
  (SELECT count(*) FROM crawl_runs r WHERE r.site = s.key) AS runs,
  r.started_at AS last_run, r.finish_reason AS last_finish, r.duration_s AS last_duration_s,
  r.fetched AS last_fetched, r.stored AS last_stored, r.duplicates AS last_duplicates,
  r.rejected AS last_rejected, r.errors AS last_errors,
  (SELECT count(*) FROM rejects j WHERE j.site = s.key) AS rejects
FROM sites s LEFT JOIN crawl_runs r ON r.id = (SELECT max(id) FROM crawl_runs WHERE site = s.key)
ORDER BY s.key"""


@dataclass(frozen=True)
class Filters:
    """What `kexie search` and `kexie export` narrow by; dates are inclusive YYYY-MM-DD."""

    sites: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    region: str = ""  # a part of the site's region: 湖南 matches 湖南省长沙市
    since: str = ""
    until: str = ""
    with_duplicates: bool = False

    def where(self, id_column: str = "a.id", table: str = "a", date: str = "published_at",
              near: bool = True) -> tuple[list[str], dict[str, Any]]:
        """(SQL conditions on `articles a` — or on another table with a site and a date column, such
        as `pages p` by fetched_at for WARC —, their parameters)."""
        conds: list[str] = []
        params: dict[str, Any] = {}
        if self.sites:
            conds.append(f"{table}.site IN (SELECT value FROM json_each(:sites))")
            params["sites"] = json.dumps(list(self.sites))
        if self.levels:
            conds.append(f"{table}.site IN (SELECT key FROM sites"
                         " WHERE level IN (SELECT value FROM json_each(:levels)))")
            params["levels"] = json.dumps(list(self.levels))
        if self.region:
            conds.append(f"{table}.site IN (SELECT key FROM sites WHERE instr(region, :region) > 0)")
            params["region"] = self.region
        if self.since:
            conds.append(f"{table}.{date} >= :since")
            params["since"] = self.since
        if self.until:
            conds.append(f"{table}.{date} < date(:until, '+1 day')")
            params["until"] = self.until
        if near and not self.with_duplicates:
            conds.append(f"{id_column} NOT IN (SELECT article_id FROM near_duplicates)")
        return conds, params

    @property
    def needs_articles(self) -> bool:
        return bool(self.sites or self.levels or self.region or self.since or self.until)


def day(value: str, last: bool = False) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD as one day: the first of the span, or its last (for an inclusive --until)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    if match:
        year, month = int(match[1]), int(match[2] or (12 if last else 1))
        try:
            if match[3]:
                return date(year, month, int(match[3])).isoformat()
            if not last:
                return date(year, month, 1).isoformat()
            return (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).isoformat()
        except ValueError:
            pass
    raise ValueError(f"{value!r}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD")


@dataclass
class SearchResult:
    total: int
    hits: list[dict[str, Any]]


def search_sql(filters: Filters, sort: str = "rank", count: bool = False,
               attachments: str = "none") -> tuple[str, dict[str, Any]]:
    """The SQL of one search page (:q, :limit, :offset), or of its total with count=True; `attachments`
    also, only or none: whether articles whose attachments contain the query count (archive/attachment_search.py)."""
    conds, params = filters.where("h.id")
    extra, found = found_source(attachments)
    join = filters.needs_articles or sort != "rank"
    source = f"{found} h" + (" JOIN articles a ON a.id = h.id" if join else "")
    where = f" WHERE {' AND '.join(conds)}" if conds else ""
    ctes = ", ".join(part for part in (HITS, extra) if part)
    if count:
        return f"WITH {ctes.replace(HITS, UNRANKED_HITS)} SELECT count(*) FROM {source}{where}", params
    date = "a.published_at" if join else "NULL"
    page = (f"page AS (SELECT h.id AS pid, h.score AS pscore, h.via AS pvia, {date} AS pdate FROM {source}{where}"
            f" ORDER BY {SORTS[sort]} LIMIT :limit OFFSET :offset)")
    return (f"WITH {ctes}, {page} SELECT a.id, a.site, s.name AS site_name, s.level, s.region, a.published_at,"
            " a.title, a.url, kexie_snippet(a.text, :q) AS snippet, round(-pscore, 3) AS score, pvia AS found_in"
            f" FROM page JOIN articles a ON a.id = pid LEFT JOIN sites s ON s.key = a.site ORDER BY {SORTS[sort]}",
            params)


def search_conn(conn: sqlite3.Connection, text: str, filters: Filters | None = None, sort: str = "rank",
                limit: int = 20, offset: int = 0, total: bool = True, attachments: str = "none") -> SearchResult:
    """Articles whose title or text contains `text` (or whose attachments do: `attachments` also or
    only); limit=-1 for all of them. A hit found in attachments lists them (name, url, snippet)."""
    filters = filters or Filters()
    if not has_attachments(conn):
        attachments = "none"
    sql, params = search_sql(filters, sort, attachments=attachments)
    rows = [dict(r) for r in conn.execute(sql, {**params, "q": text, "limit": limit, "offset": offset})]
    for row in rows if attachments != "none" else ():  # which attachments match, for text hits too
        found = matching_attachments(conn, row["id"], text)
        if found:
            row["attachments"] = found
    count = -1
    if total:
        sql, params = search_sql(filters, sort, count=True, attachments=attachments)
        count = int(conn.execute(sql, {**params, "q": text}).fetchone()[0])
    return SearchResult(count, rows)
