"""Tests for extract.dates: which date an article gets, and when it gets none.

Every rule of the date brief has a test here; the real forms come from the project's seed texts
and, when ../shared is present, from the corpus pages with true dates (read in place, never
copied into the repository).
"""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest

from extract.chinese_numerals import cn_to_int
from extract.date_markup import date_candidates
from extract.dates import DateResult, find_date

NOW = datetime(2024, 6, 1, 12, 0, 0)  # naive: taken as Asia/Shanghai
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"


def fd(url: str = "", meta: list[tuple[str, str]] | None = None, page: str = "", main: str = "",
       fallback: str | None = None, now: datetime = NOW) -> DateResult:
    return find_date(url, meta or [], page, main, fallback, now)


def seed(prefix: str) -> str:
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"seed {prefix} not present under {SEEDS}")
    return paths[0].read_text(encoding="utf-8")


# ---------------------------------------------------------------- seeds (real header forms)

def test_seed_000_empty_label_falls_through_to_url() -> None:
    text = seed("000")
    assert re.search(r"发布日期[:：]\s*\n", text), "seed 000 should hold an empty 发布日期 label"
    url = "https://epaper.example.cn/sxkjb/html/2024-01/16/content_2_1.htm"  # illustrative URL
    r = fd(url, page=text, main=text)
    assert (r.published_at, r.source) == ("2024-01-16", "url")
    # Without a URL date nothing in the page is a publication date (2023年, 2024年 are bare years).
    r = fd("https://epaper.example.cn/sxkjb/content_2_1.htm", page=text, main=text)
    assert (r.published_at, r.reason) == (None, "no_date")


def test_seed_000_empty_label_does_not_grab_a_later_date() -> None:
    text = seed("000") + "\n· 相关新闻 2023-11-02\n相关阅读：科协年会召开 2023年11月3日\n"
    r = fd("https://epaper.example.cn/sxkjb/content_2_1.htm", page=text, main=seed("000"))
    assert (r.published_at, r.reason) == (None, "no_date")
    # A bare date line below the article is a (weak) candidate of its own, never the label's value.
    r = fd("https://epaper.example.cn/sxkjb/content_2_1.htm", page=text + "2023年11月4日\n", main=seed("000"))
    assert (r.published_at, r.source) == ("2023-11-04", "text")


def test_seed_002_bare_header_date_line() -> None:
    text = seed("002")
    r = fd("https://www.example.cn/news/1234.html", page=text, main=text)
    assert (r.published_at, r.source) == ("2022-12-17T09:53:03+08:00", "text")


def test_seed_004_labelled_slash_date() -> None:
    text = seed("004")
    r = fd("https://www.example.cn/news/1234.html", page=text, main=text)
    assert r == DateResult("2021-12-27T14:52:08+08:00", "label", "发表日期:2021/12/27 14:52:08", None)


# ---------------------------------------------------------------- forms that must parse

@pytest.mark.parametrize(("page", "expected"), [
    ("发表日期:2021/12/27 14:52:08", "2021-12-27T14:52:08+08:00"),
    ("发布时间：2021-12-27 14:52", "2021-12-27T14:52:00+08:00"),  # seconds padded
    ("日期：2021.12.27", "2021-12-27"),
    ("发布日期：2023年12月5日", "2023-12-05"),
    ("发布时间：2023年12月5日 14:30", "2023-12-05T14:30:00+08:00"),
    ("发布时间：2023年12月05日 10:30", "2023-12-05T10:30:00+08:00"),
    ("发布时间：2023年12月5日14时30分", "2023-12-05T14:30:00+08:00"),
    ("发布日期：二〇二三年十二月五日", "2023-12-05"),
    ("发布日期：二〇二三年十二月三十一日", "2023-12-31"),
    ("发布日期：二〇二〇年二月二十日", "2020-02-20"),
    ("发布日期：二〇二三年十月十日", "2023-10-10"),
    ("發佈時間：2022-05-01 08:00:00", "2022-05-01T08:00:00+08:00"),
    ("發布時間：2022/5/1", "2022-05-01"),
    ("发布时间 2005/05/17 22:11:42", "2005-05-17T22:11:42+08:00"),  # strong label, no colon
    ("作者：某某   时间：2005-08-22 19:13:18", "2005-08-22T19:13:18+08:00"),
    ("|发布: 2021-1-29 13:18|点击: 313", "2021-01-29T13:18:00+08:00"),
])
def test_labelled_forms(page: str, expected: str) -> None:
    r = fd("https://www.example.cn/a/1.html", page=f"标题\n{page}\n正文第一段。", main="正文第一段。")
    assert (r.published_at, r.source) == (expected, "label")


