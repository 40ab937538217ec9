"""Chinese full-text search with Ctrl-F semantics: an FTS5 index of the character 2-grams of every article.

SQLite's tokenizers fail on Chinese (unicode61 makes a whole run of Han one token; trigram finds
nothing under three characters, and on 3.40 its LIKE returns nothing either), so the index holds
every adjacent pair of characters of the folded text and title, Lucene CJK-bigram style but over all
characters, Latin, digits, punctuation and spaces included. A query of n >= 2 characters is the phrase
of its n-1 overlapping 2-grams, which matches exactly where the folded query is a substring; a query
of one character is a prefix query, served by a 1-character prefix index (the last character of a
column is paired with END so it starts a 2-gram too). No segmentation, no false hits, no re-check.

Tokenising needs Python, and a trigger that calls Python breaks every writer that has not registered
the function, so the triggers are plain SQL: they queue the changed article (with the old title and
text, which the contentless index needs to delete its tokens). `update_index` drains the queue;
until then searches stay exact by scanning the queued articles (see archive.queries).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from archive.search_text import COLUMNS, TOKENCHARS, TOKENS_VERSION, grams
from archive.writer import immediate

RANK = "bm25(1.0, 10.0)"  # a hit in the title weighs like ten in the text (bm25 saturates repeats)
BATCH = 500


def _ddl() -> list[str]:
    tokenchars = TOKENCHARS.replace("'", "''").replace('"', '""')
    keep_old = ("INSERT INTO search_queue (article_id, indexed, old_title, old_text) SELECT old.id, 1, old.title,"
                " old.text WHERE NOT EXISTS (SELECT 1 FROM search_queue WHERE article_id = old.id);")
    add_new = ("INSERT INTO search_queue (article_id, indexed) SELECT new.id, 0"
               " WHERE NOT EXISTS (SELECT 1 FROM search_queue WHERE article_id = new.id);")
    return [
        # indexed = 1: articles_fts holds the tokens of old_title/old_text for this id, to be deleted
        "CREATE TABLE IF NOT EXISTS search_queue (article_id INTEGER PRIMARY KEY, indexed INTEGER NOT NULL,"
        " old_title TEXT, old_text TEXT)",
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5({', '.join(COLUMNS)},
            tokenize="ascii tokenchars '{tokenchars}'", prefix='1', content='')""",
        f"CREATE TRIGGER IF NOT EXISTS articles_search_ai AFTER INSERT ON articles BEGIN {add_new} END",
        f"""CREATE TRIGGER IF NOT EXISTS articles_search_au AFTER UPDATE OF id, title, text ON articles
            WHEN old.id IS NOT new.id OR old.title IS NOT new.title OR old.text IS NOT new.text
            BEGIN {keep_old} {add_new} END""",
        f"CREATE TRIGGER IF NOT EXISTS articles_search_ad AFTER DELETE ON articles BEGIN {keep_old} END",
        "DROP VIEW IF EXISTS articles_overview",  # CAST gives is_duplicate an affinity: ?is_duplicate=0 works
        """CREATE VIEW articles_overview AS
           SELECT a.id, a.published_at, substr(a.published_at, 1, 4) AS year, a.site, s.name AS site_name,
                  s.level, s.region, a.title, a.url, a.author, a.source,
                  CAST(n.article_id IS NOT NULL AS INTEGER) AS is_duplicate, n.original_id AS duplicate_of
           FROM articles a LEFT JOIN sites s ON s.key = a.site LEFT JOIN near_duplicates n ON n.article_id = a.id""",
    ]


def ensure_search_index(db: sqlite_utils.Database) -> None:
    """Create the index, its queue and triggers (and the articles_overview view) and index every article.

    Idempotent: a second call only drains the queue; a TOKENS_VERSION change rebuilds the index.
    """
    with db.atomic():
        db.execute("CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM search_meta WHERE key = 'tokens'").fetchone()
        stale = row is None or row[0] != TOKENS_VERSION
        if stale:  # another layout of the index (or none): start again
            db.execute("DROP TABLE IF EXISTS articles_fts")
        for statement in _ddl():
            db.execute(statement)
        if stale:
            rebuild_index(db)
        if db.execute("SELECT v FROM articles_fts_config WHERE k = 'rank'").fetchone() != (RANK,):
            db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', ?)", [RANK])
    update_index(db)


def rebuild_index(db: sqlite_utils.Database) -> None:
    """Empty the index and queue every article (for a changed tokenizer or a drifted index)."""
    with db.atomic():
        db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
        db.execute("DELETE FROM search_queue")
        db.execute("INSERT INTO search_queue (article_id, indexed) SELECT id, 0 FROM articles")
        db.execute("INSERT OR REPLACE INTO search_meta (key, value) VALUES ('tokens', ?)", [TOKENS_VERSION])


def up_to_date(conn: sqlite3.Connection) -> bool:
    """Whether the index exists in this layout with nothing queued (read-only check)."""
    try:
        version = conn.execute("SELECT value FROM search_meta WHERE key = 'tokens'").fetchone()
        queued = conn.execute("SELECT 1 FROM search_queue LIMIT 1").fetchone()
        return version is not None and version[0] == TOKENS_VERSION and queued is None
    except sqlite3.OperationalError:  # no such table
        return False


def has_index(conn: Any) -> bool:
    """Whether the archive has its search index (`kexie index` creates it once)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_queue'").fetchone() is not None


def pending(db: sqlite_utils.Database) -> int:
    """How many articles wait for `update_index` (searches scan them meanwhile)."""
    return int(db.execute("SELECT count(*) FROM search_queue").fetchone()[0])


def update_index(db: sqlite_utils.Database, ids: Iterable[int] | None = None) -> int:
    """Index queued articles (all, or only `ids`), in batches; returns how many were processed.

    Each batch reads and writes under one write lock (BEGIN IMMEDIATE), so a crawl writing at the
    same time cannot slip a change between the read and the indexing.
    """
    wanted = None if ids is None else sorted(set(ids))
    done, cols = 0, ", ".join(COLUMNS)
    while wanted is None or wanted:
        batch, wanted = (None, None) if wanted is None else (wanted[:BATCH], wanted[BATCH:])
        with immediate(db):
            where = "q.article_id IN (SELECT value FROM json_each(?))" if batch else "1 LIMIT ?"
            rows = db.execute(
                "SELECT q.article_id, q.indexed, q.old_title, q.old_text, a.id, a.title, a.text FROM search_queue q"
                f" LEFT JOIN articles a ON a.id = q.article_id WHERE {where}",
                [json.dumps(batch) if batch else BATCH]).fetchall()
            db.conn.executemany(f"INSERT INTO articles_fts (articles_fts, rowid, {cols}) VALUES ('delete', ?, ?, ?)",
                                [(r[0], grams(r[3] or ""), grams(r[2] or "")) for r in rows if r[1]])
            db.conn.executemany(f"INSERT INTO articles_fts (rowid, {cols}) VALUES (?, ?, ?)",
                                [(r[0], grams(r[6] or ""), grams(r[5] or "")) for r in rows if r[4] is not None])
            db.conn.executemany("DELETE FROM search_queue WHERE article_id = ?", [(r[0],) for r in rows])
        done += len(rows)
        if batch is None and not rows:
            break
    return done


