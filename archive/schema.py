"""Archive schema, versioned: each migration runs once, in order, recorded in `migrations`.

Plain tables a person can query with SQL or browse in Datasette. Add a migration at the end
of MIGRATIONS to change the schema; never edit one that has shipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from archive.schema_attachments import migrate_attachments
from archive.schema_v4 import migrate_v4


def _v1(db: sqlite_utils.Database) -> None:
    """Sites, raw pages, articles with every URL that carried them, rejects and crawl runs."""
    db.table("sites").create(
        {"key": str, "name": str, "level": str, "region": str, "official": int, "spam": int,
         "verified": int, "base_url": str, "config_path": str, "updated_at": str},
        pk="key",
    )
    db.table("crawl_runs").create(
        {"id": int, "site": str, "started_at": str, "finished_at": str, "finish_reason": str,
         "requests": int, "fetched": int, "stored": int, "duplicates": int, "unchanged": int,
         "rejected": int, "errors": int, "rejects_by_reason": str, "errors_by_status": str,
         "duration_s": float},
        pk="id", foreign_keys=[("site", "sites", "key")],
    )
    db.table("pages").create(
        {"id": int, "url": str, "site": str, "status": int, "headers": str, "body": bytes,
         "body_sha1": str, "encoding": str, "fetched_at": str, "run_id": int},
        pk="id", foreign_keys=[("site", "sites", "key"), ("run_id", "crawl_runs", "id")],
    )
    db.table("pages").create_index(["url", "body_sha1"], unique=True)
    db.table("pages").create_index(["site"])
    db.table("articles").create(
        {"id": int, "site": str, "url": str, "canonical_url": str, "title": str, "author": str,
         "editor": str, "source": str, "published_at": str, "date_source": str, "date_raw": str,
         "text": str, "text_original": str, "content_hash": str, "fetched_at": str,
         "extractor_version": str, "page_id": int},
        pk="id", foreign_keys=[("site", "sites", "key"), ("page_id", "pages", "id")],
    )
    db.table("articles").create_index(["content_hash"], unique=True)
    db.table("articles").create_index(["site", "published_at"])
    db.table("articles").create_index(["published_at"])
    db.table("article_urls").create(
        {"id": int, "article_id": int, "url": str, "canonical_url": str, "site": str, "kind": str,
         "title": str, "published_at": str, "fetched_at": str, "page_id": int},
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("site", "sites", "key"), ("page_id", "pages", "id")],
    )
    db.table("article_urls").create_index(["canonical_url"], unique=True)
    db.table("article_urls").create_index(["article_id"])
    db.table("rejects").create(
        {"id": int, "url": str, "canonical_url": str, "site": str, "reason": str, "detail": str,
         "title": str, "page_id": int, "fetched_at": str, "run_id": int},
        pk="id", foreign_keys=[("site", "sites", "key"), ("page_id", "pages", "id")],
    )
    db.table("rejects").create_index(["canonical_url"], unique=True)
    db.table("rejects").create_index(["reason"])
    db.create_view(
        "duplicates",
        """SELECT u.article_id, a.title AS original_title, a.site AS original_site, a.url AS original_url,
                  u.site, u.url, u.kind, u.title, u.fetched_at
           FROM article_urls u JOIN articles a ON a.id = u.article_id
           WHERE u.kind != 'original'""",
    )


def _v2(db: sqlite_utils.Database) -> None:
    """Near duplicates: a stored article whose text is mostly another's (a syndicated or cut copy).

    Exact copies are not stored as articles (they are rows of article_urls); near copies are,
    because their text differs, and are linked here. The `duplicates` view shows both kinds.
    """
    db.table("near_duplicates").create(
        {"article_id": int, "original_id": int, "similarity": float, "detected_at": str},
        pk="article_id", foreign_keys=[("article_id", "articles", "id"), ("original_id", "articles", "id")],
    )
    db.table("near_duplicates").create_index(["original_id"])
    db.execute("DROP VIEW IF EXISTS duplicates")
    db.create_view(
        "duplicates",
        """SELECT u.article_id AS original_id, a.title AS original_title, a.site AS original_site,
                  a.url AS original_url, NULL AS article_id, u.site, u.url, u.kind, 1.0 AS similarity,
                  u.title, u.fetched_at
           FROM article_urls u JOIN articles a ON a.id = u.article_id
           WHERE u.kind != 'original'
           UNION ALL
           SELECT n.original_id, o.title, o.site, o.url, n.article_id, d.site, d.url, 'near', n.similarity,
                  d.title, d.fetched_at
           FROM near_duplicates n JOIN articles o ON o.id = n.original_id JOIN articles d ON d.id = n.article_id""",
    )


def _v3(db: sqlite_utils.Database) -> None:
    """MinHash sketches with their LSH band keys, text versions, and duplicate clusters as a view.

    A new text is checked against the whole archive by looking up its band keys in
    `near_bands` (one index seek per band), then comparing the few candidates' signatures, so
    no text is re-read and no index is held in memory. `versions` keeps every text an
    article's own URL has carried once it changed (version 1 is the first); the article row
    holds the current one. `duplicate_clusters` lists every URL of every text seen at more than
    one place, grouped by the original article (`cluster_id`).
    """
    db.execute(
        "CREATE TABLE near_signatures (article_id INTEGER PRIMARY KEY REFERENCES articles(id),"
        " shingles INTEGER NOT NULL, signature BLOB NOT NULL)"
    )
    db.execute(
        "CREATE TABLE near_bands (band_key INTEGER NOT NULL, article_id INTEGER NOT NULL REFERENCES articles(id),"
        " PRIMARY KEY (band_key, article_id)) WITHOUT ROWID"
    )
    db.table("versions").create(
        {"id": int, "article_id": int, "version": int, "title": str, "text": str, "text_original": str,
         "content_hash": str, "published_at": str, "page_id": int, "fetched_at": str},
        pk="id", not_null={"article_id", "version"},
        foreign_keys=[("article_id", "articles", "id"), ("page_id", "pages", "id")],
    )
    db.table("versions").create_index(["article_id", "version"], unique=True)
    db.create_view(
        "duplicate_clusters",
        """SELECT coalesce(n.original_id, u.article_id) AS cluster_id, u.article_id,
                  CASE WHEN n.article_id IS NOT NULL AND u.kind = 'original' THEN 'near' ELSE u.kind END AS kind,
                  coalesce(n.similarity, 1.0) AS similarity, u.site, s.name AS site_name, s.official, s.spam,
                  u.url, u.title, u.published_at, u.fetched_at
           FROM article_urls u JOIN sites s ON s.key = u.site
           LEFT JOIN near_duplicates n ON n.article_id = u.article_id
           WHERE coalesce(n.original_id, u.article_id) IN (SELECT original_id FROM near_duplicates
                 UNION SELECT article_id FROM article_urls WHERE kind != 'original')""",
    )


def _v5(db: sqlite_utils.Database) -> None:
    """The crawl frontier (archive/frontier.py) and honest run outcomes.

    `frontier` holds a site's list pages, sitemaps, feeds and article pages still to visit
    (pending when a crawl was interrupted, failed when the server failed); the next crawl asks
    for them again. `sites.backfill_completed_at` says the site's backlog was walked to the end
    once. `crawl_runs.lost` counts pages that were fetched but could not be stored (disk full, the
    archive locked); `complete` is 1 when the run left nothing to resume.
    """
    db.table("frontier").create(
        {"site": str, "url": str, "kind": str, "state": str, "attempts": int, "reason": str, "run_id": int,
         "updated_at": str},
        pk=("site", "url"), not_null={"site", "url", "kind", "state"}, defaults={"attempts": 0},
    )
    db.table("sites").add_column("backfill_completed_at", str)
    db.table("crawl_runs").add_column("lost", int)
    db.table("crawl_runs").add_column("complete", int)
    # a crawl of thousands of sites looks up each site's last run as the site's turn comes
    db.table("crawl_runs").create_index(["site", "started_at"])


def _v6(db: sqlite_utils.Database) -> None:
    """Distributed crawls (`kexie worker`, `kexie archiver`): which worker crawled a run, and how far
    the archiver has applied Redis's pages stream. `stream_positions` is written in the same
    transaction as the pages, so a message redelivered after a crash is recognised and skipped."""
    db.table("crawl_runs").add_column("worker", str)
    db.table("stream_positions").create({"stream": str, "last_id": str, "updated_at": str}, pk="stream")


def _v7(db: sqlite_utils.Database) -> None:
    """Boilerplate learned per site (crawler/learned.py), kept once learned: re-derived from the stored
    texts at each crawl, a line came back as soon as the texts cleaned without it outnumbered the
    older ones. first_seen: the crawl that learned it; last_seen and articles: the last crawl whose
    recent texts still showed it repeated, and in how many of them."""
    db.table("learned_boilerplate").create(
        {"site": str, "line": str, "first_seen": str, "last_seen": str, "articles": int},
        pk=("site", "line"), not_null={"site", "line", "first_seen", "last_seen"},
    )


def _v8(db: sqlite_utils.Database) -> None:
    """The archive's identity (archive/identity.py): a UUID made once, carried by every job and page
    of a distributed crawl, so an archiver refuses pages queued from another archive. And which
    Redis queue a run was queued to (`crawl_runs.queue`), so a run whose job Redis lost is found."""
    db.table("archive_identity").create({"id": str, "created_at": str}, pk="id", not_null={"id"})
    db.table("archive_identity").insert({"id": str(uuid.uuid4()), "created_at": datetime.now(UTC).isoformat()})
    db.table("crawl_runs").add_column("queue", str)


def _v10(db: sqlite_utils.Database) -> None:
    """A site's learned main-content container (extract/learning.py), kept between crawls so the next
    crawl takes its pages' text from it from its first page; its row goes when a crawl drops it.
    chars and link_share are the limits a page's container must keep, extra the lines left out
    (a JSON list); run_id is the run that learned it."""
    db.table("learned_containers").create(
        {"site": str, "xpath": str, "chars": int, "link_share": float, "extra": str, "run_id": int,
         "learned_at": str},
        pk="site", not_null={"site", "xpath", "chars", "link_share"},
    )


# v4: Chinese substring search (archive/search.py): FTS5 over character 2-grams, kept in step by triggers
# _v8: the archive's identity (distributed crawls); migrate_attachments: issue 24's attachments
# (archive/schema_attachments.py); _v10: learned containers
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, migrate_v4, _v5, _v6, _v7, _v8,
                                                              migrate_attachments, _v10]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(db: sqlite_utils.Database) -> int:
    if "migrations" not in db.table_names():
        return 0
    return int(db.execute("SELECT coalesce(max(version), 0) FROM migrations").fetchone()[0])


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the archive up to SCHEMA_VERSION; returns how many migrations ran.

    Two processes may open a new archive at once (overlapping cron runs): the whole upgrade runs
    under BEGIN IMMEDIATE, which waits for the other writer, and the version is read inside it,
    so each migration runs exactly once.
    """
    if "migrations" in db.table_names() and current_version(db) == SCHEMA_VERSION:
        return 0
    db.execute("BEGIN IMMEDIATE")
    try:
        if "migrations" not in db.table_names():
            db.table("migrations").create({"version": int, "applied_at": str}, pk="version")
        done = current_version(db)
        for version, step in enumerate(MIGRATIONS[done:], start=done + 1):
            step(db)
            db.table("migrations").insert({"version": version, "applied_at": datetime.now(UTC).isoformat()})
    except BaseException:
        db.rollback()
        raise
    db.commit()
    return SCHEMA_VERSION - done
