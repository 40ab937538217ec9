"""A non-news page whose article is a classical poem with its 注释, 译文 and 赏析 (issue 17).

The poem stands in a small box with its title, author and a bar of tool links; both extractors
dropped that box as a link list and kept only the notes below it (extract/verse.py puts the
poem back). The page is of our own making (tests/pages_round2/poem.html).
"""

from __future__ import annotations

import re
from pathlib import Path

from extract.process import process_html

PAGE = (Path(__file__).parent / "pages_round2" / "poem.html").read_text(encoding="utf-8")
URL = "https://www.kepu.example.cn/scdkx/tangshi/1234.html"
POEM = ["空山新雨后，", "天气晚来秋。", "明月松间照，", "清泉石上流。", "竹喧归浣女，", "莲动下渔舟。", "随意春芳歇，",
        "王孙自可留。"]
NOTES = ["暝：日落，天色将晚。", "浣女：洗衣的女子。", "王孙：贵族子弟，这里是诗人自指。留：住下。"]
TRANSLATION = "一场秋雨刚刚下过，空旷的山野格外清新"
APPRECIATION = ["这首诗写秋日傍晚雨后的山村。", "颔联一静一动", "被称为“诗中有画”的代表作。"]
CHROME = ["科普资讯", "当前位置", "复制", "收藏", "朗读", "分享到微信", "王维的其他作品", "鹿柴", "但闻人语响",
          "相关阅读", "莲叶效应", "上一篇", "名句推荐", "海内存知己", "热门诗文", "静夜思", "辛弃疾", "观星活动",
          "关于我们", "主办单位", "ICP备", "版权所有", "0000-12345678"]
PROSE = "<p>" + "市科协召开学会工作会议，总结去年工作，部署今年任务，各学会负责人参加会议。" * 4 + "</p>"


def text_of(html: str) -> str:
    return str(process_html(html.encode("utf-8"), URL)["text"])


def lines_of(html: str) -> list[str]:
    return text_of(html).splitlines()


def test_poem_then_notes_translation_and_appreciation() -> None:
    out = process_html(PAGE.encode("utf-8"), URL)
    lines = str(out["text"]).splitlines()
    assert lines[: len(POEM)] == POEM  # the poem first, line by line, once
    assert lines[len(POEM)] == "注释"
    text = "\n".join(lines)
    assert all(note in lines for note in NOTES)
    assert TRANSLATION in text and all(part in text for part in APPRECIATION)
    assert text.index("注释") < text.index(TRANSLATION) < text.index(APPRECIATION[0])
    assert out["title"] == "山居秋暝"


def test_no_chrome() -> None:
    text = text_of(PAGE)
    assert [c for c in CHROME if c in text] == []


def test_poem_as_couplets_in_paragraphs() -> None:
    couplets = "".join(f"<p>{a}{b}</p>" for a, b in zip(POEM[::2], POEM[1::2], strict=True))
    html = re.sub(r'(<div class="shici-content">).*?(</div>)', rf"\g<1>{couplets}\g<2>", PAGE, flags=re.S)
    lines = lines_of(html)
    assert lines[:5] == ["空山新雨后，天气晚来秋。", "明月松间照，清泉石上流。", "竹喧归浣女，莲动下渔舟。",
                         "随意春芳歇，王孙自可留。", "注释"]


def test_poem_below_its_appreciation_is_put_after_it() -> None:
    box = re.search(r'<div class="shici">.*?<div class="shici-tools">.*?</div>\s*</div>', PAGE, flags=re.S)
    assert box is not None
    html = PAGE.replace(box.group(0), "").replace('<div class="related">', box.group(0) + '<div class="related">', 1)
    lines = lines_of(html)
    assert lines[-len(POEM):] == POEM
    assert lines[-len(POEM) - 1].endswith("被称为“诗中有画”的代表作。")


def test_poem_the_text_already_has_is_not_repeated() -> None:
    html = PAGE.replace('<a href="javascript:;" class="copy">复制</a>', "")  # the box is kept: fewer links
    text = text_of(html)
    assert all(text.count(line) == 1 for line in POEM)


def _news(sidebar: str, body: str = PROSE) -> str:
    return (f"<html><head><title>市科协召开学会工作会议</title></head><body><div class='nav'><a href='/'>首页</a>"
            f"<a href='/kpzx/'>科普资讯</a></div><div class='main'><h1>市科协召开学会工作会议</h1>"
            f"<p class='info'>发布日期：2024-03-10</p><div class='content'>{body}</div></div>"
            f"<div class='side'>{sidebar}</div><div class='footer'>版权所有 某某市科学技术协会</div></body></html>")


def test_news_page_keeps_a_distant_verse_box_out() -> None:
    links = "".join(f"<li><a href='/n/{i}.html'>关于开展二〇二四年度第{i}批科普示范社区评选工作的通知</a></li>"
                    for i in range(1, 6))
    sidebar = f"<h3>通知公告</h3><ul>{links}</ul><h3>每周一诗</h3><p>{'<br>'.join(POEM)}</p>"
    text = text_of(_news(sidebar))
    assert "学会工作会议" in text and not any(line in text for line in POEM)


def test_news_text_quoting_a_poem_gets_no_second_copy() -> None:
    body = PROSE + "<p>" + "<br>".join(POEM) + "</p>" + PROSE.replace("学会工作", "科普工作")
    text = text_of(_news("", body))
    assert all(text.count(line) == 1 for line in POEM)
