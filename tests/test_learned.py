"""Per-site boilerplate learned from the archive: a slogan in every article is dropped next time, and
stays dropped round after round (it used to come back once the texts without it outnumbered the others)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from archive.db import Archive
from crawler import learned
from crawler.sitestate import begin_site, end_site
from extract.clean import clean_text
from extract.fingerprint import fingerprint
from extract.page import Page
from siteconfig.sites import SiteConfig
from tests.conftest import SITE
from tests.scheduling import add_articles, article_paths, crawl_due

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
        first_run_ended = conn.execute("SELECT max(finished_at) FROM crawl_runs").fetchone()[0]
    assert len(first) >= 5 and all(SLOGAN in t for t in first), "the slogan should survive the generic rules"
    new = add_articles(site_dir, 3)
    for path in new:  # the new pages carry the bare slogan line too
        page = site_dir / path.lstrip("/")
        page.write_text(re.sub(f"{SLOGAN}新增第.*?测试。", SLOGAN, page.read_text("utf-8")), encoding="utf-8")
    crawl_due(web, sites, db)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, text FROM articles").fetchall()
        kept = conn.execute("SELECT line, first_seen, last_seen, articles FROM learned_boilerplate WHERE site = ?",
                            [SITE]).fetchall()
    fresh = [t for url, t in rows if any(url.endswith(p) for p in new)]
    assert len(fresh) == 3 and not any(SLOGAN in t for t in fresh)
    assert all("新增第" in t for t in fresh)
    row = next(r for r in kept if r[0] == SLOGAN)  # learned by the second crawl, from the first one's articles
    assert row[1] == row[2] >= first_run_ended and row[3] == len(first)


# --- several learning rounds over a real archive, articles stored between them -----------------------

NOTICE = "科普惠民 共建共享 美好家园"  # in 3 articles out of 5
SERIES = "本栏目更多精彩内容请关注公众号"  # in every page, but only for the site's first two rounds
RARE = "欢迎扫码关注南阳科普"  # in 1 article out of 5: never boilerplate
PER_ROUND = 50


def raw_text(round_no: int, i: int) -> str:
    """One page's extracted text before cleaning: its own prose and the site's lines."""
    lines = [f"第{round_no}轮第{i}篇：市科协召开第{round_no * 100 + i}次科普工作会议，部署今年的重点任务，"
             "要求各级科协组织切实加强基层科普能力建设，推动科普示范县创建工作不断取得新成效。", SLOGAN]
    if i % 5 < 3:
        lines.append(NOTICE)
    if round_no <= 2:
        lines.append(SERIES)
    if i % 5 == 4:
        lines.append(RARE)
    return "\n".join([*lines, f"与会代表围绕议题{i}进行了深入交流，一致表示要把会议精神落到实处。"])


def store_round(archive: Archive, config: SiteConfig, round_no: int, boilerplate: tuple[str, ...]) -> None:
    """What a crawl stores: each page cleaned with the site's boilerplate, written by the Archive."""
    archive.begin()
    for i in range(PER_ROUND):
        url = f"http://kx.example/{round_no}/{i}.html"
        page = Page(url=url, body=url.encode(), site=config.key, fetched_at=f"2024-01-0{round_no}",
                    boilerplate=boilerplate, published_at="2024-01-01")
        page.text = clean_text(raw_text(round_no, i), extra_patterns=boilerplate).text
        fingerprint(page)
        archive.add_article(page, archive.add_page(page, None), "test")
    archive.commit()


def test_learned_lines_stay_learned_over_rounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = SiteConfig(key="kx", name="科协", level="city", region="", official=True, base_url="http://kx.example",
                        start_urls=("/",), article_pattern=r"\d+\.html", boilerplate=("^站点文件的规则$",))
    archive = Archive(tmp_path / "a.db")
    learned_by_round, carrying = [], []
    for round_no in range(1, 8):  # a crawl starts each round, and stores 50 articles in rounds 1-6
        monkeypatch.setattr(learned, "now_iso", lambda r=round_no: f"2024-01-0{r}")
        start = begin_site(archive, config, full=False)
        end_site(archive, start.run_id, config.key, {"complete": 1})
        assert start.boilerplate[0] == "^站点文件的规则$"  # the site file's patterns come first
        learned_by_round.append({p[1:-1].replace("\\", "") for p in start.boilerplate[1:]})
        if round_no < 7:
            store_round(archive, config, round_no, start.boilerplate)
            texts = [t for (t,) in archive.db.execute("SELECT text FROM articles WHERE url LIKE ?",
                                                      [f"http://kx.example/{round_no}/%"])]
            carrying.append({line: sum(line in t.splitlines() for t in texts) for line in (SLOGAN, NOTICE, SERIES)})

    # round 1 had nothing to learn from; round 2 learned from round 1's 50 texts; then nothing comes back
    assert learned_by_round == [set()] + [{SLOGAN, NOTICE, SERIES}] * 6
    assert carrying[0] == {SLOGAN: 50, NOTICE: 30, SERIES: 50}
    assert carrying[1:] == [{SLOGAN: 0, NOTICE: 0, SERIES: 0}] * 5
    rare = archive.db.execute("SELECT count(*) FROM articles WHERE text LIKE ?", [f"%{RARE}%"]).fetchone()[0]
    assert rare == 6 * PER_ROUND // 5  # below the share: never learned, never dropped
    rows = archive.db.execute("SELECT line, first_seen, last_seen, articles FROM learned_boilerplate"
                              " WHERE site = 'kx' ORDER BY line").fetchall()
    # last seen: the last round whose recent texts still showed the line in half of them: 50 of round 3's
    # 100 texts carried the slogan and the series line, 30 the notice (so round 2 was its last)
    assert sorted(rows) == sorted([(SLOGAN, "2024-01-02", "2024-01-03", 50), (NOTICE, "2024-01-02", "2024-01-02", 30),
                                   (SERIES, "2024-01-02", "2024-01-03", 50)])
    archive.close()


def test_repeated_lines_counts_each_text_once() -> None:
    texts = [f"正文{i}\n{SLOGAN}\n{SLOGAN}\n" + ("长" * 81 if i < 4 else "") for i in range(6)]
    assert learned.repeated_lines(texts) == {SLOGAN: 6}  # once per text; an 81-character line is prose
    assert learned.repeated_lines(texts[:4]) == {}  # too few texts to say
    assert learned.as_patterns(["a.b"]) == (r"^a\.b$",)