@pytest.mark.parametrize(("value", "expected"), [
    ("2022-12-15T10:20:00+08:00", "2022-12-15T10:20:00+08:00"),
    ("2022-12-15T02:20:00Z", "2022-12-15T10:20:00+08:00"),
    ("2022-12-15T02:20:00.611Z", "2022-12-15T10:20:00+08:00"),
    ("2022-12-15T20:20:00-05:00", "2022-12-16T09:20:00+08:00"),  # converted, day changes
    ("2022-12-15 10:20", "2022-12-15T10:20:00+08:00"),  # no offset: Shanghai time
    ("2022-12-15", "2022-12-15"),
    ("2007-08-20-23:59:59", "2007-08-20T23:59:59+08:00"),  # gov.cn firstpublishedtime
    ("20221215", "2022-12-15"),
    ("Thu, 15 Dec 2022 10:20:00 +0800", "2022-12-15T10:20:00+08:00"),
])
def test_meta_forms(value: str, expected: str) -> None:
    r = fd(meta=[("meta:pubdate", value)])
    assert (r.published_at, r.source, r.raw) == (expected, "meta:pubdate", value)


@pytest.mark.parametrize(("url", "expected"), [
    ("http://www.cast.org.cn/xw/202312/t20231205_123.html", "2023-12-05"),
    ("http://www.xinhuanet.com/tech/2023-12/05/content_1.htm", "2023-12-05"),
    ("http://www.zjkx.gov.cn/art/2023/12/5/art_1_2.html", "2023-12-05"),
    ("http://www.example.cn/news/20231205/123.html", "2023-12-05"),
    ("http://www.example.cn/news/2023/1205/c123.html", "2023-12-05"),
    ("https://china.chinadaily.com.cn/a/202312/05/WS65571297a310d5acd876f404.html", "2023-12-05"),
])
def test_url_forms(url: str, expected: str) -> None:
    r = fd(url, page="标题\n正文", main="正文")
    assert (r.published_at, r.source, r.raw) == (expected, "url", url)


@pytest.mark.parametrize("url", [
    "http://www.example.cn/news/123456789.html",
    "http://www.example.cn/200502/article/2005-07/4651.htm",  # year-month only
    "http://www.example.cn/202312/1205.html",
    "http://www.example.cn/a.html?date=20231205",  # query strings are filters, not dates
])
def test_url_without_full_date(url: str) -> None:
    assert fd(url, page="标题\n正文", main="正文").reason == "no_date"


@pytest.mark.parametrize(("main", "expected"), [
    ("2023年12月5日，中国科协召开常委会。", "2023-12-05"),
    ("本报讯 二〇二三年十二月五日，省科协召开会议。", "2023-12-05"),
    ("标题\n2023年12月05日 10:30\n正文", "2023-12-05T10:30:00+08:00"),
])
def test_chinese_date_at_top_of_main_text(main: str, expected: str) -> None:
    r = fd("https://www.example.cn/a/1.html", page="", main=main)
    assert (r.published_at, r.source) == (expected, "text")


def test_chinese_date_deep_in_main_text_is_not_used() -> None:
    main = "\n".join(["第一段。", "第二段。", "第三段。", "第四段。", "第五段。", "2023年12月5日，会议召开。"])
    assert fd(main=main, page=main).reason == "no_date"


# ---------------------------------------------------------------- Chinese numerals

@pytest.mark.parametrize(("text", "value"), [
    ("〇", 0), ("五", 5), ("十", 10), ("十二", 12), ("二十", 20), ("三十一", 31), ("二〇二三", 2023),
    ("一九九〇", 1990), ("○五", 5), ("12", 12), ("１２", 12),
    ("", None), ("十十", None), ("二十三十", None), ("〇十", None), ("abc", None), ("百", None),
])
def test_cn_to_int(text: str, value: int | None) -> None:
    assert cn_to_int(text) == value


