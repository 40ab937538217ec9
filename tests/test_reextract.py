"""`kexie reextract`: today's extraction on the stored pages; nothing to change on a fresh crawl,
and a tampered article is put back, search index included, without a fetch."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from extract.extractor import EXTRACTOR_VERSION
from tests.searching import search_ids
from tools.sampleweb.server import SampleWeb

from .conftest import kexie as kx
from .conftest import sample_archive

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
    from cli.maintain import site_hints
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
        runs = {w: [(o.article_id, o.describe()) for o in module.reextract(archive, hints, ids, True, w)]
                for w in (0, 2)}
    finally:
        archive.close()
    assert len(ids) > 3 * module.BATCH
    assert runs[2] == runs[0]
    assert [i for i, _ in runs[2]] == tampered


# --- the near-duplicate index and the learned boilerplate follow a re-extraction ------------------

GARBAGE = "".join(f"首页{i}栏目导航网站地图联系我们返回顶部第{i}条无关的页面杂项文字，" for i in range(12))


def index_matches_texts(conn: sqlite3.Connection) -> None:
    """Every article's signature and band keys are those of its current text."""
    from dedupe import near

    signatures = {i: (n, bytes(b)) for i, n, b in conn.execute("SELECT article_id, shingles, signature"
                                                                " FROM near_signatures")}
    bands = set(conn.execute("SELECT band_key, article_id FROM near_bands").fetchall())
    expected_bands = set()
    texts = dict(conn.execute("SELECT id, text FROM articles").fetchall())
    for article_id, text in texts.items():
        mine = near.sketch(text)
        assert signatures[article_id] == ((int(mine.shingles.size), mine.blob()) if mine else (0, b"")), article_id
        expected_bands |= {(key, article_id) for key in (mine.band_keys() if mine else [])}
    assert set(signatures) == set(texts) and bands == expected_bands


def links(conn: sqlite3.Connection) -> dict[int, int]:
    return dict(conn.execute("SELECT article_id, original_id FROM near_duplicates").fetchall())


def test_near_duplicate_index_and_links_follow_the_new_texts(archive_db: Path) -> None:
    """A near copy whose text was garbage is linked again; an article whose text wrongly matched
    another is unlinked; every signature and band key is its new text's."""
    from archive.db import Archive, decompress
    from archive.writer import immediate
    from cli.maintain import site_hints
    from dedupe import near
    from dedupe.clusters import refresh, retext
    from dedupe.write import write_page
    from extract.fingerprint import content_hash
    from extract.page import Page
    from extract.process import process

    archive = Archive(archive_db)
    conn = archive.db.conn
    original, site, url, body, text = conn.execute(
        "SELECT a.id, a.site, a.url, p.body, a.text FROM articles a JOIN pages p ON p.id = a.page_id"
        " WHERE p.encoding = 'utf-8' ORDER BY length(a.text) DESC").fetchone()
    other, other_text = conn.execute("SELECT id, text FROM articles WHERE site != ? AND length(text) > 1000"
                                     " ORDER BY id", [site]).fetchone()
    hints = site_hints(archive.db)[site]
    html = decompress(body).decode("utf-8").replace("</p>", "</p><p>转载时加上的一段编者按，原文有删节。</p>", 1)
    copy = process(Page(url=url + "?copy=1", body=html.encode("utf-8"), site=site, fetched_at="2024-01-01",
                        encoding_hint=hints.encoding, boilerplate=hints.boilerplate, site_name=hints.name,
                        content_xpath=hints.content_xpath))
    with immediate(archive.db):
        assert write_page(copy, archive) == "near"  # stored by the crawl's write path as a near copy
    near_copy = conn.execute("SELECT id FROM articles WHERE url = ?", [copy.url]).fetchone()[0]
    assert links(conn) == {near_copy: original}
    wrong = text + "\n一段多出来的话。"
    with immediate(archive.db):  # as an older extractor could have left them, index included
        archive.revise(near_copy, {"text": GARBAGE, "content_hash": content_hash(GARBAGE), "extractor_version": "0"})
        refresh(archive, near_copy, near.sketch(GARBAGE))
        archive.revise(other, {"text": wrong, "content_hash": content_hash(wrong), "extractor_version": "0"})
        retext(archive, other, near.sketch(wrong))
    assert links(conn) in ({other: original}, {original: other})
    index_matches_texts(conn)
    archive.close()

    out = kx("reextract", db=archive_db).stdout
    assert f"#{near_copy} " in out and f"#{other} " in out and out.strip().endswith("2 changed, 0 left as is")
    conn = sqlite3.connect(archive_db)
    assert conn.execute("SELECT text FROM articles WHERE id = ?", [other]).fetchone()[0] == other_text
    assert conn.execute("SELECT text FROM articles WHERE id = ?", [near_copy]).fetchone()[0] == copy.text
    assert links(conn) == {near_copy: original}  # re-evaluated both ways
    index_matches_texts(conn)


def test_learned_boilerplate_is_applied_as_in_the_crawl(archive_db: Path) -> None:
    """reextract gets a site's boilerplate from the function the crawl uses: the site file's
    patterns and the learned lines; a line learned since the crawl leaves the stored text."""
    from archive.db import Archive
    from archive.learned import remember
    from archive.writer import immediate
    from cli.maintain import site_hints
    from crawler.learned import as_patterns
    from crawler.sitestate import begin_site, end_site
    from dedupe import near
    from siteconfig.sites import load_site

    archive = Archive(archive_db)
    conn = archive.db.conn
    victim, site, text, config_path, line = next(
        (*row, ln) for row in conn.execute("SELECT a.id, a.site, a.text, s.config_path FROM articles a JOIN sites s"
                                           " ON s.key = a.site WHERE length(a.text) > 1000 ORDER BY a.id")
        for ln in row[2].splitlines() if 15 < len(ln) <= 80 and "。" in ln)
    with immediate(archive.db):
        remember(archive.db, site, {line: 1}, "2024-01-01")
    start = begin_site(archive, load_site(Path(config_path)), full=True)
    end_site(archive, start.run_id, site, {})
    assert site_hints(archive.db)[site].boilerplate == start.boilerplate  # one definition for both
    assert as_patterns([line])[0] in start.boilerplate
    archive.close()

    out = kx("reextract", "--site", site, db=archive_db).stdout
    assert f"#{victim} " in out
    conn = sqlite3.connect(archive_db)
    new = conn.execute("SELECT text FROM articles WHERE id = ?", [victim]).fetchone()[0]
    assert line not in new.splitlines() and new.replace("\n", "") == text.replace(line, "").replace("\n", "")
    assert conn.execute("SELECT signature FROM near_signatures WHERE article_id = ?",
                        [victim]).fetchone()[0] == near.sketch(new).blob()
    index_matches_texts(conn)
