"""Extraction round two (issue 17): the kinds of page the first round got wrong.

One test per kind, each on a page written for these tests (tests/pages_round2/, no third-party
pages): a WeChat public-account article, a short post inside a huge aggregator page, bylines and
credit lines, titles that name only the site or a gambling mirror, dates in Chinese numerals and
in the byline block of an old portal.  Every test failed before the round-two changes.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from extract.clean import clean_text
from extract.extractor import parse_html
from extract.platforms import script_var
from extract.process import process_html
from extract.teasers import teaser_streams
from extract.title import choose_title

PAGES = Path(__file__).parent / "pages_round2"
WECHAT_URL = "https://mp.weixin.qq.com/s/AbCdEfGh123"
PORTAL_URL = "https://www.example.gov.cn/gzdt/show.asp?id=121"  # no date in any URL here
PROSE = "会议指出，要坚持以人民为中心，推动科普工作高质量发展，为建设科技强市贡献力量。"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def run(body: bytes | str, url: str = PORTAL_URL) -> dict[str, object]:
    return process_html(body.encode("utf-8") if isinstance(body, str) else body, url)


# ---------------------------------------------------------------- WeChat public-account articles

WECHAT_CHROME = ["微信扫一扫", "关注该公众号", "阅读原文", "写留言", "精选留言", "微信号", "功能介绍", "已发送",
                 "在看", "点击上方蓝字", "长按识别二维码", "小程序", "getElementById", "喜欢作者", "原创", "3021"]


def test_wechat_article_text_title_date_and_author() -> None:
    out = run(page("wechat.html"), WECHAT_URL)
    text = str(out["text"])
    assert text.startswith("12月2日，某某市科协在市科技馆举办2023年青少年科技创新大赛颁奖仪式。")
    assert "以赛促学 点燃科学梦想" in text  # a subheading inside the body
    assert text.endswith("展览将持续至12月15日，免费向市民开放。")
    assert [c for c in WECHAT_CHROME if c in text] == []
    assert out["title"] == "市科协举办2023年青少年科技创新大赛颁奖仪式"
    assert out["published_at"] == "2023-12-05T16:00:00+08:00"  # var ct = "1701763200", Shanghai time
    assert out["author"] == "某某市科协"
    assert (out["source"], out["editor"]) == ("某某市科协科普部", "赵丽娜")


def test_wechat_fields_from_scripts_when_the_markup_lacks_them() -> None:
    html = page("wechat.html").decode("utf-8")
    html = re.sub(r'<h1 class="rich_media_title" id="activity-name">.*?</h1>', "", html, flags=re.S)
    html = re.sub(r'<meta property="og:title"[^>]*>', "", html)
    html = re.sub(r'<a href="javascript:void\(0\);"[^>]*id="js_name">.*?</a>', "", html, flags=re.S)
    html = html.replace('<strong class="profile_nickname">某某市科协</strong>', "")
    html = html.replace('var ct = "1701763200";', "")
    out = run(html, WECHAT_URL)
    assert out["title"] == "市科协举办2023年青少年科技创新大赛颁奖仪式"  # var msg_title = '…'.html(false)
    assert out["published_at"] == "2023-12-05T16:00:00+08:00"  # var create_time = "…" * 1
    assert out["author"] == "某某市科协"  # var nickname = htmlDecode("…")


def test_script_var_forms() -> None:
    js = """var a = ""; var a = "x\\x26amp;y"; b: 'B', c.title = "no"; var title = htmlDecode("T&quot;");"""
    assert (script_var(js, "a"), script_var(js, "b"), script_var(js, "title")) == ("x&y", "B", 'T"')


# ---------------------------------------------------------------- a short post inside a huge page

_PLACES = ["东城", "西城", "南湖", "北岸", "高新区", "经开区", "滨江", "临川", "青山", "白云", "金河", "云岭"]
_ORGS = ["科协", "教育局", "科技馆", "卫健委", "气象局", "图书馆", "农业农村局", "应急管理局", "文化馆", "青少年宫"]
_ACTS = ["举办", "召开", "启动", "开展", "部署", "推进", "发布", "组织", "表彰", "签约"]
_TOPICS = ["科普讲座", "学术年会", "创新大赛", "防灾减灾宣传周", "科技周活动", "人才工作会议", "院士专家行",
           "农村科技培训", "网络安全宣传", "全民阅读活动", "气象科普开放日", "科技成果对接会"]


def aggregator_page(min_bytes: int = 420_000, seed: int = 17) -> str:
    """tests/pages_round2/aggregator.html with its BLOCKS markers filled: link lists (nav, side,
    ranking, friend links) and teaser streams (linked headline, one-sentence summary, date)."""
    rng = random.Random(seed)

    def headline() -> str:
        return "".join(rng.choice(words) for words in (_PLACES, _ORGS, _ACTS, _TOPICS))

    def href() -> str:
        return f"/n/{rng.randint(10**6, 10**7)}.html"

    def links(n: int, cls: str) -> str:
        rows = "".join(f'<li><a href="{href()}">{headline()}</a><span>03-{rng.randint(1, 9):02d}</span></li>\n'
                       for _ in range(n))
        heading = rng.choice(["热点资讯", "最新动态", "本周排行"])
        return f'<div class="{cls}"><h3>{heading}</h3><ul>\n{rows}</ul></div>\n'

    def teasers(n: int) -> str:
        items = "".join(
            f'<div class="item"><h4><a href="{href()}">{headline()}</a></h4><p>近日，{headline()}，'
            f"{rng.choice(_PLACES)}有关负责人出席并讲话，{rng.randint(50, 900)}余名群众参加。</p>"
            f'<span class="time">2024-03-{rng.randint(1, 9):02d}</span></div>\n' for _ in range(n))
        return f'<div class="stream"><h3>相关推荐</h3>\n{items}</div>\n'

    makers = {"nav": lambda: links(60, "nav-list"), "left": lambda: links(80, "side-list"),
              "center": lambda: teasers(40), "right": lambda: links(80, "rank-list"),
              "footer": lambda: links(40, "friend-links")}
    skeleton = page("aggregator.html").decode("utf-8")
    filled: dict[str, list[str]] = {key: [] for key in makers}
    html = skeleton
    while len(html.encode("utf-8")) < min_bytes:
        for key, make in makers.items():
            filled[key].append(make())
        html = re.sub(r"<!-- BLOCKS:(\w+) -->", lambda m: "".join(filled[m[1]]), skeleton)
    return html


def test_short_post_inside_a_huge_page_is_chosen() -> None:
    html = aggregator_page()
    assert len(html.encode("utf-8")) > 400_000
    out = run(html, "https://www.example-hot.com/kepu/p/238016.html")
    assert out["text"] == (
        "3月9日，市科协组织科技志愿者走进东城社区，开展“科技为民、服务到家”志愿服务活动，为居民提供健康咨询、"
        "防范电信诈骗宣传和智能手机使用指导。\n活动现场，志愿者们耐心解答居民提出的问题，手把手教老年人使用健康码"
        "和网上缴费，共发放科普资料三百余份，受到社区居民的欢迎。")
    assert out["title"] == "市科协开展科技志愿服务进社区活动"
    assert out["published_at"] == "2024-03-10T09:30:00+08:00"


def test_article_paragraphs_with_links_are_no_teaser_stream() -> None:
    paragraphs = "".join(f'<div class="para">据<a href="/x{i}">市科协官方网站</a>消息，第{i}批科普示范社区'
                         "名单公布，共有十个社区入选。</div>" for i in range(6))
    listing = "".join(f'<li><a href="/y{i}">第{i}批科普示范社区名单</a>近日，市科协公布了最新一批名单。</li>'
                      for i in range(6))
    tree = parse_html(f"<html><body><div>{paragraphs}</div><ul>{listing}</ul></body></html>")
    assert tree is not None
    assert [[el.tag for el in run_] for run_ in teaser_streams(tree)] == [["li"] * 6]


# ---------------------------------------------------------------- bylines and credit lines


def test_bylines_and_credit_lines_become_fields() -> None:
    info = run(page("byline_info.html"))  # 来源：某某市科协  作者：张三  发布时间：…  浏览次数：123, above the text
    assert (info["author"], info["source"]) == ("张三", "某某市科协")
    assert str(info["text"]).startswith("3月8日，市科协召开") and "浏览次数" not in str(info["text"])
    lead = run(page("lead_credit.html"))  # 本报讯（记者 张三 通讯员 李四）3月10日，…
    assert lead["author"] == "张三; 李四"
    assert str(lead["text"]).startswith("3月10日，市科协组织5位院士专家走进高新区")
    assert "本报讯" not in str(lead["text"]) and "记者" not in str(lead["text"])
    for first, author, photo, kept in [
        ("（记者 张三 通讯员 李四）", "张三; 李四", None, ""),  # a line of its own: dropped
        ("本报讯（记者张三通讯员李四 摄影王五）3月10日，", "张三; 李四", "王五", "3月10日，"),
        ("（一）3月10日，", None, None, "（一）3月10日，"),  # no role word: no credit
        ("（图文）3月10日，", None, None, "（图文）3月10日，"),
    ]:
        cleaned = clean_text(f"{first}{PROSE}\n{PROSE}" if kept else f"{first}\n{PROSE}\n{PROSE}")
        assert (cleaned.author, cleaned.photo) == (author, photo)
        assert cleaned.text == f"{kept}{PROSE}\n{PROSE}"
    assert clean_text(f"作者：佚名　来源：本站\n{PROSE}").author is None  # 佚名 names nobody


# ---------------------------------------------------------------- titles naming only the site


@pytest.mark.parametrize("title", ["澳门金沙娱乐场-官方网站", "澳门金沙娱乐场", "某某市科学技术协会",
                                   "首页 - 某某市科协", "新葡京娱乐|官方入口"])
def test_title_skips_site_and_spam_names(title: str) -> None:
    html = page("spam_title.html").decode("utf-8").replace("澳门金沙娱乐场-官方网站", title)
    assert run(html)["title"] == "市科协召开2024年工作会议"
    plain = "<html><head><title>学会工作会议召开 - 新沂市科协</title></head><body><h2>新闻</h2></body></html>"
    tree = parse_html(plain)  # a <title> naming an article keeps winning over an unconfirmed heading
    assert tree is not None and choose_title(tree, "", None, "正文") == "学会工作会议召开 - 新沂市科协"


# ---------------------------------------------------------------- dates in Chinese numerals and byline blocks


@pytest.mark.parametrize(("line", "want"), [
    ("二〇二四年三月十日 星期日", "2024-03-10"),
    ("二零二四年三月二十一日", "2024-03-21"),
    ("【二〇二四年三月十日】", "2024-03-10"),
    ("二0二四年三月十日", "2024-03-10"),  # a digit zero typed for 〇
])
def test_chinese_numeral_dates(line: str, want: str) -> None:
    html = page("cn_date.html").decode("utf-8").replace("二〇二四年三月十日 星期日", line)
    out = run(html)  # the sidebar's 2024-02-26 and 2024-02-19 stand above the title: not the date
    assert (out["published_at"], out["reject_reason"]) == (want, None)


@pytest.mark.parametrize("byline", [
    "作者：佚名&nbsp;&nbsp;&nbsp;文章来源：本站原创&nbsp;&nbsp;&nbsp;点击数：56&nbsp;&nbsp;&nbsp;更新时间：2009-5-12",
    "作者：县科协&nbsp;&nbsp;&nbsp;2009-5-12&nbsp;&nbsp;&nbsp;点击数：",
])
def test_old_portal_byline_block_date(byline: str) -> None:
    html = page("old_portal.html").decode("gb2312")
    html = re.sub(r"(<td[^>]*class=\"info\">).*?(</td>)", lambda m: m[1] + byline + m[2], html)
    out = run(html.encode("gb2312"), "http://www.xxkx.org.cn/news/show.asp?id=121")
    assert out["published_at"] == "2009-05-12"  # not 2009-6-2, the first date in the sidebar's list
    assert out["title"] == "县科协举办农村实用技术培训班"