# ---------------------------------------------------------------- order of trust

def test_meta_beats_label_url_and_text() -> None:
    r = fd("http://www.example.cn/202301/t20230101_1.html", [("meta:publishdate", "2023-03-03")],
           page="发布日期：2023-02-02\n2023-04-04", main="2023年5月5日，正文")
    assert (r.published_at, r.source) == ("2023-03-03", "meta:publishdate")


def test_published_meta_beats_vaguer_meta_regardless_of_order() -> None:
    meta = [("meta:dc.date", "2023-01-02"), ("time", "2023-01-03"), ("meta:article:published_time", "2023-01-04")]
    assert fd(meta=meta).source == "meta:article:published_time"


def test_label_beats_url() -> None:
    r = fd("http://www.example.cn/202301/t20230102_1.html", page="发布时间：2023-02-02 10:00", main="正文")
    assert (r.published_at, r.source) == ("2023-02-02T10:00:00+08:00", "label")


def test_strong_label_beats_generic_label() -> None:
    r = fd(page="时间：2023-01-01 08:00\n发布日期：2023-02-02", main="正文")
    assert r.raw == "发布日期：2023-02-02"


def test_url_beats_text() -> None:
    r = fd("http://www.example.cn/2023-01/02/c_1.htm", page="2023-02-02 09:00\n正文", main="2023年3月3日，正文")
    assert (r.published_at, r.source) == ("2023-01-02", "url")


def test_url_day_takes_time_from_same_day_line() -> None:
    r = fd("http://www.example.cn/2023-01/02/c_1.htm", page="标题\n2023-01-02 09:00\n正文", main="正文")
    assert (r.published_at, r.source) == ("2023-01-02T09:00:00+08:00", "url")


def test_day_only_meta_takes_time_from_label() -> None:
    r = fd(meta=[("meta:publishdate", "2022-02-13")], page="2022年02月13日07:48 | 来源：新华日报", main="正文")
    assert (r.published_at, r.source) == ("2022-02-13T07:48:00+08:00", "meta:publishdate")


def test_text_beats_fallback_and_fallback_is_last_resort() -> None:
    assert fd(main="2023年3月3日，正文", fallback="2023-04-04").published_at == "2023-03-03"
    r = fd(page="标题\n正文", main="正文", fallback="2023-04-04")
    assert (r.published_at, r.source, r.raw) == ("2023-04-04", "htmldate", "2023-04-04")


def test_fallback_january_first_is_ignored() -> None:
    r = fd(page="标题\n正文", main="正文", fallback="2023-01-01")
    assert (r.published_at, r.reason) == (None, "no_date")


def test_update_time_only_if_nothing_else() -> None:
    page = "更新时间：2023-05-05 10:00\n正文"
    assert fd("http://www.example.cn/2023-01/02/c_1.htm", page=page, main="正文").source == "url"
    r = fd(page=page, main="正文", fallback="2023-06-06")
    assert (r.published_at, r.source) == ("2023-05-05T10:00:00+08:00", "label")


# ---------------------------------------------------------------- labels done right

def test_empty_label_takes_date_line_right_below() -> None:  # table layout: label cell, value cell
    r = fd(page="成文日期：\n2022年01月27日\n发布日期：\n2022年01月28日\n正文", main="正文")
    assert (r.published_at, r.source) == ("2022-01-28", "label")


def test_empty_generic_label_takes_date_line_right_below() -> None:  # label, so it beats the URL
    r = fd("http://www.example.cn/202312/t20231205_1.html", page="日期：\n2023-05-06\n正文", main="正文")
    assert (r.published_at, r.source) == ("2023-05-06", "label")


def test_empty_label_does_not_take_a_date_further_away() -> None:
    page = "发布日期:\n汇聚科技力量 构筑发展平台\n正文第一段。\n· 其他新闻 2023-11-02"
    assert fd(page=page, main="正文第一段。").reason == "no_date"


def test_title_ending_in_fabu_is_no_label() -> None:  # "…发布" then a list date on the next line
    page = "正文第一段。\n华为首款手机畅享10 Plus发布\n2019-09-05 16:41"
    r = fd(page=page, main="正文第一段。")
    assert r.source == "text", r  # only as a weak bare line below the article, not as a label value


