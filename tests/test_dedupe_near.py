"""Near duplicates through decide + store on a real SQLite file: syndicated copies are linked to
the best original, reports built from the same stock phrases are not, nothing is merged away."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.db import Archive
from dedupe import near
from extract.normalise import hash_form
from tests.dedupe_texts import (
    ORIGINAL,
    PAPER_COPY,
    PARAS,
    PORTAL_COPY,
    REPORT_JINGMEN,
    REPORT_SHIYAN,
    SITES,
    STOCK,
    TITLE,
    TRADITIONAL,
    TRADITIONAL_CUT,
    page,
    put,
)


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    a = Archive(tmp_path / "near.db")
    for key, (official, spam, name) in SITES.items():
        a.upsert_site({"key": key, "name": name, "level": "city", "region": "", "official": official, "spam": spam,
                       "verified": 1, "base_url": f"http://{key}.example", "config_path": ""})
    return a






def q(archive: Archive, sql: str, *params: object) -> list[tuple]:
    return archive.db.execute(sql, list(params)).fetchall()


def site_of(archive: Archive, article_id: int) -> str:
    return q(archive, "SELECT site FROM articles WHERE id = ?", article_id)[0][0]


def near_links(archive: Archive) -> dict[str, tuple[str, float]]:
    """{copy's site: (original's site, similarity)}"""
    rows = q(archive, "SELECT d.site, o.site, n.similarity FROM near_duplicates n"
                      " JOIN articles d ON d.id = n.article_id JOIN articles o ON o.id = n.original_id")
    return {r[0]: (r[1], r[2]) for r in rows}


def test_syndicated_copies_are_linked_not_merged(archive: Archive) -> None:
    assert put(archive, page("official", "/art/2023/5/31/art_1_1.html", published="2023-05-30")) == "stored"
    assert put(archive, page("portal", "/xwzx/202305/t20230531_9.html", PORTAL_COPY)) == "near"
    assert put(archive, page("paper", "/content_12345.htm", PAPER_COPY)) == "near"
    assert put(archive, page("hk", "/n/88.html", TRADITIONAL_CUT, title=TRADITIONAL(TITLE))) == "near"
    links = near_links(archive)
    assert set(links) == {"portal", "paper", "hk"}
    assert all(original == "official" and 0.75 < sim < 1 for original, sim in links.values()), links
    assert q(archive, "SELECT count(*) FROM articles")[0][0] == 4  # near copies are articles, kept whole
    view = q(archive, "SELECT site, kind, original_site FROM duplicates ORDER BY site")
    assert view == [("hk", "near", "official"), ("paper", "near", "official"), ("portal", "near", "official")]


def test_copy_differing_only_in_script_spacing_punctuation_is_exact(archive: Archive) -> None:
    put(archive, page("official", "/a/1.html"))
    reshaped = TRADITIONAL(ORIGINAL).replace("，", ", ").replace("。", ". ").replace("\n", "\n\u3000\u3000")
    assert put(archive, page("hk", "/b/2.html", reshaped)) == "duplicate"
    assert q(archive, "SELECT site, kind FROM article_urls ORDER BY id") == [("official", "original"), ("hk", "exact")]
    assert q(archive, "SELECT count(*) FROM near_duplicates")[0][0] == 0


def test_reports_built_from_the_same_stock_phrases_are_not_linked(archive: Archive) -> None:
    for report in (REPORT_JINGMEN, REPORT_SHIYAN):  # the fixture is honest: mostly stock phrases
        form = hash_form(report)
        covered: set[int] = set()
        for phrase in STOCK:
            for m in re.finditer(re.escape(hash_form(phrase)), form):
                covered.update(range(m.start(), m.end()))
        assert len(covered) / len(form) > 0.5
    jingmen = page("jingmen", "/a/1.html", REPORT_JINGMEN, "2024-01-05", "荆门市科协2023年工作总结")
    shiyan = page("shiyan", "/a/1.html", REPORT_SHIYAN, "2024-01-08", "十堰市科协2023年工作总结")
    assert put(archive, jingmen) == "stored" and put(archive, shiyan) == "stored"
    assert q(archive, "SELECT count(*) FROM duplicates")[0][0] == 0
    pair = near.jaccard(*(near.shingles(hash_form(r)) for r in (REPORT_JINGMEN, REPORT_SHIYAN)))
    assert pair < near.THRESHOLD / 2  # far from the line, not just under it


def test_better_copy_arriving_later_becomes_the_original(archive: Archive) -> None:
    put(archive, page("paper", "/content_1.htm", PAPER_COPY, published="2023-05-31"))
    put(archive, page("portal", "/t20230601_2.html", PORTAL_COPY, published="2023-06-01"))
    assert near_links(archive).keys() == {"portal"}  # the paper came first and is earlier
    assert put(archive, page("official", "/art_1_1.html", published="2023-05-30")) == "near"
    links = near_links(archive)
    assert {k: v[0] for k, v in links.items()} == {"paper": "official", "portal": "official"}
    assert links["portal"][1] == pytest.approx(near.jaccard(near.shingles(hash_form(PORTAL_COPY)),
                                                           near.shingles(hash_form(ORIGINAL))), abs=1e-4)
    originals = q(archive, "SELECT DISTINCT original_id FROM near_duplicates")
    assert [site_of(archive, r[0]) for r in originals] == ["official"]
    assert q(archive, "SELECT count(*) FROM near_duplicates WHERE original_id IN"
                      " (SELECT article_id FROM near_duplicates)")[0][0] == 0  # a star, never a chain


def test_earliest_date_wins_among_equals(archive: Archive) -> None:
    put(archive, page("portal", "/1.html", PORTAL_COPY, published="2023-06-02"))
    assert put(archive, page("paper", "/2.htm", PAPER_COPY, published="2023-05-31")) == "near"
    assert {k: v[0] for k, v in near_links(archive).items()} == {"portal": "paper"}


def test_spam_mirror_never_becomes_the_original(archive: Archive) -> None:
    mirror = "新蒲京娱乐城官方版\n" + ORIGINAL + "\n更多精彩尽在88805tccn"
    assert put(archive, page("casino", "/news/488.html", mirror, "2023-05-20", "新蒲京-" + TITLE)) == "stored"
    assert put(archive, page("portal", "/1.html", PORTAL_COPY, published="2023-06-02")) == "near"
    assert {k: v[0] for k, v in near_links(archive).items()} == {"casino": "portal"}
    # and an exact copy of the mirror's text on a clean site takes over the mirror's article
    assert put(archive, page("paper", "/2.htm", mirror, published="2023-06-03")) == "duplicate"
    assert q(archive, "SELECT site, kind FROM article_urls WHERE site IN ('casino', 'paper') ORDER BY site") == [
        ("casino", "exact"), ("paper", "original")]


def test_exact_takeover_of_a_near_copy_restands_its_cluster(archive: Archive) -> None:
    put(archive, page("portal", "/1.html", PORTAL_COPY))
    put(archive, page("paper", "/2.htm", PAPER_COPY))
    assert {k: v[0] for k, v in near_links(archive).items()} == {"paper": "portal"}
    # the association posts the newspaper's text verbatim: that article is now the official one
    assert put(archive, page("official", "/3.html", PAPER_COPY, published="2023-05-30")) == "duplicate"
    assert {k: v[0] for k, v in near_links(archive).items()} == {"portal": "official"}


def test_recrawl_of_the_same_pages_adds_nothing(archive: Archive) -> None:
    pages = [("official", "/a.html", ORIGINAL), ("portal", "/b.html", PORTAL_COPY), ("paper", "/c.htm", PAPER_COPY),
             ("hk", "/d.html", TRADITIONAL(ORIGINAL)), ("jingmen", "/e.html", REPORT_JINGMEN)]
    for site, path, text in pages:
        put(archive, page(site, path, text))
    tables = ("articles", "article_urls", "near_duplicates", "near_bands", "near_signatures", "versions", "pages")
    before = {t: q(archive, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    dup_rows = q(archive, "SELECT * FROM duplicates ORDER BY url")
    for site, path, text in pages:
        assert put(archive, page(site, path, text)) == "unchanged"
    assert {t: q(archive, f"SELECT count(*) FROM {t}")[0][0] for t in tables} == before
    assert q(archive, "SELECT * FROM duplicates ORDER BY url") == dup_rows


def test_changed_text_is_a_new_version_and_reindexed(archive: Archive) -> None:
    put(archive, page("official", "/a.html", "\n".join(PARAS[:4])))
    put(archive, page("portal", "/b.html", PORTAL_COPY))
    first = near_links(archive)["portal"][1]
    edited = ORIGINAL + "\n（本文有更新：补充了与会代表名单。）"
    assert put(archive, page("official", "/a.html", edited)) == "changed"
    article = q(archive, "SELECT id, text, content_hash FROM articles WHERE site = 'official'")[0]
    assert article[1] == edited
    versions = q(archive, "SELECT version, text, content_hash FROM versions WHERE article_id = ? ORDER BY version",
                 article[0])
    assert [v[0] for v in versions] == [1, 2] and versions[0][1] == "\n".join(PARAS[:4])
    assert versions[1][2] == article[2]
    assert near_links(archive)["portal"][1] > first  # re-measured against the current text
    bands = q(archive, "SELECT count(*) FROM near_bands WHERE article_id = ?", article[0])[0][0]
    assert bands == near.BANDS  # the old sketch's band rows are gone
    assert q(archive, "SELECT count(*) FROM duplicates")[0][0] == 1  # a version is not a duplicate


def test_a_new_version_that_now_copies_another_article_is_linked_to_it(archive: Archive) -> None:
    """A portal page first carried its own notice, then was edited into a copy of the official
    article: the new version is measured against the archive again and linked as a near copy."""
    put(archive, page("official", "/a.html", ORIGINAL))
    own = REPORT_JINGMEN
    put(archive, page("portal", "/b.html", own, title="另一则通知"))
    assert near_links(archive) == {}
    assert put(archive, page("portal", "/b.html", PORTAL_COPY)) == "changed"
    assert near_links(archive).get("portal", ("",))[0] == "official"


def test_copy_url_whose_text_changes_leaves_its_old_article(archive: Archive) -> None:
    put(archive, page("official", "/a.html"))
    assert put(archive, page("portal", "/b.html", TRADITIONAL(ORIGINAL))) == "duplicate"
    assert put(archive, page("portal", "/b.html", PORTAL_COPY)) == "near"
    assert q(archive, "SELECT kind FROM article_urls WHERE site = 'portal'") == [("original",)]
    assert {k: v[0] for k, v in near_links(archive).items()} == {"portal": "official"}


def test_short_texts_are_left_to_the_exact_hash(archive: Archive) -> None:
    put(archive, page("official", "/a.html", "襄阳市科协召开全市科协工作会议，部署2024年重点工作。"))
    assert put(archive, page("portal", "/b.html", "襄阳市科协召开全市科协工作会议，部署2024年工作。")) == "stored"
    assert q(archive, "SELECT count(*) FROM near_bands")[0][0] == 0
    assert q(archive, "SELECT shingles, signature FROM near_signatures") == [(0, b""), (0, b"")]  # seen, not indexed


def test_backfill_indexes_and_links_an_older_archive(archive: Archive) -> None:
    from dedupe.clusters import backfill
    from extract.fingerprint import content_hash

    for site, text in (("portal", PORTAL_COPY), ("official", ORIGINAL), ("jingmen", REPORT_JINGMEN)):
        p = page(site, "/old.html", text)
        p.canonical_url, p.content_hash = p.url, content_hash(text)
        archive.add_article(p, archive.add_page(p, None), "old")  # as a writer before schema v3 did
    assert backfill(archive) == 3 and backfill(archive) == 0
    assert q(archive, "SELECT count(*) FROM near_signatures")[0][0] == 3
    assert {k: v[0] for k, v in near_links(archive).items()} == {"portal": "official"}


def test_a_copy_of_a_copy_is_not_hidden_under_an_original_it_does_not_resemble(archive: Archive) -> None:
    extra = REPORT_JINGMEN.split("\n")
    first, middle, last = ("\n".join(PARAS[0:4]), "\n".join(PARAS[1:5] + extra[1:2]),
                           "\n".join(PARAS[2:5] + extra[1:3]))
    sketches = [near.shingles(hash_form(t)) for t in (first, middle, last)]
    assert near.jaccard(sketches[0], sketches[1]) > near.THRESHOLD < near.jaccard(sketches[1], sketches[2])
    assert near.jaccard(sketches[0], sketches[2]) < near.THRESHOLD
    put(archive, page("official", "/1.html", first))
    assert put(archive, page("portal", "/2.html", middle)) == "near"
    assert put(archive, page("paper", "/3.htm", last)) == "stored"  # resembles the portal's copy only
    assert near_links(archive).keys() == {"portal"}
    assert all(sim >= near.THRESHOLD for sim in q(archive, "SELECT similarity FROM near_duplicates")[0])


def test_url_reused_for_another_story_leaves_the_cluster(archive: Archive) -> None:
    put(archive, page("official", "/a.html"))
    put(archive, page("portal", "/b.html", PORTAL_COPY))
    assert put(archive, page("portal", "/b.html", REPORT_SHIYAN)) == "changed"  # the CMS reused the id
    assert q(archive, "SELECT count(*) FROM near_duplicates")[0][0] == 0
    assert q(archive, "SELECT count(*) FROM versions")[0][0] == 2


def test_a_version_already_held_by_another_article_is_recorded_once(archive: Archive) -> None:
    put(archive, page("official", "/a.html"))
    put(archive, page("portal", "/b.html", REPORT_SHIYAN))
    for _ in range(2):  # the official URL now carries the portal's text, crawl after crawl
        assert put(archive, page("official", "/a.html", REPORT_SHIYAN)) == "changed"
    assert q(archive, "SELECT version FROM versions") == [(1,), (2,)]
    assert q(archive, "SELECT site FROM articles WHERE content_hash = (SELECT content_hash FROM versions"
                      " WHERE version = 2)") == [("portal",)]  # hashes stay unique; the article keeps its text
