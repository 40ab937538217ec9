"""Schema v4 as shipped: the Chinese search index's tables, triggers and view, frozen.

The live definition is archive/search.py (`ensure_search_index`, run by `kexie index` too); this copy
keeps migration v4 what it was when it shipped, so changing the live one never changes an old
migration (tests/test_layout.py checks that shipped migrations stay as they are). A later change
to the index's layout is a new migration, or a TOKENS_VERSION bump that ensure_search_index
applies to every archive.
"""

# ruff: noqa: E501 - the statements verbatim, as they shipped

from __future__ import annotations

import sqlite_utils

_TOKENS_VERSION = '2'
_RANK = 'bm25(1.0, 10.0)'
_DDL = (
    'CREATE TABLE IF NOT EXISTS search_queue (article_id INTEGER PRIMARY KEY, indexed INTEGER NOT NULL, old_title TEXT, old_text TEXT)',
    'CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(text_2gram, title_2gram,\n            tokenize="ascii tokenchars \'!""#$%&\'\'()*+,-./:;<=>?@[\\]^_`{|}~\'", prefix=\'1\', content=\'\')',
    'CREATE TRIGGER IF NOT EXISTS articles_search_ai AFTER INSERT ON articles BEGIN INSERT INTO search_queue (article_id, indexed) SELECT new.id, 0 WHERE NOT EXISTS (SELECT 1 FROM search_queue WHERE article_id = new.id); END',
    'CREATE TRIGGER IF NOT EXISTS articles_search_au AFTER UPDATE OF id, title, text ON articles\n            WHEN old.id IS NOT new.id OR old.title IS NOT new.title OR old.text IS NOT new.text\n            BEGIN INSERT INTO search_queue (article_id, indexed, old_title, old_text) SELECT old.id, 1, old.title, old.text WHERE NOT EXISTS (SELECT 1 FROM search_queue WHERE article_id = old.id); INSERT INTO search_queue (article_id, indexed) SELECT new.id, 0 WHERE NOT EXISTS (SELECT 1 FROM search_queue WHERE article_id = new.id); END',
    'CREATE TRIGGER IF NOT EXISTS articles_search_ad AFTER DELETE ON articles BEGIN INSERT INTO search_queue (article_id, indexed, old_title, old_text) SELECT old.id, 1, old.title, old.text WHERE NOT EXISTS (SELECT 1 FROM search_queue WHERE article_id = old.id); END',
    'DROP VIEW IF EXISTS articles_overview',
    'CREATE VIEW articles_overview AS\n           SELECT a.id, a.published_at, substr(a.published_at, 1, 4) AS year, a.site, s.name AS site_name,\n                  s.level, s.region, a.title, a.url, a.author, a.source,\n                  CAST(n.article_id IS NOT NULL AS INTEGER) AS is_duplicate, n.original_id AS duplicate_of\n           FROM articles a LEFT JOIN sites s ON s.key = a.site LEFT JOIN near_duplicates n ON n.article_id = a.id',
)


def migrate_v4(db: sqlite_utils.Database) -> None:
    """Create the search index, its queue, triggers and the articles_overview view, and index every
    article (the data work is archive/search.py's)."""
    from archive.search import rebuild_index, update_index

    db.execute("CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT)")
    row = db.execute("SELECT value FROM search_meta WHERE key = 'tokens'").fetchone()
    stale = row is None or row[0] != _TOKENS_VERSION
    if stale:
        db.execute("DROP TABLE IF EXISTS articles_fts")
    for statement in _DDL:
        db.execute(statement)
    if stale:
        rebuild_index(db)
    if db.execute("SELECT v FROM articles_fts_config WHERE k = 'rank'").fetchone() != (_RANK,):
        db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', ?)", [_RANK])
    update_index(db)