@pytest.mark.parametrize("page", [
    "会议时间：2023年12月10日 9:30",  # an event, not the publication
    "成文日期：2023年12月10日",
    "报名日期：2023-12-10",
    "时间 2023-12-10",  # a generic label needs its colon
])
def test_non_publication_labels_are_ignored(page: str) -> None:
    r = fd("http://www.example.cn/202312/t20231205_1.html", page=f"通知\n{page}\n正文第一段。", main="正文第一段。")
    assert (r.published_at, r.source) == ("2023-12-05", "url")


def test_sidebar_list_does_not_win_over_label() -> None:
    sidebar = "\n".join(f"· 某某新闻{i} 2023-11-0{i}" for i in range(1, 8))
    page = f"{sidebar}\n科协召开年会\n发布日期：2023-12-05\n正文第一段内容。"
    r = fd(page=page, main="正文第一段内容。")
    assert (r.published_at, r.source) == ("2023-12-05", "label")


@pytest.mark.parametrize("sidebar", [
    "· 某某新闻 2023-11-02\n· 另一条新闻 2023-11-01",
    "[2023-11-02] 某某新闻\n[2023-11-01] 另一条新闻",
    "2023-11-02 某某新闻标题\n2023-11-01 另一条新闻标题",
    "某某新闻（2023-11-02 17:19PM）",
    "科普平台3.0上线 2023-11-02",
])
def test_sidebar_list_alone_gives_no_date(sidebar: str) -> None:
    assert fd(page=f"{sidebar}\n正文第一段内容。", main="正文第一段内容。").reason == "no_date"


@pytest.mark.parametrize("line", [
    "2004-12-10      阅读10544次",
    "2005-04-05 06:40更新 来源：转载文章",
    "BUSINESS.SOHU.COM　2005年3月11日12:12",
    "2022.01.20 16:31",
])
def test_bare_header_lines(line: str) -> None:
    r = fd(page=f"标题\n{line}\n正文第一段内容。", main="正文第一段内容。")
    assert r.source == "text" and r.published_at is not None


def test_comment_label_after_article_loses_to_header_line() -> None:
    page = ("第四届年会\n2004-12-10      阅读10544次\n正文第一段内容。\n正文最后一段内容。\n"
            "发表人：550\n发表时间：2004-12-11 9:51:00")
    r = fd(page=page, main="正文第一段内容。\n正文最后一段内容。")
    assert r.published_at == "2004-12-10"


def test_posted_at_phrase() -> None:
    page = "正文第一段内容。\n本贴由大卫于2005年8月12日16:12:21在〖心灵体操〗发表."
    r = fd(page=page, main="正文第一段内容。")
    assert (r.published_at, r.source) == ("2005-08-12T16:12:21+08:00", "label")


def test_event_sentence_is_no_posted_phrase() -> None:
    main = "正文第一段内容。\n总书记于2023年12月5日在会上发表重要讲话。"
    assert fd(page=main, main="正文第一段内容。").reason == "no_date"


# ---------------------------------------------------------------- rejections

def test_future_date_is_rejected() -> None:
    r = fd(meta=[("meta:pubdate", "2030-01-01 10:00")], page="标题\n正文", main="正文")
    assert r == DateResult(None, "", "2030-01-01 10:00", "future_date")


def test_future_meta_falls_through_to_next_source() -> None:
    r = fd(meta=[("meta:pubdate", "2030-01-01")], page="发布日期：2024-05-30", main="正文")
    assert (r.published_at, r.source) == ("2024-05-30", "label")


def test_one_day_of_clock_skew_is_allowed() -> None:
    assert fd(page="发布时间：2024-06-02 11:00", main="x").published_at == "2024-06-02T11:00:00+08:00"
    assert fd(page="发布时间：2024-06-02 13:00", main="x").reason == "future_date"
    assert fd(page="发布日期：2024-06-02", main="x").published_at == "2024-06-02"
    assert fd(page="发布日期：2024-06-03", main="x").reason == "future_date"


def test_offset_is_respected_for_future_check() -> None:
    now = datetime(2024, 6, 1, 12, 0, 0)
    assert fd(meta=[("meta:pubdate", "2024-06-02T04:30:00Z")], now=now).reason == "future_date"  # 12:30 +08
    assert fd(meta=[("meta:pubdate", "2024-06-02T03:30:00Z")], now=now).published_at is not None


