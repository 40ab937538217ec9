"""A notice whose main content is prose and then a data table (获奖名单) in one container.

The prose is `<br>`-separated lines in a nested `<div>`, the table its neighbour: trafilatura
(favor_precision) keeps only the table, readability only the prose, so neither text has both
(extract/tables.py puts them back together, in document order). The page is of our own making
(tests/pages_round2/notice_table.html).
"""

from __future__ import annotations

from pathlib import Path

from extract.process import process_html

PAGE = (Path(__file__).parent / "pages_round2" / "notice_table.html").read_text(encoding="utf-8")
URL = "https://www.kx.example.cn/tzgg/202.html"
PROSE = ["各区县（市）科协，各全市性学会、协会、研究会，各有关单位：",
         "市科协决定授予王建华等八位同志2024年度某市青年科技奖",
         "弘扬科学家精神，为建设创新型城市作出更大贡献", "确保推荐质量，推动形成人才辈出、竞相发展的生动局面",
         "现将获奖名单公布如下："]
HEADER = ["序号", "姓名", "单位", "项目"]
ROWS = [("王建华", "浙江大学", "高效低成本光伏电池关键材料研究"),
        ("李晓梅", "中国科学院宁波材料技术与工程研究所", "海洋防腐涂层的设计与应用"),
        ("陈志强", "宁波大学", "智能制造装备故障诊断方法"), ("张丽娟", "浙江工业大学", "城市污水资源化处理技术"),
        ("刘海涛", "杭州电子科技大学", "面向物联网的低功耗芯片设计"),
        ("赵文静", "温州医科大学", "眼科疾病早期筛查人工智能系统"),
        ("孙国平", "浙江农林大学", "竹资源高值化利用关键技术"), ("周雅琴", "中国计量大学", "精密测量仪器校准方法研究")]
CLOSING = ["特此通知。", "2024年5月20日"]
CHROME = ["科协动态", "学会工作", "请输入关键词", "栏目导航", "热点新闻", "科普大篷车", "当前位置", "浏览次数",
          "分享到", "上一篇", "下一篇", "全国科技活动周", "网站地图", "主办单位", "0000-12345678", "版权所有", "ICP备"]


def text_of() -> str:
    return str(process_html(PAGE.encode("utf-8"), URL)["text"])


def test_prose_then_table_rows_in_order() -> None:
    text = text_of()
    assert all(part in text for part in PROSE), [p for p in PROSE if p not in text]
    assert all(cell in text for cell in HEADER)
    assert all(cell in text for row in ROWS for cell in row), [r for r in ROWS if any(c not in text for c in r)]
    places = [text.index(p) for p in PROSE] + [text.index(row[2]) for row in ROWS]
    assert places == sorted(places)  # the prose first, then the winners in the table's order
    table = text.index(HEADER[0], text.index(PROSE[-1]))  # the name 王建华 is in the prose too
    for name, unit, project in ROWS:  # each row's cells together, in their columns' order
        at = text.index(name, table)
        assert at < text.index(unit, at) < text.index(project, at)


def test_closing_line_after_the_table() -> None:
    text = text_of()
    assert all(line in text for line in CLOSING)
    assert text.index(ROWS[-1][2]) < text.index(CLOSING[0])


def test_no_chrome() -> None:
    text = text_of()
    assert [c for c in CHROME if c in text] == []
