"""`kexie reextract`: today's extraction on the stored pages; nothing to change on a fresh crawl,
and a tampered article is put back, search index included, without a fetch."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.sampleweb.server import SampleWeb
from pipelines.extract import EXTRACTOR_VERSION

from .test_search import kx, sample_archive, search_ids

FIELDS = "id, title, text, text_original, author, editor, source, published_at, date_source, content_hash"


@pytest.fixture
def archive_db(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_archive(sample_web, tmp_path_factory)


def snapshot(db: Path) -> list[tuple[object, ...]]:
    return sqlite3.connect(db).execute(f"SELECT {FIELDS} FROM articles ORDER BY id").fetchall()


def test_a_fresh_crawl_has_nothing_to_change(archive_db: Path) -> None:
    before = snapshot(archive_db)
    out = kx("reextract", db=archive_db).stdout
    assert out.strip().splitlines()[-1] == (f"{len(before)} articles re-extracted with {EXTRACTOR_VERSION}:"
                                           " 0 changed, 0 left as is")
    assert snapshot(archive_db) == before


def test_a_tampered_article_is_restored_and_found_again(archive_db: Path) -> None:
    conn = sqlite3.connect(archive_db)
    victim, site, title, text, published = conn.execute(
        "SELECT id, site, title, text, published_at FROM articles WHERE length(text) > 200 ORDER BY id").fetchone()
    phrase = text[100:108]
    other = conn.execute("SELECT id FROM articles WHERE site != ? ORDER BY id", [site]).fetchone()[0]
    with conn:
        conn.execute("UPDATE articles SET text = '被篡改的正文', title = '被篡改', published_at = '1999-01-01',"
                     " extractor_version = 'old' WHERE id = ?", [victim])
        conn.execute("UPDATE articles SET text = text || '多余' WHERE id = ?", [other])
    kx("index", db=archive_db)
    assert victim not in search_ids(archive_db, phrase, "--with-duplicates")

    dry = kx("reextract", "--site", site, "--dry-run", db=archive_db).stdout
    assert f"#{victim} " in dry and "(dry run: nothing written)" in dry and f"#{other} " not in dry
    assert conn.execute("SELECT title FROM articles WHERE id = ?", [victim]).fetchone()[0] == "被篡改"

    out = kx("reextract", "--site", site, db=archive_db).stdout
    line = next(line for line in out.splitlines() if line.startswith(f"#{victim} "))
    assert "title '被篡改' → " in line and "text 6 → " in line and "published_at '1999-01-01' → " in line
    assert out.strip().endswith("1 changed, 0 left as is")
    assert conn.execute("SELECT title, text, published_at, extractor_version FROM articles WHERE id = ?",
                        [victim]).fetchone() == (title, text, published, EXTRACTOR_VERSION)
    assert conn.execute("SELECT count(*) FROM search_queue").fetchone()[0] == 0
    assert victim in search_ids(archive_db, phrase, "--with-duplicates")
    assert search_ids(archive_db, "被篡改", "--with-duplicates") == []
    assert conn.execute("SELECT title, published_at FROM article_urls WHERE article_id = ? AND kind = 'original'",
                        [victim]).fetchone() == (title, published)
    other_text = conn.execute("SELECT text FROM articles WHERE id = ?", [other]).fetchone()[0]
    assert other_text.endswith("多余")  # another site: not re-extracted


def test_since_limits_the_articles_checked(archive_db: Path) -> None:
    conn = sqlite3.connect(archive_db)
    newer = conn.execute("SELECT count(*) FROM articles WHERE published_at >= '2023-01-01'").fetchone()[0]
    out = kx("reextract", "--since", "2023", db=archive_db).stdout
    assert out.strip().splitlines()[-1].startswith(f"{newer} articles re-extracted")


def test_worker_processes_give_the_in_process_answers_in_order(archive_db: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches cross the worker pool with the next one in flight: same outcomes, same order."""
    from archive.db import Archive
    from crawler.cli_maintain import site_hints
    from pipelines import reextract as module

    monkeypatch.setattr(module, "BATCH", 7)  # several batches from the small sample archive
    conn = sqlite3.connect(archive_db)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    tampered = ids[::3]
    with conn:
        conn.executemany("UPDATE articles SET title = '被篡改' WHERE id = ?", [[i] for i in tampered])
    archive = Archive(archive_db)
    try:
        hints = site_hints(archive.db)
        runs = {w: [(o.article_id, o.describe()) for o in module.reextract(archive.db, hints, ids, True, w)]
                for w in (0, 2)}
    finally:
        archive.close()
    assert len(ids) > 3 * module.BATCH
    assert runs[2] == runs[0]
    assert [i for i, _ in runs[2]] == tampered