@pytest.mark.parametrize(("page", "reason"), [
    ("发布日期：2023-02-30", "implausible_date"),
    ("发布日期：二〇二三年二月三十日", "implausible_date"),
    ("发布日期：1989-12-31", "implausible_date"),
    ("发布日期：2023-13-01", "implausible_date"),
    ("发布时间：2023-12-05 25:61", "implausible_date"),
])
def test_impossible_and_old_dates_are_rejected(page: str, reason: str) -> None:
    r = fd(page=page, main="正文")
    assert (r.published_at, r.reason) == (None, reason)


def test_junk_meta_is_no_date_not_implausible() -> None:
    assert fd(meta=[("meta:pubdate", "1"), ("meta:publishdate", "December 2023")]).reason == "no_date"


def test_no_fuzzy_year_invention() -> None:
    r = fd(page="12月5日 发布\n发布日期：12月5日\n2023年12月", main="12月5日，会议召开。")
    assert (r.published_at, r.reason) == (None, "no_date")


@pytest.mark.parametrize("line", [
    "2023-05-06 Copyright © kexie.example.cn",
    "www.kexie.example.cn 2023-05-06 版权所有",
    "发布时间：2023-05-06 京ICP备12345678号",
    "日期：2023-05-06 ©某某科协",
    "Copyright © 2012-2024 某某科协 版权所有",
    "©2012 某某科协 2023-05-06",
    "版权所有：某某科协 2023年5月6日",
    "京ICP备20231205号 2023-05-06",
    "copyright 2012-2024, updated 2023-05-06",
])
def test_copyright_and_icp_lines_are_ignored(line: str) -> None:
    r = fd("http://www.example.cn/a/1.html", page=f"正文第一段内容。\n{line}", main="正文第一段内容。")
    assert r.reason == "no_date"


def test_default_now_is_the_current_time() -> None:
    assert find_date("", [], "发布日期：2020-01-02", "").published_at == "2020-01-02"
    assert find_date("", [], "发布日期：2099-01-02", "").reason == "future_date"


# ---------------------------------------------------------------- date_candidates

HTML = """<html><head>
<meta property="article:published_time" content="2022-12-15T10:20:00+08:00">
<meta property="article:modified_time" content="2023-01-01T00:00:00+08:00">
<meta name="PubDate" content="2022-12-15 10:20">
<meta name="publishdate" content="2022-12-15">
<meta name="DC.Date.Created" content="2022-12-14">
<meta name="firstpublishedtime" content="2022-12-15-10:20:00">
<meta name="keywords" content="科协">
<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "datePublished": "2022-12-15T02:20:00Z",
 "dateCreated": "2022-12-14T00:00:00Z", "dateModified": "2023-01-01"}]}</script>
<script type="application/ld+json">{"datePublished": "2022-12-16", broken</script>
</head><body><article><header><time datetime="2022-12-15T10:20:00+08:00">12月15日</time></header>
<p>正文</p><span itemprop="datePublished" content="2022-12-15"></span>
<div class="comment"><time datetime="2023-02-02T08:00:00+08:00">评论</time></div></article>
<aside><time datetime="2020-01-01">旧闻</time></aside></body></html>"""


def test_date_candidates_reads_meta_jsonld_time_and_leaves_tree_alone() -> None:
    tree = lxml.html.fromstring(HTML)
    before = lxml.html.tostring(tree)
    found = date_candidates(tree)
    assert lxml.html.tostring(tree) == before
    assert found == [
        ("meta:article:published_time", "2022-12-15T10:20:00+08:00"),
        ("meta:pubdate", "2022-12-15 10:20"),
        ("meta:publishdate", "2022-12-15"),
        ("meta:dc.date.created", "2022-12-14"),
        ("meta:firstpublishedtime", "2022-12-15-10:20:00"),
        ("itemprop:datepublished", "2022-12-15"),
        ("jsonld", "2022-12-15T02:20:00Z"),
        ("jsonld:datecreated", "2022-12-14T00:00:00Z"),
        ("jsonld", "2022-12-16"),
        ("time", "2022-12-15T10:20:00+08:00"),
    ]
    r = find_date("", found, "", "", None, NOW)
    assert (r.published_at, r.source) == ("2022-12-15T10:20:00+08:00", "meta:article:published_time")


