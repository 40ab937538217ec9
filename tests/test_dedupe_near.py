"""Near duplicates through decide + store on a real SQLite file: syndicated copies are linked to
the best original, reports built from the same stock phrases are not, nothing is merged away."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest

from archive.db import Archive
from dedupe import near
from dedupe.decide import decide
from dedupe.write import store
from extract.normalise import hash_form
from extract.page import Page

ORIGINAL = (
    "5月30日，在第七个全国科技工作者日到来之际，襄阳市科协召开全市科技工作者代表座谈会，市委常委、"
    "宣传部部长张建国出席会议并讲话，市科协党组书记、主席刘红梅主持会议。来自高校、科研院所、企业和基"
    "层一线的30余名科技工作者代表参加座谈。\n"
    "座谈会上，湖北文理学院教授陈立新、襄阳市农业科学院研究员王春燕、东风汽车股份有限公司高级工程师赵"
    "海峰等8位代表结合各自岗位，畅谈科研经历和创新体会，围绕产学研协同、青年人才培养、科技成果转化等"
    "问题提出意见建议。大家表示，将弘扬科学家精神，立足岗位、潜心钻研，为襄阳建设引领汉江流域发展、辐"
    "射南襄盆地的省域副中心城市贡献智慧和力量。\n"
    "张建国在讲话中向全市广大科技工作者致以节日问候。他指出，科技工作者是推动高质量发展的重要力量。近"
    "年来，全市科技工作者在新能源汽车、现代农业、生物医药等领域攻坚克难，取得了一批标志性成果。他要求"
    "，各级科协组织要当好科技工作者的“娘家人”，在政治上关心、工作上支持、生活上关怀，及时帮助解决实"
    "际困难。\n"
    "刘红梅表示，市科协将以此次座谈会为契机，认真梳理代表们提出的21条意见建议，逐条研究落实；持续开"
    "展“寻访最美科技工作者”活动，推荐表彰一批扎根基层的优秀科技人才；深化院士专家工作站建设，搭建更"
    "多产学研合作平台，让科技工作者有更多获得感。\n"
    "会前，与会领导还走访慰问了部分一线科技工作者，为他们送去节日慰问品，并详细了解了他们的科研进展和"
    "生活状况。"
)
PARAS = ORIGINAL.split("\n")
TITLE = "襄阳市科协召开2023年全国科技工作者日座谈会"
TRADITIONAL = opencc.OpenCC("s2t").convert

# the same report as the city portal, the newspaper and an auto-converted site carry it
PORTAL_COPY = ("来源：襄阳市科学技术协会\n【字体：大 中 小】【打印本页】【关闭窗口】\n" + ORIGINAL
               + "\n扫一扫在手机打开当前页\n相关链接：襄阳市人民政府 湖北省科协")
PAPER_COPY = "本报讯（记者 李晓燕 通讯员 周强）" + PARAS[0] + "\n" + "\n".join(PARAS[1:4]) + "\n（责任编辑：孙丽）"
TRADITIONAL_CUT = TRADITIONAL("襄陽新聞網訊 " + "\n".join(PARAS[:4]))

STOCK = ["以习近平新时代中国特色社会主义思想为指导", "深入学习贯彻党的二十大精神", "围绕中心、服务大局",
         "团结带领广大科技工作者", "认真履行“四服务”职责", "为全市高质量发展贡献科协力量", "全国科技工作者日",
         "全国科普日", "“科技之春”宣传月", "科普示范县", "全民科学素质", "科技志愿服务", "院士专家工作站",
         "学会服务站", "基层科协“三长”", "科技工作者之家", "弘扬科学家精神", "服务创新驱动发展",
         "加强政治引领", "走访慰问一线科技工作者", "科普教育基地", "优秀科技工作者"]

REPORT_JINGMEN = (
    "2023年，荆门市科协坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神，"
    "围绕中心、服务大局，团结带领广大科技工作者，认真履行“四服务”职责，为全市高质量发展贡献科协力量"
    "。\n"
    "一是加强政治引领，凝聚科技工作者。组织开展全国科技工作者日系列活动，走访慰问一线科技工作者126"
    "人次，举办弘扬科学家精神报告会8场，评选表彰荆门市优秀科技工作者20名。\n"
    "二是深化科学普及，提升全民科学素质。扎实开展全国科普日、“科技之春”宣传月等重点活动，钟祥市成功"
    "创建全国科普示范县。新建科普教育基地6个，科技志愿服务队伍发展到142支。\n"
    "三是服务创新驱动发展，助力磷化工产业升级。新建院士专家工作站3家，依托学会服务站组织专家服务企业"
    "45次，协助企业解决技术难题17项。\n"
    "四是夯实基层组织，建设科技工作者之家。推进基层科协“三长”工作，乡镇（街道）科协全部完成换届，新"
    "发展“三长”会员312名。\n"
    "2024年，市科协将继续围绕中心、服务大局，团结带领广大科技工作者，办好全国科技工作者日、全国科"
    "普日等系列活动，深入推进科普示范县创建，为全市高质量发展贡献科协力量。"
)

REPORT_SHIYAN = (
    "今年以来，十堰市科协以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神，团结带"
    "领广大科技工作者，围绕中心、服务大局，认真履行“四服务”职责，为全市高质量发展贡献科协力量。\n"
    "加强政治引领。在全国科技工作者日期间，市科协走访慰问一线科技工作者88人次，召开青年科技人才座谈"
    "会2场，开展弘扬科学家精神进校园活动15场，推荐3人获评湖北省优秀科技工作者。\n"
    "提升全民科学素质。以全国科普日、“科技之春”宣传月为抓手，在武当山特区举办主场活动，丹江口市通过"
    "全国科普示范县复查。认定市级科普教育基地9个，组织科技志愿服务活动260余场次。\n"
    "服务创新驱动发展。围绕汽车零部件和绿色食品产业，新建院士专家工作站2家、学会服务站5家，引进专家"
    "团队11个，帮助东风商用车配套企业开展技术攻关8项。\n"
    "建设科技工作者之家。全市基层科协“三长”队伍达到1860人，竹山县、房县科协组织建设经验在全省交"
    "流。\n"
    "下一步，市科协将团结带领广大科技工作者，围绕中心、服务大局，持续办好全国科技工作者日、全国科普日"
    "活动，巩固科普示范县创建成果。"
)

SITES = {  # key: (official, spam flag in config, name)
    "official": (1, 0, "襄阳市科学技术协会"),
    "portal": (0, 0, "襄阳市人民政府门户网站"),
    "paper": (0, 0, "襄阳日报"),
    "hk": (0, 0, "襄陽新聞網"),
    "jingmen": (1, 0, "荆门市科学技术协会"),
    "shiyan": (1, 0, "十堰市科学技术协会"),
    "casino": (0, 0, "88805tccn新蒲京(中国)官方版百科"),  # not flagged: the name gives it away
}


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    a = Archive(tmp_path / "near.db")
    for key, (official, spam, name) in SITES.items():
        a.upsert_site({"key": key, "name": name, "level": "city", "region": "", "official": official, "spam": spam,
                       "verified": 1, "base_url": f"http://{key}.example", "config_path": ""})
    return a


def page(site: str, path: str, text: str = ORIGINAL, published: str = "2023-05-31", title: str = TITLE) -> Page:
    url = f"http://www.{site}.example{path}"
    return Page(url=url, body=f"<html><body><h1>{title}</h1>{text}</body></html>".encode(), site=site, text=text,
                title=title, published_at=published, fetched_at="2026-01-01T00:00:00+00:00")


def put(archive: Archive, p: Page) -> str:
    return store(decide(p, archive), archive, None)


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
