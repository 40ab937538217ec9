"""Wrong content is never stored as an article (issue 13, the content part of the fault matrix).

Each body goes through the whole CPU pipeline (`process_html`, or `process` where the reject
detail is checked) and either keeps the right Chinese text or is kept aside with a clear reason:
files that are no HTML page (PDF as text/html, images, archives, JSON, XML), text too damaged
to decode, empty bodies.  Bodies are built from the sample web's real pages (GBK, UTF-8 and the
traditional edition) encoded with Python codecs, then damaged.
"""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest
from opencc.opencc import OpenCC  # opencc-python-reimplemented (the C++ binding shares its folder)

from extract.decode import decode_body
from extract.page import Page
from extract.process import process, process_html

SITES = Path(__file__).resolve().parents[1] / "tools" / "sampleweb" / "sites"
GBK_PAGE = SITES / "xyast" / "xwdt" / "2815.htm"  # real GBK bytes, meta gb2312
GBK_URL = "http://www.xyast.org.cn/xwdt/2815.htm"
GBK_MUST = ["新沂市全国科普日活动启动仪式", "让科学知识走进千家万户"]
UTF8_PAGE = SITES / "esast" / "xwzx" / "gzdt" / "202209" / "t20220920_1404512.html"
UTF8_URL = "http://www.esast.example/xwzx/gzdt/202209/t20220920_1404512.html"
UTF8_MUST = ["恩施州2022年全国科普日主", "网络科普知识竞赛"]
TRAD_PAGE = SITES / "cdkx" / "big5" / "xwzx" / "kxyw" / "content_38042.html"  # traditional, UTF-8
TRAD_URL = "http://www.cdkx.example/big5/xwzx/kxyw/content_38042.html"
TRAD_MUST = ["武陵区科协依托社区党群服务中", "服务居民3.6万人次"]
PARA = [
    "新沂市科协近日召开学会工作会议，总结去年学会工作，部署今年重点任务，各学会负责人参加会议。",
    "会议指出，各学会要围绕中心、服务大局，在科普宣传、学术交流和人才举荐等方面持续发力。",
]
MOJIBAKE = ("Ã", "Â", "ç§", "å", "Ñ", "\ufffd")
LYING_UTF8 = {"Content-Type": "text/html; charset=utf-8"}


def short_page(meta: str = "") -> str:
    return (f"<html><head>{meta}<title>学会工作会议召开</title></head><body><h1>学会工作会议召开</h1>"
            "<p>发布时间：2024-03-05</p>" + "".join(f"<p>{p}</p>" for p in PARA) + "</body></html>")


def rejected(body: bytes, content_type: str | None = "text/html") -> tuple[str | None, str]:
    page = process(Page(url="http://www.example.org/a/1.htm", body=body,
                        headers={"Content-Type": content_type} if content_type else {}))
    return page.reject_reason, page.reject_detail


def assert_clean(text: str, *must: str) -> None:
    for sentence in must:
        assert sentence in text
    for junk in MOJIBAKE:
        assert junk not in text, junk


def damage(body: bytes, count: int, junk: bytes = b"\xff", after: int = 0) -> bytes:
    """`junk` before each of the first `count` '<' after byte `after`: bytes no codec here can read."""
    head, tail = body[:after], body[after:].split(b"<")
    return head + tail[0] + b"".join((junk if i <= count else b"") + b"<" + part
                                     for i, part in enumerate(tail[1:], start=1))


# ---------------------------------------------------------------- 1. not an HTML page at all

