"""A site's learned main-content container is kept in the archive (`learned_containers`): the site's
next crawl, local or a distributed worker's job, takes its pages' text from it from its first page,
and a crawl whose pages no longer fit it drops it (its row goes)."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from archive.db import Archive
from archive.schema import MIGRATIONS, SCHEMA_VERSION, current_version
from crawler.sitestate import begin_site
from dedupe.writes import ContainerNote
from distributed.wire import SiteJob, decode_job, decode_write, encode_job, encode_write
from extract import learning
from extract.container import Container
from siteconfig.sites import load_site
from tests.conftest import SAMPLE_SITES, SITE
from tests.scheduling import add_articles, article_paths, crawl_due

BOX = Container("//*[@id='zoom']", 60, 0.25, ("打印本页",))


def kept(db: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT l.xpath, r.id FROM learned_containers l JOIN crawl_runs r ON r.id = l.run_id"
                            " WHERE l.site = ?", [SITE]).fetchall()
    return [(xpath, run_id) for xpath, run_id in rows]


def one_template(site_dir: Path, sites: Path) -> None:
    """The site without its content_xpath (it would win over any learned container), and its odd first
    article (another template) rewritten on the others' template: coming back among the pages sent
    before the container was learned, it dropped it (extract/learning.py's check), or not, by the
    order pages came back. add_articles copies this page."""
    path = sites / f"{SITE}.toml"
    path.write_text(re.sub(r"(?m)^content_xpath = .*$", "", path.read_text("utf-8")), encoding="utf-8")
    first, second = article_paths(site_dir)[:2]
    template = (site_dir / second.lstrip("/")).read_text("utf-8")
    (site_dir / first.lstrip("/")).write_text(
        template.replace("</p>", "这是另一篇文章独有的一段话，讲述科协一次活动的经过。</p>", 1), encoding="utf-8")


def container_pages(result_stderr: str) -> int:
    """Pages whose text came from the learned container, from the crawl's stats dump."""
    found = re.search(r"'kexie/extracted_by/container': (\d+)", result_stderr)
    return int(found.group(1)) if found else 0


def test_a_second_crawl_uses_the_container_the_first_learned_from_its_first_page(site_copy, tmp_path: Path) -> None:  # noqa: F811
    web, site_dir, sites = site_copy
    one_template(site_dir, sites)
    db = tmp_path / "a.db"
    crawl_due(web, sites, db)
    first = kept(db)
    assert len(first) == 1, "the first crawl should learn nyrb's container and keep it"
    xpath, first_run = first[0]
    new = add_articles(site_dir, learning.AGREE)  # fewer than a run needs to learn one by itself
    second = crawl_due(web, sites, db, "-s", "LOG_LEVEL=INFO")
    # every new page's text came from the kept container: none had to be learned from again
    assert container_pages(second.stderr) == len(new), second.stderr[-3000:]
    assert kept(db) == [(xpath, first_run)]
    with sqlite3.connect(db) as conn:
        texts = [t for (t,) in conn.execute("SELECT text FROM articles WHERE url LIKE '%/0301/99%'")]
    assert len(texts) == len(new) and all("专门用于增量抓取测试" in t for t in texts)


def test_a_kept_container_the_pages_no_longer_fit_is_dropped(site_copy, tmp_path: Path) -> None:  # noqa: F811
    web, site_dir, sites = site_copy
    one_template(site_dir, sites)
    db = tmp_path / "a.db"
    crawl_due(web, sites, db)
    with sqlite3.connect(db) as conn:  # as if the site's template had changed since
        conn.execute("UPDATE learned_containers SET xpath = ?", ["//*[@id='gone']"])
    add_articles(site_dir, learning.MISSES)
    second = crawl_due(web, sites, db, "-s", "LOG_LEVEL=INFO")
    assert container_pages(second.stderr) == 0
    assert "//*[@id='gone'] dropped" in second.stderr
    assert kept(db) == []


def test_a_distributed_job_carries_the_kept_container_and_its_note_crosses_back(tmp_path: Path) -> None:
    config = load_site(SAMPLE_SITES / f"{SITE}.toml")
    archive = Archive(tmp_path / "a.db")
    note = decode_write(encode_write(ContainerNote(SITE, None, BOX)))  # as the archiver reads a worker's
    assert note == ContainerNote(SITE, None, BOX)
    with archive.db.conn:
        note.apply(archive)
    job = decode_job(encode_job(SiteJob(config, begin_site(archive, config, False))), set())
    assert job.start.container == BOX
    with archive.db.conn:
        decode_write(encode_write(ContainerNote(SITE, None, None))).apply(archive)  # dropped
    assert decode_job(encode_job(SiteJob(config, begin_site(archive, config, False))), set()).start.container is None
    archive.close()


def test_a_v9_archive_migrates_to_learned_containers(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    db.table("migrations").create({"version": int, "applied_at": str}, pk="version")
    for version, step in enumerate(MIGRATIONS[:9], start=1):
        step(db)
        db.table("migrations").insert({"version": version, "applied_at": datetime.now(UTC).isoformat()})
    db.table("sites").insert({"key": SITE, "name": "old"})
    db.conn.close()
    archive = Archive(path)
    assert current_version(archive.db) == SCHEMA_VERSION == 10
    assert archive.db.table("learned_containers").count == 0
    assert [row["name"] for row in archive.db.table("sites").rows] == ["old"]
    archive.close()
