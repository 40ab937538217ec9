"""Hand-computed examples for bench/scoring.py (the benchmark's figures rest on these rules)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # bench/ is not an installed package
    sys.path.insert(0, str(ROOT))

from bench.scoring import (  # noqa: E402
    PRF,
    date_right,
    find_leaks,
    is_chinese,
    prf,
    score_text,
    snippet_scores,
    title_match,
    tokens,
    true_date,
)


def approx(result: PRF, p: float, r: float, f: float) -> bool:
    """Compare all three figures to hand-computed values."""
    return (result.precision, result.recall, result.f1) == pytest.approx((p, r, f))


def test_tokens_are_cjk_bigrams_and_lowercased_latin_words() -> None:
    assert tokens("AI 科协 News") == Counter({"ai": 1, "科协": 1, "news": 1})
    # a lone CJK character makes no bigram
    assert tokens("是 the") == Counter({"the": 1})


def test_partial_overlap() -> None:
    # pred 科协/协新/新闻 (3), truth adds 闻发/发布 (5): common 3 → P 1, R 3/5, F1 0.75
    assert approx(score_text("科协新闻", "科协新闻发布"), 1.0, 0.6, 0.75)


def test_latin_words_and_bigrams_mix() -> None:
    # pred {ai, 科协, news}, truth {ai, 科协}: P 2/3, R 1, F1 0.8
    assert approx(score_text("AI 科协 news", "ai 科协"), 2 / 3, 1.0, 0.8)


def test_multiset_intersection_counts_repeats_once_each() -> None:
    # pred {科协: 2, 协科: 1}, truth {科协: 1}: common 1 → P 1/3, R 1, F1 0.5
    assert approx(score_text("科协科协", "科协"), 1 / 3, 1.0, 0.5)


def test_traditional_matches_simplified() -> None:
    assert approx(score_text("中國科學技術協會", "中国科学技术协会"), 1.0, 1.0, 1.0)


def test_full_width_forms_match_ascii() -> None:
    assert approx(score_text("Ｋｅｘｉｅ ２０２４，科协！", "kexie 2024, 科协!"), 1.0, 1.0, 1.0)


def test_line_breaks_do_not_cost_bigrams_but_punctuation_breaks_runs() -> None:
    assert approx(score_text("科协\n新闻", "科协新闻"), 1.0, 1.0, 1.0)
    # 科协，新闻 → {科协, 新闻}; truth {科协, 协新, 新闻}: P 1, R 2/3, F1 0.8
    assert approx(score_text("科协，新闻", "科协新闻"), 1.0, 2 / 3, 0.8)


def test_empty_prediction_scores_zero() -> None:
    assert approx(score_text("", "科协新闻"), 0.0, 0.0, 0.0)
    assert approx(prf(Counter(), Counter()), 1.0, 1.0, 1.0)


def test_icp_number_not_in_truth_is_a_leak() -> None:
    pred = "科协召开年会\n豫ICP备12012260号-3"
    assert find_leaks(pred, "科协召开年会") == ["豫ICP备12012260号-3"]
    assert find_leaks(pred, "科协召开年会 豫ICP备12012260号") == []


def test_leak_keywords_respect_what_the_truth_keeps() -> None:
    truth = "正文。\n【责任编辑：张三】"
    assert find_leaks("正文。\n【责任编辑：张三】", truth) == []
    assert find_leaks("正文。\n责任编辑：张三\n責任編輯：李四", truth) == ["责任编辑:李四"]
    footer = "正文\n版權所有 © 某科协\n技术支持：某公司"
    assert find_leaks(footer, "正文") == ["版权所有 © 某科协", "技术支持:某公司"]
    assert find_leaks("正文\n京公网安备 11010502030143号", "正文") == ["京公网安备 11010502030143号"]


def test_snippet_scores() -> None:
    pred = "一个约定，信守15年\n感人至深\nICP证010042号"
    must = ["一个约定，信守15年", "感人至深", "未抽取"]
    present, absent = snippet_scores(pred, must, ["ICP证010042号", "版权"])
    assert present == pytest.approx(2 / 3)
    assert absent == pytest.approx(1 / 2)
    assert snippet_scores(pred, [], []) == (None, None)


def test_true_date_and_date_right() -> None:
    assert true_date("2005-3-11 12:12") == "2005-03-11"
    assert true_date("2023-11-17T00:00:00") == "2023-11-17"
    assert true_date("UNKNOWN") is None
    assert true_date("2018") is None
    assert true_date("1998-3") is None
    assert date_right("2005-03-11T08:00:00+08:00", "2005-03-11")
    assert not date_right(None, "2005-03-11")
    assert not date_right("2005-03-12", "2005-03-11")


def test_title_match() -> None:
    assert title_match(" 话剧《约定无期限》\n河北 ", "话剧《约定无期限》 河北") == (True, True)
    assert title_match("标题_腾讯网", "标题") == (False, True)
    assert title_match(None, "标题") == (False, False)
    # scored like the texts: script and full-width forms do not count, words do
    assert title_match("新竹尖石_美树营地赏枫", "新竹尖石_美樹營地賞楓") == (True, True)
    assert title_match("欲張りなイヌ　＜福娘童話集＞", "欲張りなイヌ <福娘童話集>") == (True, True)
    assert title_match("美树营地", "美樹營地赏枫") == (False, True)


def test_is_chinese() -> None:
    assert all(is_chinese(tag) for tag in ("zh", "zh-Hant", "zh-CN"))
    assert not any(is_chinese(tag) for tag in ("en", "ja", "ko", ""))


def test_summary_is_always_twelve_lines() -> None:
    from bench.quality import summary

    assert len(summary([], (), ("zh",), "run: nothing", "not requested")) == 12


def test_words_of_other_scripts_are_tokens() -> None:
    """Urdu, Hindi and Turkish pages are scored by their words, less their own full stops."""
    bag = tokens("یہ ایک خبر ہے۔ यह एक समाचार है। Bu bir haberdir.")
    assert {"خبر", "ہے", "समाचार", "है", "haberdir"} <= set(bag)
    assert not any(mark in word for word in bag for mark in "۔।")
