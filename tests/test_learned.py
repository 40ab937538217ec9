"""Per-site boilerplate learned from the archive: a slogan in every article is dropped next time."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from .test_schedule import SITE, add_articles, article_paths, crawl_due, site_copy  # noqa: F401 - fixture

SLOGAN = "弘扬科学精神 普及科学知识 南阳网科教频道宣"


def test_a_line_in_most_articles_is_learned_as_boilerplate(site_copy, tmp_path: Path) -> None:  # noqa: F811
    web, site_dir, sites = site_copy
    for path in article_paths(site_dir):
        page = site_dir / path.lstrip("/")
        page.write_text(page.read_text("utf-8").replace("</p>", f"</p><p>{SLOGAN}</p>", 1), encoding="utf-8")
    db = tmp_path / "a.db"
    crawl_due(web, sites, db)
    with sqlite3.connect(db) as conn:
        first = [t for (t,) in conn.execute("SELECT text FROM articles")]
    assert len(first) >= 5 and all(SLOGAN in t for t in first), "the slogan should survive the generic rules"
    new = add_articles(site_dir, 3)
    for path in new:  # the new pages carry the bare slogan line too
        page = site_dir / path.lstrip("/")
        page.write_text(re.sub(f"{SLOGAN}新增第.*?测试。", SLOGAN, page.read_text("utf-8")), encoding="utf-8")
    crawl_due(web, sites, db)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, text FROM articles").fetchall()
    fresh = [t for url, t in rows if any(url.endswith(p) for p in new)]
    assert len(fresh) == 3 and not any(SLOGAN in t for t in fresh)
    assert all("新增第" in t for t in fresh)
