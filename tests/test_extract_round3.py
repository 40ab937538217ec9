"""Extraction round three (issue 27): each heuristic proves itself on the page before it acts.

One test per kind, each on a page written for these tests (tests/pages_round3/, no third-party
pages): a lone <article> that is a teaser box, a list of headline + summary items that is the
article's own body, embedded posts and widget lines when readability's text is chosen, a poem's
translation and notes, a short microblog post beside a long story in a huge portal page, a page in
neither Chinese nor English, a date in the info line under the headline, and a photo story that
repeats its lead under every photo.  Every test failed before the round-three changes.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from extract.process import process_html

PAGES = Path(__file__).parent / "pages_round3"
URL = "https://www.hxkx.gov.cn/xw/show.asp?id=88"  # no date in any URL here


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def run(html: str, url: str = URL) -> dict[str, object]:
    return process_html(html.encode("utf-8"), url)


# ---------------------------------------------------------------- a date in the info line under the headline


@pytest.mark.parametrize("line", [
    "2024年3月10日 禾县科协",
    "二〇二四年三月十日 禾县科协",
    "二〇二四年3月10日　禾县科协",  # mixed: a year in Chinese numerals, month and day in digits
    "【2024年3月10日】 禾县科协",
])
def test_unlabelled_date_before_the_publisher_under_the_headline(line: str) -> None:
    out = run(page("info_line.html").replace("INFO_LINE", line))
    assert (out["published_at"], out["reject_reason"]) == ("2024-03-10", None)  # not the sidebar's 2024-02-20


@pytest.mark.parametrize("line", ["2024年3月10日 禾县科协召开全委会议，会议指出", "2024年3月10日 2024年3月1日"])
def test_a_sentence_or_second_date_after_the_date_is_no_info_line(line: str) -> None:
    out = run(page("info_line.html").replace("INFO_LINE", line))
    assert out["published_at"] != "2024-03-10" or out["date_source"] != "text"


# ---------------------------------------------------------------- a lone <article> that is a teaser box


def test_lone_article_element_that_is_a_teaser_box_is_not_the_scope() -> None:
    out = run(page("teaser_article.html"))
    text = str(out["text"])
    assert text.startswith("4月11日，禾城市科协在市第一中学启动“科学家精神进校园”系列活动")
    assert text.endswith("推动科学教育和人文教育相结合。") and len(text) > 300
    assert "学会工作会议" not in text  # the teaser box's story


def test_a_marked_article_holding_the_headline_is_still_the_scope() -> None:
    html = page("teaser_article.html").replace('<div class="story">', "<article>").replace(
        '<div class="aside">', '</article><div class="aside">').replace('<article class="related">', "<div>")
    html = html.replace("</article>\n  </div>\n</div>", "</div>\n  </div>\n</div>")
    text = str(run(html)["text"])
    assert text.startswith("4月11日，禾城市科协") and "学会工作会议" not in text


# ---------------------------------------------------------------- a list of headline + summary items as the body


def test_a_list_of_linked_titles_with_summaries_that_is_the_body_stays() -> None:
    text = str(run(page("list_body.html"))["text"])
    assert text.startswith("在第29个世界读书日到来之际")
    for book in ("《星空下的追问》从古人观星讲到", "《海洋深处》跟随深潜器走进万米海沟"):
        assert book in text
    assert text.endswith("读者可凭借阅证免费借阅。")


def test_the_same_list_under_a_heading_beside_the_article_is_still_a_teaser_stream() -> None:
    html = page("list_body.html").replace('<ul class="books">', '</div><div class="more"><h3>相关推荐</h3><ul>')
    html = html.replace("</ul>\n    <p>推荐书目", "</ul></div><div><p>推荐书目")
    text = str(run(html)["text"])
    assert "在第29个世界读书日到来之际" in text and "《星空下的追问》" not in text


# ---------------------------------------------------------------- readability's text: embedded posts in, widgets out


def test_readability_text_keeps_embedded_posts_and_drops_widget_credit_and_promo_lines() -> None:
    text = str(run(page("embeds.html"), "https://notes.example.org/2024/03/river-birds/")["text"])
    assert "Preliminary count from the river survey: 3,214 birds of 58 species" in text  # the tweet
    assert "The river bird count shows the clean-up is working" in text  # the Weibo card
    lines = text.splitlines()
    tweet = next(i for i, ln in enumerate(lines) if ln.startswith("Preliminary count"))
    assert lines[tweet - 1].startswith("The survey's coordinator shared")  # back where it stood
    for chrome in ("Like Loading…", "Comments", "Photo: Jane Doe", "Also: The best binoculars", "Share this"):
        assert chrome not in text
    assert text.startswith("More than four hundred volunteers") and text.endswith("owls along the upper river.")


# ---------------------------------------------------------------- a classical text's translation, notes, appreciation

POEM = "床前明月光，<br>疑是地上霜。<br>举头望明月，<br>低头思故乡。"


@pytest.mark.parametrize("original", [None, POEM])
def test_translation_notes_and_appreciation_sections_stay(original: str | None) -> None:
    html = page("classical.html")
    if original is not None:  # the same page around a poem
        html = html.replace(html[html.index("水陆草木之花"):html.index("牡丹之爱，宜乎众矣。") + 10], original)
    text = str(run(html, "https://www.hckp.cn/gwkx/123.html")["text"])
    for kept in ("译文", "水上、陆地上各种草本木本的花", "注释", "濯：洗涤。", "赏析", "今天被称为“荷叶效应”。"):
        assert kept in text
    assert ("水陆草木之花，可爱者甚蕃。" if original is None else "举头望明月，") in text
    for chrome in ("猜您喜欢", "名句推荐", "展开阅读全文", "复制", "桃花源记"):
        assert chrome not in text


# ---------------------------------------------------------------- a short microblog post in a huge portal page

_WORDS = ["科协", "科普", "院士", "创新", "大赛", "讲座", "活动", "会议", "科技馆", "志愿者", "青少年", "乡村",
          "学会", "论坛"]
POST = ("【科技周来了】5月20日至22日，禾城科技馆免费开放，每天上午9点到下午5点，现场有机器人表演和科学实验秀，"
        "欢迎市民带孩子前来参观体验！#全国科技活动周#")


def microblog_page(min_bytes: int = 400_000) -> str:
    """tests/pages_round3/microblog.html with link lists at its LISTS markers until it is huge."""
    rng = random.Random(27)
    html = page("microblog.html")
    while len(html.encode("utf-8")) < min_bytes:
        lists = "".join('<ul class="hot">' + "".join(
            f'<li><a href="/n/{rng.randint(1, 10**7)}">{"".join(rng.choice(_WORDS) for _ in range(6))}</a></li>'
            for _ in range(30)) + "</ul>" for _ in range(20))
        html = html.replace("<!-- LISTS -->", lists + "<!-- LISTS -->")
    return html


def test_short_post_is_found_beside_a_long_story_in_a_huge_page() -> None:
    html = microblog_page()
    assert len(html.encode("utf-8")) > 400_000
    assert run(html, "https://weibo.example.com/5201314/Nabc123")["text"] == POST


def test_a_description_the_text_already_holds_changes_nothing() -> None:
    html = page("microblog.html").replace(
        "【科技周来了】5月20日至22日，禾城科技馆免费开放", "本报讯 近日，我省召开全省科技创新大会，会议总结了")
    text = str(run(html, "https://weibo.example.com/5201314/Nabc123")["text"])
    assert text.startswith("本报讯 近日，我省召开全省科技创新大会") or text.startswith("近日，我省召开")


# ---------------------------------------------------------------- a page in neither Chinese nor English


@pytest.mark.parametrize("lang", ["", ' lang="hi"'])
def test_a_hindi_page_keeps_what_plain_trafilatura_keeps(lang: str) -> None:
    html = page("hindi.html").replace("<html>", f"<html{lang}>")
    text = str(run(html, "https://news.example.in/shiksha/123")["text"])
    assert text.startswith("शहर के विज्ञान केंद्र में सोमवार से बच्चों के लिए")
    assert "बच्चों को दोपहर का भोजन केंद्र की ओर से मुफ्त दिया जाएगा।" in text  # the box of last lines
    assert text.endswith("अभिभावक केंद्र की वेबसाइट पर पंजीकरण कर सकते हैं।")
    assert "ताज़ा खबरें" not in text and "नगर निगम" not in text


# ---------------------------------------------------------------- a slideshow shows one slide

SLIDES = ("本周，禾城市科协围绕科技活动周", "5月13日，禾城市科技活动周在市科技馆开幕",
          "第二十届禾城市青少年科技创新大赛", "市科协组织的科普大篷车本周开进", "本周，禾城市又有三家企业获批建设")


@pytest.mark.parametrize("shown", [1, 3])
def test_a_slideshow_page_is_the_slide_it_shows(shown: int) -> None:
    html = page("slideshow.html").replace(f"ACTIVE_{shown}", "active")
    text = str(run(html, f"https://www.hckx.org.cn/kp/2024-05/18/slides/{shown}")["text"])
    for number, slide in enumerate(SLIDES, 1):
        assert (slide in text) == (number == shown), (number, text)


def test_a_slideshow_that_marks_no_slide_keeps_them_all() -> None:
    text = str(run(page("slideshow.html"), "https://www.hckx.org.cn/kp/2024-05/18/")["text"])
    assert all(slide in text for slide in SLIDES)


CAPTIONS = ("Teams launch their rafts at dawn", "A crew made of oil drums", "The winning crew from the fire station",
            "Spectators crowd the town bridge")


@pytest.mark.parametrize("shown", [1, 3])
def test_the_caption_of_the_slide_a_photo_page_shows_is_its_text(shown: int) -> None:
    html = page("photo_slides.html").replace(f"SHOWN_{shown}", "slick-current")
    text = str(run(html, "https://photos.example.org/sport/raft-race/")["text"])
    assert text.startswith("Millford - Forty home-made rafts")
    for number, caption in enumerate(CAPTIONS, 1):
        assert (caption in text) == (number == shown), (number, text)
    assert "Enlarge" not in text and "Previous" not in text


# ---------------------------------------------------------------- what trafilatura kept inside readability's article


def test_captions_between_the_paragraphs_readability_kept_stay() -> None:
    text = str(run(page("interior.html"), "https://notes.example.org/2024/05/river-count/")["text"])
    assert "A grey heron waits for fish below the weir" in text
    assert "Reed beds below the railway bridge, where volunteers found otter tracks" in text
    assert text.index("A grey heron waits") < text.index("Teams of four were given")  # where it stood
    assert text.endswith("who do not mind a late finish.")
    for chrome in ("More from Nature", "Why the swifts are late", "independent community website"):
        assert chrome not in text


# ---------------------------------------------------------------- a portal's back link glued to the editor's credit


def test_a_back_link_glued_to_the_credit_goes_and_the_credit_is_the_editor() -> None:
    out = run(page("portal_tail.html"), "https://www.example-portal.com/a/780060546_458722")
    assert str(out["text"]).endswith("让更多孩子走近科学、爱上科学。")
    assert "返回" not in str(out["text"]) and out["editor"] == "王晓禾"


# ---------------------------------------------------------------- a grid of section links is no article


def test_a_grid_of_section_links_loses_to_the_few_sentences_of_the_page() -> None:
    text = str(run(page("forum_error.html"), "http://bbs.hecheng.example.cn/dispbbs.asp?boardID=1&ID=2380")["text"])
    assert "该帖子已被版主移动或删除" in text
    assert "学会之家" not in text and "站务公告" not in text


def test_a_data_table_of_short_cells_with_a_header_rule_is_no_link_grid() -> None:
    from extract.navgrid import is_link_grid

    grid = ("| 科普天地 | 学会之家 | 院士风采 | 青少年 | 乡村振兴 |\n"
            "| 编程入门 | 航模爱好 | 植物识别 | 观鸟日记 | 化学实验 |")
    assert is_link_grid(grid)
    assert not is_link_grid(grid.replace("|\n", "|\n|---|---|---|---|---|\n", 1))
    assert not is_link_grid(grid + "\n本次活动共有二十个学会参加。")


# ---------------------------------------------------------------- a photo story repeating its lead under every photo


def test_a_lead_paragraph_repeated_under_every_photo_stays_as_often_as_the_page_prints_it() -> None:
    html = page("repeats.html")
    text = str(run(html, "https://news.example.org/local/valley-railway/")["text"])
    lead = "After a winter of repairs, the valley's old narrow-gauge railway carried passengers again"
    assert text.count(lead) == html.count(lead) > 2  # the body's lead and every photo's copy of it
    for who in ("Mei Lin", "Tom Reyes"):
        assert text.count(f"(Valley News/{who})") == html.count(f"(Valley News/{who})")
    assert text.index("Children meet the driver") > text.index("Volunteers polish the brass")


def test_readability_adding_a_line_trafilatura_lacks_is_no_mere_repeat() -> None:
    from extract.repeats import only_repeats

    first = "A lead paragraph of the story.\nA caption under a photo. (Photo/Ann)\nThe end of the story."
    repeated = first + "\nA caption under a photo.\nA lead paragraph of the story.\nA lead paragraph of the story."
    assert only_repeats(first, repeated)
    assert not only_repeats(first, repeated + "\nRelated: more stories from the valley")
    assert not only_repeats(first, first)  # nothing repeated: no case for readability
