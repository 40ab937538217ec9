"""Decoding trusts the bytes: lying headers, lying meta tags, gb2312 read as gb18030."""

from __future__ import annotations

from pathlib import Path

from extract.decode import decode_html, header_charset, meta_charset

from .conftest import corpus_rows

TEXT = "新沂市科协召开学会工作会议，镕、堃、喆等生僻字也要正确。"  # 镕/堃/喆 are outside gb2312


def page(charset: str) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    return f"<html><head>{meta}</head><body><p>{TEXT}</p></body></html>"


def test_gbk_bytes_behind_a_utf8_header() -> None:
    body = page("gb2312").encode("gb18030")
    text, codec = decode_html(body, "text/html; charset=utf-8")
    assert codec == "gb18030" and TEXT in text and "\ufffd" not in text


def test_utf8_bytes_behind_a_gb2312_meta() -> None:
    body = page("gb2312").encode("utf-8")
    text, codec = decode_html(body, "text/html; charset=gbk")
    assert codec == "utf-8" and TEXT in text


def test_bom_wins_and_override_is_obeyed() -> None:
    assert decode_html(b"\xef\xbb\xbf" + page("gbk").encode("utf-8"))[1] == "utf-8"
    body = page("utf-8").encode("gb18030")
    assert decode_html(body, None, "gbk") == (page("utf-8"), "gb18030")


def test_labels_widen_to_supersets() -> None:
    assert meta_charset(b'<meta charset="GB2312">') == "gb18030"
    assert header_charset("text/html; charset=GBK") == "gb18030"
    assert header_charset("text/html; charset=nonsense") is None


def test_undecodable_bytes_still_give_text() -> None:
    text, _ = decode_html(b"<p>\xff\xfe\xfa broken \x81</p>", "text/html; charset=utf-8")
    assert "broken" in text


def test_utf8_with_a_few_broken_bytes_stays_utf8() -> None:
    """A UTF-8 page with a truncated sequence is not re-read as gb18030 mojibake."""
    body = page("utf-8").encode("utf-8").replace("镕".encode(), "镕".encode()[:2])
    text, codec = decode_html(body, "text/html; charset=gbk")
    assert codec == "utf-8" and "新沂市科协召开学会工作会议" in text


def test_ascii_page_is_utf8_whatever_it_declares() -> None:
    assert decode_html(b'<meta charset="utf-8"><p>plain ASCII</p>')[1] == "utf-8"


# ---------------------------------------------------------------- corpus: labels vs bytes

_FAMILY = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "utf-8": "utf-8"}


def _manifest_rows() -> list[tuple[Path, str, str]]:
    return [(folder / row["file"], row["original_encoding"].split("(")[0], row.get("declared_charset", ""))
            for folder, row in corpus_rows() if (folder / row["file"]).exists() and row.get("original_encoding")]


def test_corpus_pages_decode_by_their_bytes() -> None:
    """Every corpus page decodes with the codec its bytes really use (MANIFEST original_encoding),
    also the pages whose label lies (UTF-8 re-saved, still declaring gb2312), and with no more
    replacement characters than that codec itself gives."""
    rows = _manifest_rows()
    assert len(rows) > 150
    lying = wrong = 0
    for path, truth, declared in rows:
        body = path.read_bytes()
        text, codec = decode_html(body)
        want = _FAMILY.get(truth, truth)
        lying += _FAMILY.get(declared.lower(), declared.lower()) not in (want, "none", "unset", "")
        if not body.isascii() and codec != want:
            wrong += 1
        assert text.count("\ufffd") <= body.decode(want, "replace").count("\ufffd"), path.name
    assert wrong == 0 and lying >= 5  # the lying labels are really exercised


def test_corpus_labels_lie_but_bytes_win_with_a_lying_header_too() -> None:
    """A wrong HTTP header on top (utf-8 for GB pages, gbk for UTF-8 pages) changes nothing."""
    for path, truth, _ in _manifest_rows()[::5]:
        body = path.read_bytes()
        want = _FAMILY.get(truth, truth)
        header = "text/html; charset=" + ("gbk" if want == "utf-8" else "utf-8")
        assert body.isascii() or decode_html(body, header)[1] == want, path.name


def _score_by_patterns(text: str, codec: str) -> int:
    """The score as the patterns count it (findall), which extract/codec_score.py sums in numpy."""
    import re

    from extract import codec_score as c

    found = 2 * len(c.common_han().findall(text)) - 4 * len(c.BAD.findall(text))
    if codec in c._CJK_SCRIPTS:
        return found + 2 * len(re.findall(c._CJK_SCRIPTS[codec], text))
    return found + (len(c.SINGLE_BYTE_LETTERS.findall(text)) if codec not in c._MULTIBYTE else 0)


def test_codec_scores_count_what_the_patterns_count() -> None:
    import random

    from extract.codec_score import score

    rng = random.Random(26)
    pool = [chr(i) for i in range(0x3000)] + [chr(i) for i in range(0x4E00, 0xA000, 7)] + list(
        "\ufffd\ue123\U0001f600\udcffé\u00c0aZжअ")
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 80))) for _ in range(1500)]
    texts += ["".join(map(chr, range(0x110000))), "Café résumé naïve", "é", "aé", "éa", TEXT]
    for text in texts:
        for codec in ("gb18030", "big5hkscs", "utf-8", "cp1252", "shift_jis", "euc_kr"):
            assert score(text, codec) == _score_by_patterns(text, codec), (text[:40], codec)
    body = TEXT.encode("gb18030")
    for codec in ("gb18030", "big5hkscs", "cp1252"):
        assert score(body.decode(codec, "replace"), codec) == _score_by_patterns(body.decode(codec, "replace"), codec)