def test_date_candidates_find_itemprop_and_time_as_xpath_did() -> None:
    """Attribute names in any case (the parser lower-cases them), <time> marked pubdate outside a header."""
    shouting = HTML.replace('itemprop="datePublished"', 'ITEMPROP="datePublished"')
    assert date_candidates(lxml.html.fromstring(shouting)) == date_candidates(lxml.html.fromstring(HTML))
    bare = HTML.replace(' itemprop="datePublished"', "")
    assert ("itemprop:datepublished", "2022-12-15") not in date_candidates(lxml.html.fromstring(bare))
    pubdate = "<html><body><div><time datetime='2021-05-06' pubdate>x</time><time datetime='2021-05-07' pubdate>"
    assert date_candidates(lxml.html.fromstring(pubdate + "</div></body></html>")) == [("time", "2021-05-06")]
    nowhere = "<html><body><div><time datetime='2021-05-06'>x</time></div></body></html>"
    assert date_candidates(lxml.html.fromstring(nowhere)) == []


def test_date_candidates_empty_page() -> None:
    assert date_candidates(lxml.html.fromstring("<html><body><p>没有日期</p></body></html>")) == []


# ---------------------------------------------------------------- corpus accuracy

CORPUS_FOLDERS = ("chinese-web-content-extraction-dataset", "magic-html")


