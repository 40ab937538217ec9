"""extract.normalise: t2s, ruby removal, tidy, hash form (seed 003 is a real ruby page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract import normalise
from extract.normalise import has_traditional, hash_form, strip_pinyin, tidy, to_simplified

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
# a bracket holding one tone-marked pinyin syllable: what a flattened <ruby> leaves behind
RUBY = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")


def seed(prefix: str) -> str:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip("seed pages not available")
    return files[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_003() -> str:
    return seed("003")


def test_t2s_first_paragraph_of_seed_003(seed_003: str) -> None:
    para = strip_pinyin(seed_003.splitlines()[1])
    assert para.startswith("發展新質生產力是科協組織的嶄新使命")
    simplified = to_simplified(para)
    assert simplified.startswith(
        "发展新质生产力是科协组织的崭新使命,厚植科普沃土更是科协组织作为科普工作主要社会力量的应有之义。"
        "五年来,常德市科学技术协会每年均被评为全国科普日活动优秀组织单位,"
    )
    assert simplified.endswith("先后被中国科协授予全民科学素质工作先进集体等4项国家级荣誉,受到省级表彰17次。")
    assert not has_traditional(simplified)


def test_t2s_is_mainland_t2s_not_taiwan_phrases() -> None:
    # tw2sp would rewrite 軟體 -> 软件 and 滑鼠 -> 鼠标; plain t2s only changes the script
    assert to_simplified("軟體與滑鼠") == "软体与滑鼠"
    assert to_simplified("反覆") == "反复"  # phrase-level conversion still applies
    assert to_simplified("全覆盖") == "全覆盖"


def test_t2s_skips_opencc_for_simplified_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> None:
        raise AssertionError("OpenCC must not run on simplified text")

    monkeypatch.setattr(normalise, "_converter", boom)
    text = "南阳市科协团结带领科技工作者展现时代新作为，实现全覆盖。"
    assert to_simplified(text) == text
    with pytest.raises(AssertionError):
        to_simplified("科協")


def test_t2s_converts_only_lines_that_need_it() -> None:
    assert to_simplified("第一行简体\n第二行：發展\n") == "第一行简体\n第二行：发展\n"


def test_strip_pinyin_removes_every_ruby_of_seed_003(seed_003: str) -> None:
    before = len(RUBY.findall(seed_003))
    assert before == 209  # counted by hand on the page: every Han with a ruby
    out = strip_pinyin(seed_003)
    assert RUBY.findall(out) == []
    assert "(xié)" not in out and "(fā)" not in out and "(zhì)" not in out
    assert out.splitlines()[0] == "凝聚科協力量 發展新質生產力"
    # the one ruby after a mojibake Latin letter goes too: this is a ruby page
    assert "茀f組織" in out
    # nothing but rubies was removed
    assert len(seed_003) - len(out) == sum(len(m) for m in RUBY.findall(seed_003))


@pytest.mark.parametrize(
    "text",
    [
        "来源(李洲)",
        "规划纲要(2021-2035年)",
        "(全媒体记者 余耀耀)",
        "各县(市、区)",
        "版权(Copyright)",
        "选项(a)",
        "“协”字读作 (xié)",  # a gloss after a space is deliberate
        "Unicode(xié)",  # toned pinyin after a Latin letter, on a page that is not a ruby page
        "(xié)",  # no character before it at all
        "科协(CAST)",
    ],
)
def test_strip_pinyin_keeps_real_brackets(text: str) -> None:
    assert strip_pinyin(text) == text


def test_strip_pinyin_after_han_and_on_ruby_pages() -> None:
    assert strip_pinyin("科協(xié)與質(zhì)量（liàng）") == "科協與質量"
    assert strip_pinyin("中国(zhōng guó)") == "中国"
    # toneless syllables only go on a ruby page (three or more toned rubies after Han)
    assert strip_pinyin("我們(men)") == "我們(men)"
    assert strip_pinyin("科(kē)協(xié)發(fā)展 我們(men) X(xié)") == "科協發展 我們 X"


def test_tidy_full_width_indents_and_blank_lines() -> None:
    raw = (
        "\u3000\u3000第一段  有  空格\u00a0\u00a0 \n\n\n\n\u00a0\u00a0第二段\u3000中间\n \u3000 \n\t第三段\u200b。  \n"
    )
    assert tidy(raw) == "第一段 有 空格\n第二段 中间\n第三段。"


def test_tidy_seed_indents() -> None:
    seed_000 = seed("000")  # e-paper text indented with two spaces and one "\u00a0 \u00a0 "
    lines = tidy(seed_000).split("\n")
    assert all(line and line == line.strip() and "\u3000" not in line for line in lines)
    assert "  加强思想政治引领,凝心铸魂筑牢根本。" in seed_000
    assert "加强思想政治引领,凝心铸魂筑牢根本。" in lines
    assert "加强协调推动,推进全民科学素质稳步提升。" in lines  # was "\u00a0 \u00a0 加强…"
    assert len(lines) == len([x for x in seed_000.splitlines() if x.strip()])


def test_hash_form_ignores_punctuation_whitespace_width_and_script() -> None:
    text = "汇聚科技创新力量，助力高质量发展！——南阳市科协（2021年）"
    variants = [
        "汇聚科技创新力量,助力高质量发展!--南阳市科协(2021年)",
        "汇聚科技创新力量  助力高质量发展\n——南阳市科协 （２０２１年）",
        "匯聚科技創新力量，助力高質量發展！——南陽市科協（2021年）",
    ]
    assert hash_form(text) == "汇聚科技创新力量助力高质量发展南阳市科协2021年"
    for v in variants:
        assert hash_form(v) == hash_form(text)
    assert hash_form("ABC Def") == "abcdef"
    assert hash_form(text) != hash_form(text.replace("2021", "2022"))


def test_japanese_is_recognised_so_its_kanji_are_not_simplified() -> None:
    from extract.normalise import is_japanese

    assert is_japanese("トレンドマイクロ、公衆無線LANを安全に使うためのアプリ")
    assert is_japanese("米朝首脳直通電話 習氏に挑むトランプ戦術の成否")
    assert not is_japanese("新沂市科協召開學會工作會議")  # traditional Chinese: converted as before
    assert not is_japanese("科普の窗")  # one stray kana in Chinese text is not Japanese


def test_japanese_page_keeps_its_script_end_to_end() -> None:
    from extract.process import process_html

    text = "肉をくわえたイヌが、橋を渡っていました。ふと下を見ると、川の中にも肉をくわえたイヌがいます。" * 3
    html = f"<html><head><title>欲張りなイヌ 動画</title></head><body><p>{text}</p><p>{text}</p></body></html>"
    out = process_html(html.encode())
    assert out["title"] == "欲張りなイヌ 動画" and "渡っていました" in out["text"]


def test_t2s_runs_in_the_cpp_binding_with_the_same_output_as_the_pure_python_package() -> None:
    """The binding (extract/normalise.py) converts with opencc-python-reimplemented's dictionaries:
    every line of the sample web's traditional site, and phrase-level cases, come out the same."""
    from opencc.opencc import OpenCC

    assert normalise._converter().__module__ == "extract.normalise"  # the binding, not the pure-Python class
    pure = OpenCC("t2s").convert
    site = Path(__file__).resolve().parent.parent / "tools" / "sampleweb" / "sites" / "cdkx"
    lines = [ln for page in sorted(site.rglob("*.html")) for ln in page.read_text("utf-8").splitlines() if ln.strip()]
    lines += ["反覆討論後全覆蓋", "甯昇舖 軟體與滑鼠", "乾隆年間乾燥的乾坤"]
    assert len(lines) > 100 and any(normalise.has_traditional(ln) for ln in lines)
    assert [normalise.to_simplified(ln) for ln in lines] == [pure(ln) for ln in lines]
