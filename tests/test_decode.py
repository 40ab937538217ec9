"""Decoding trusts the bytes: lying headers, lying meta tags, gb2312 read as gb18030."""

from __future__ import annotations

from pipelines.decode import decode_html, header_charset, meta_charset

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