def _corpus_pages() -> list[tuple[str, str, str, bytes, str, str]]:
    """(folder, name, url, html bytes, encoding, truth day) for corpus pages whose .meta.json has a full day."""
    pages = []
    for folder in CORPUS_FOLDERS:
        manifest = {row["file"]: row for row in
                    csv.DictReader((CORPUS / folder / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")}
        for meta_path in sorted((CORPUS / folder).glob("*.meta.json")):
            truth = str(json.loads(meta_path.read_text(encoding="utf-8")).get("date") or "")
            m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", truth)
            if not m:  # UNKNOWN, "2018", "1998-3": no day to compare
                continue
            name = meta_path.name.removesuffix(".meta.json")
            row = manifest.get(f"{name}.html", {})
            pages.append((folder, name, row.get("url", ""), (CORPUS / folder / f"{name}.html").read_bytes(),
                          row.get("original_encoding") or "utf-8",
                          f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"))
    return pages


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_date_accuracy() -> None:
    """date_candidates + find_date against the corpus's true dates (first ten characters).

    Pages are decoded with the encoding MANIFEST.tsv says the bytes really have (the corpus README:
    decode by the bytes, not the label), as the crawler's decode stage does. Measured twice: the
    module alone, and with trafilatura's date as `fallback`, as extract/extractor.py supplies it.
    """
    trafilatura = pytest.importorskip("trafilatura")
    pages = _corpus_pages()
    assert len(pages) >= 30, "the corpus should have at least 30 pages with a true day"
    misses: dict[str, list[str]] = {"alone": [], "with_fallback": []}
    for folder, name, url, raw, encoding, truth in pages:
        html = re.sub(r"^\s*<\?xml[^>]*>", "", raw.decode(encoding, errors="replace"))
        tree = lxml.html.fromstring(html)
        meta, page_text = date_candidates(tree), tree.text_content()
        main = (CORPUS / folder / f"{name}.txt").read_text(encoding="utf-8")
        doc = trafilatura.bare_extraction(html, url=url or None, with_metadata=True)
        for mode, fallback in (("alone", None), ("with_fallback", getattr(doc, "date", None))):
            r = find_date(url, meta, page_text, main, fallback, datetime(2025, 1, 1))
            if (r.published_at or "")[:10] != truth:
                misses[mode].append(f"{name}: truth {truth}, got {r.published_at} from {r.source or r.reason} "
                                    f"({(r.raw or '')[:50]!r})")
    accuracy = {mode: 1 - len(m) / len(pages) for mode, m in misses.items()}
    report = "\n".join(f"{mode}: {accuracy[mode]:.1%} of {len(pages)}\n  " + "\n  ".join(m)
                       for mode, m in misses.items())
    print(report)
    # Known misses (see the module's report): e8847578 (truth is 成文日期, page publishes a day later),
    # d5bced5e (Wikipedia: truth is a maintenance-tag date), ab65832c (date only inline after a byline).
    assert accuracy["alone"] >= 0.90, report
    assert accuracy["with_fallback"] >= 0.94, report


NOTICE = "为做好工程建设，现就有关事项通告如下：\n一、征占地范围内不得新增建设项目。\n特此通告。\n吉林省人民政府\n"


@pytest.mark.parametrize(
    ("signed", "meta", "expected", "source"),
    [
        ("2022年1月27日", "2022-01-28 00:00:00", "2022-01-27", "signature"),  # signed, published next day
        ("2022年1月28日", "2022-01-28 09:00:00", "2022-01-28", "signature"),
        ("2021年12月1日", "2022-01-28", "2022-01-28", "meta:pubdate"),  # an old document republished
        ("2022年2月3日", "2022-01-28", "2022-01-28", "meta:pubdate"),  # a date after publication
    ],
)
def test_notice_signature_date(signed: str, meta: str, expected: str, source: str) -> None:
    got = find_date("", [("meta:pubdate", meta)], "", NOTICE + signed, now=datetime(2024, 1, 1))
    assert (got.published_at or "")[:10] == expected and got.source == source


def test_signature_needs_an_issuer_line_and_a_chinese_date() -> None:
    prose = "会议指出，要持续推进科普工作。\n"
    for main in (prose + "2022年1月27日", NOTICE + "2022-01-27", prose + "会议要求，各单位认真落实。\n2022年1月27日"):
        got = find_date("", [("meta:pubdate", "2022-01-28")], "", main, now=datetime(2024, 1, 1))
        assert got.published_at == "2022-01-28", main


class _Untouchable(str):
    """A page text that fails the test if any line of it is read."""

    def splitlines(self, keepends: bool = False) -> list[str]:
        raise AssertionError("the page text was scanned")

    def find(self, *args: object) -> int:  # type: ignore[override]
        raise AssertionError("the page text was scanned")


def test_a_timed_meta_date_leaves_the_page_text_unread() -> None:
    """Tiers are worked out lazily: the most trusted plausible one ends the search."""
    meta = [("meta:article:published_time", "2023-12-05T09:30:00+08:00")]
    found = find_date("http://x.cn/a.htm", meta, _Untouchable("发布日期：2021-01-02"), "正文")
    assert found.published_at == "2023-12-05T09:30:00+08:00"
    with pytest.raises(AssertionError, match="scanned"):  # an untimed one looks further, for its time
        find_date("http://x.cn/a.htm", [("meta:pubdate", "2023-12-05")], _Untouchable("x"), "正文")


def test_build_reads_plain_dates_without_dateutil_and_as_dateutil_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """extract/date_values.build: datetime.fromisoformat for a date (and time) without offset, with
    dateutil's values and refusals; offsets and anything out of range still go to dateutil."""
    from dateutil import parser

    from extract import date_values
    from extract.date_values import IMPOSSIBLE, build

    def by_dateutil(y: int, m: int, d: int, clock: str = "", offset: str = "") -> tuple[object, bool]:
        try:
            return parser.parse(f"{y:04d}-{m:02d}-{d:02d}{clock}{offset}"), bool(clock)
        except (ValueError, OverflowError):
            return IMPOSSIBLE, False

    days = (0, 1, 28, 29, 30, 31, 32)
    cases = [(y, m, d, clock) for y in (1000, 1989, 2023, 2024, 9999) for m in range(14) for d in days
             for clock in ("", "T00:00:00", "T23:59:59", "T24:00:00", "T12:60:00")]
    expected = [by_dateutil(*case) for case in cases]
    assert [build(*case) for case in cases] == expected
    assert build(2023, 5, 6, "T10:30:00", "+08:00") == by_dateutil(2023, 5, 6, "T10:30:00", "+08:00")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("dateutil asked for a plain date")

    monkeypatch.setattr(date_values.parser, "parse", refuse)
    assert build(2024, 3, 10) == (datetime(2024, 3, 10), False)
    assert build(2024, 3, 10, "T08:05:00") == (datetime(2024, 3, 10, 8, 5), True)