def fake_pdf(size: int) -> bytes:
    """A PDF with text streams only: no NUL anywhere, GBK-looking bytes and a plausible date."""
    stream = ("BT /F1 12 Tf (2024-03-05 " + "科协学会工作会议" * 20 + ") Tj ET\n").encode("gb18030")
    parts = [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"]
    while sum(map(len, parts)) < size - 200:
        parts.append(b"4 0 obj\n<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream\nendobj\n")
    body = b"".join(parts)
    return body + b"%" * (size - len(body) - 6) + b"\n%%EOF"


def test_pdf_served_as_html_is_not_an_article() -> None:
    body = fake_pdf(48_213)
    assert b"\x00" not in body and len(body) == 48_213
    assert process_html(body, "http://www.example.org/a/1.htm", {"Content-Type": "text/html"})["reject_reason"] \
        == "not_html"
    assert rejected(body) == ("not_html", "a PDF document (%PDF-1.4), 48,213 bytes, served as text/html")
    assert rejected(b"\r\n" + body, None)[1].startswith("a PDF document (%PDF-1.4), 48,215 bytes, served with no")


FILLER = ("学会工作会议召开，发布时间：2024-03-05。" * 40).encode("gb18030")  # what gb18030 would read as an article


@pytest.mark.parametrize(("start", "kind"), [
    (b"PK\x03\x04\x14\x00\x06\x00", "a zip archive, docx or xlsx (50 4b 03 04)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (d0 cf 11 e0)"),
    (b"GIF89a\x10\x00", "a GIF image (GIF89a)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image (PNG)"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image (JFIF)"),
    (b"RIFF\x24\x08\x00\x00WEBPVP8 ", "a WebP image (WEBP)"),
    (b"ID3\x04\x00\x00", "an MP3 audio file (ID3)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (37 7a bc af)"),
    (b"Rar!\x1a\x07\x01\x00", "a RAR archive (Rar!)"),
    (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "an MP4/ISO media file (ftypisom)"),
    (b"OggS\x00\x02", "an Ogg media file (OggS)"),
    (b"%!PS-Adobe-3.0\n", "a PostScript document (%!PS-Adobe-3.0)"),
])
def test_files_behind_article_links_are_named(start: bytes, kind: str) -> None:
    body = start + FILLER
    assert rejected(body) == ("not_html", f"{kind}, {len(body):,} bytes, served as text/html")


def test_gzip_that_was_not_decoded() -> None:
    body = gzip.compress(short_page().encode("gb18030"), mtime=0)
    assert rejected(body)[1].startswith("gzip data that was not decoded (1f 8b 08 00), ")


def test_nul_bytes_and_control_bytes_mean_binary() -> None:
    noise = random.Random(13).randbytes(20_000)
    assert rejected(noise)[0] == "not_html" and "NUL bytes in the first 8,192" in rejected(noise)[1]
    no_nul = bytes(b or 1 for b in noise)
    assert rejected(no_nul)[0] == "not_html" and "control bytes in the first 8,192" in rejected(no_nul)[1]


def test_a_stray_nul_in_real_markup_is_dropped_not_turned_into_fffd() -> None:
    body = short_page().encode("gb18030").replace(b"<p>", b"<p>\x00", 1)
    out = process_html(body, GBK_URL)
    assert out["reject_reason"] is None
    assert_clean(out["text"], *PARA)


def test_json_and_xml_served_as_html() -> None:
    json_body = '{"code":0,"data":{"title":"学会工作会议召开","content":"<p>新沂市科协</p>"}}'.encode()
    assert rejected(json_body) == ("not_html", f'a JSON document ({{"code":0,"data":{{"title…), '
                                               f"{len(json_body)} bytes, served as text/html")
    rss = ('<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet href="x.xsl"?><rss version="2.0"><channel>'
           f"<item><title>学会工作会议召开</title><description>{PARA[0]}2024-03-05</description></item>"
           "</channel></rss>").encode()
    assert rejected(rss)[1].startswith("an XML document (<rss>), ")
    sitemap = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/a/1.htm</loc></url></urlset>'
    assert rejected(sitemap)[1].startswith("an XML document (<urlset>), ")
    xhtml = b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + short_page().encode().replace(
        b"<html>", b'<html xmlns="http://www.w3.org/1999/xhtml">')
    assert process_html(xhtml, GBK_URL)["reject_reason"] is None


@pytest.mark.parametrize("content_type", ["application/pdf", "image/jpeg", "application/zip", "video/mp4",
                                          "application/octet-stream", "application/msword",
                                          "application/vnd.ms-excel"])
def test_a_label_that_is_not_html_counts_when_the_bytes_have_no_markup(content_type: str) -> None:
    text = "日期,标题\n2024-03-05,学会工作会议召开\n".encode("gb18030")
    assert rejected(text, content_type) == ("not_html", f"a document with no HTML markup, {len(text)} bytes, "
                                                        f"served as {content_type}")


@pytest.mark.parametrize("content_type", ["application/octet-stream", "text/plain", "application/pdf", None])
def test_real_html_behind_a_wrong_label_is_kept(content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    out = process_html(GBK_PAGE.read_bytes(), GBK_URL, headers)
    assert out["reject_reason"] is None and out["encoding"] == "gb18030"
    assert_clean(out["text"], *GBK_MUST)


# ---------------------------------------------------------------- 2. the right codec, damage counted

def test_short_gbk_page_with_broken_bytes_is_gb18030_not_cp1252() -> None:
    """The tester's page: short, a truncated character and a stray byte; cp1252 used to win."""
    body = short_page().encode("gb18030")
    body = body.replace("召开</h1>".encode("gb18030"), "召开".encode("gb18030")[:-1] + b"</h1>")
    body = body.replace("<p>会议".encode("gb18030"), b"\xff<p>" + "会议".encode("gb18030"))
    for headers in ({}, LYING_UTF8, {"Content-Type": "text/html; charset=iso-8859-1"}):
        out = process_html(body, GBK_URL, headers)
        assert (out["reject_reason"], out["encoding"]) == (None, "gb18030")
        assert_clean(out["text"], *PARA)


def test_real_gbk_page_with_two_broken_bytes_keeps_its_text_without_fffd() -> None:
    body = damage(GBK_PAGE.read_bytes(), 2, after=GBK_PAGE.read_bytes().index(b"<body"))
    assert decode_body(body).undecodable == 2
    out = process_html(body, GBK_URL, LYING_UTF8)
    assert (out["reject_reason"], out["encoding"]) == (None, "gb18030")
    assert_clean(out["text"], *GBK_MUST)
    assert out["published_at"] == "2021-09-18T08:55:27+08:00"


@pytest.mark.parametrize("label", ["lying utf-8 meta", "no label"])
def test_big5_page_is_big5_not_gb18030(label: str) -> None:
    html = TRAD_PAGE.read_text(encoding="utf-8")
    if label == "no label":
        html = html.replace('<meta charset="utf-8">', "")
    out = process_html(html.encode("big5hkscs"), TRAD_URL)
    assert (out["reject_reason"], out["encoding"]) == (None, "big5hkscs")
    assert_clean(out["text"], *TRAD_MUST)  # stored simplified, as every traditional page is


def test_big5_converted_gbk_page_under_a_gb2312_meta() -> None:
    """A traditional edition re-encoded as Big5 that still declares gb2312: the bytes win."""
    html = OpenCC("s2t").convert(GBK_PAGE.read_bytes().decode("gb18030"))
    out = process_html(html.encode("big5hkscs", "xmlcharrefreplace"), GBK_URL)
    assert out["encoding"] == "big5hkscs" and out["reject_reason"] is None
    assert_clean(out["text"], "新沂市全国科普日活动启动仪式")


def test_utf8_with_a_few_bad_bytes_keeps_no_fffd() -> None:
    raw = UTF8_PAGE.read_bytes()
    body = damage(raw, 1, after=raw.index(b"<body"))
    body = body.replace(b"</title>", b"\xe6\x80</title>", 1)  # a character cut short
    decoded = decode_body(body, LYING_UTF8["Content-Type"])
    assert (decoded.codec, decoded.undecodable) == ("utf-8", 3)
    out = process_html(body, UTF8_URL, {"Content-Type": "text/html; charset=gbk"})
    assert (out["reject_reason"], out["encoding"]) == (None, "utf-8")
    assert_clean(out["text"], *UTF8_MUST)


def test_literal_fffd_in_valid_utf8_is_removed() -> None:
    body = short_page().replace("会议指出", "会议指出\ufffd\ufffd").encode()
    assert "\ufffd" not in process_html(body, GBK_URL)["text"]


@pytest.mark.parametrize(("path", "codec", "count"), [(GBK_PAGE, "gb18030", 37), (UTF8_PAGE, "utf-8", 60)])
def test_too_many_undecodable_bytes_is_a_decoding_reject(path: Path, codec: str, count: int) -> None:
    body = damage(path.read_bytes(), count)
    assert process_html(body)["reject_reason"] == "decoding"
    assert rejected(body) == ("decoding", f"{codec} with {count} undecodable bytes")


def test_a_short_page_over_one_percent_is_rejected() -> None:
    body = damage(short_page().encode("gb18030"), 5, after=60)
    assert rejected(body) == ("decoding", "gb18030 with 5 undecodable bytes")


# ---------------------------------------------------------------- 3. the other cheap classes

@pytest.mark.parametrize(("body", "detail"), [
    (b"", "0 bytes"), (b" \r\n\t" * 50, "200 bytes of whitespace only"),
    (b"\xef\xbb\xbf\r\n", "5 bytes of whitespace only"),
])
def test_empty_and_whitespace_bodies(body: bytes, detail: str) -> None:
    assert rejected(body) == ("empty_page", detail)


def test_html_with_no_body_text() -> None:
    body = b"<html><head><title>x</title></head><body><div><img src=a.png></div></body></html>"
    assert rejected(body)[0] == "no_text"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(codec: str) -> None:
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    for body in (bom + short_page().encode(codec), short_page().encode(codec)):
        out = process_html(body, GBK_URL)
        assert (out["reject_reason"], out["encoding"]) == (None, codec)
        assert_clean(out["text"], *PARA)


@pytest.mark.parametrize("charset", ["x-user-defined", "gb_2312-80", "no-such-codec", "utf-16"])
def test_meta_charset_naming_an_unknown_or_impossible_codec(charset: str) -> None:
    body = short_page(f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">').encode("gb18030")
    out = process_html(body, GBK_URL)
    assert (out["reject_reason"], out["encoding"]) == (None, "gb18030")
    assert_clean(out["text"], *PARA)


def test_a_one_megabyte_single_line_page_stays_bounded() -> None:
    """No newline anywhere: the page is extracted whole (about 1 s per MB here; its speed is the
    benchmarks' business, not a timed test's)."""
    para = "".join(f"<p>{p}</p>" for p in PARA)
    body = short_page().replace("</body>", para * (1_000_000 // len(para.encode("gb18030"))) + "</body>")
    raw = body.encode("gb18030")
    assert b"\n" not in raw and len(raw) > 950_000
    out = process_html(raw, GBK_URL)
    assert out["reject_reason"] is None and out["encoding"] == "gb18030" and PARA[1] in out["text"]
