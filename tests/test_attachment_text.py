"""Attachment files read offline (extract/attachment.py, extract/attachment_text.py): what a file is,
what it is called, and its text, for each kind; fixtures made at test time (bench/attachfiles.py)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bench import attachfiles
from extract.attachment import Attachment, describe, file_name, is_attachment_link, sniff_mime
from extract.attachment_text import process_attachment, read_text


def test_links_that_are_attachments() -> None:
    assert is_attachment_link("http://x.cn/uploadfile/2024/%E6%8C%87%E5%8D%97.PDF", "申报指南") is True
    assert is_attachment_link("http://x.cn/a/b.wps", "") is True
    assert is_attachment_link("http://x.cn/down.jsp?id=3", "附件下载") is None  # kept only if a file answers
    assert is_attachment_link("http://x.cn/news/1.html", "新闻") is False


def test_file_names_from_content_disposition_link_text_or_url() -> None:
    assert file_name("attachment; filename*=UTF-8''%E6%8E%A8%E8%8D%90%E8%A1%A8.docx", "", "http://x/d?id=1") == \
        "推荐表.docx"
    assert file_name('attachment; filename="list.xlsx"', "", "http://x/d") == "list.xlsx"
    assert file_name("", "附件1：申报指南.pdf", "http://x/f/abc.pdf") == "申报指南.pdf"
    assert file_name("", "点击下载", "http://x/f/%E5%90%8D%E5%8D%95.xls") == "名单.xls"
    assert file_name("attachment; filename=\"../../etc/passwd\"", "", "http://x/") == "_.._etc_passwd"


@pytest.mark.parametrize(("kind", "mime", "phrase"), [
    ("pdf", "application/pdf", "科普示范县"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "推荐单位意见"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "一等奖"),
    ("xls", "application/vnd.ms-excel", "示范基地"),
])
def test_each_kind_is_sniffed_and_read(kind: str, mime: str, phrase: str) -> None:
    body = {"pdf": lambda: attachfiles.pdf(["关于开展科普示范县申报工作的通知"]),
            "docx": lambda: attachfiles.docx(["推荐表"], [["推荐单位意见", "盖章"]]),
            "xlsx": lambda: attachfiles.xlsx([["序号", "奖项"], [1, "一等奖"]]),
            "xls": lambda: attachfiles.xls([["序号", "名称"], [1, "示范基地"]])}[kind]()
    assert sniff_mime(body, "whatever.bin") == mime  # from the bytes, not the name
    text, status = read_text(body, mime)
    assert status == "ok" and phrase in text


def test_a_scanned_pdf_is_marked_no_text_and_odd_files_keep_a_status() -> None:
    assert read_text(attachfiles.scanned_pdf(), "application/pdf") == ("", "no_text")
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("名单.txt", "x")
    assert sniff_mime(packed.getvalue()) == "application/zip"
    assert read_text(packed.getvalue(), "application/zip") == ("", "unsupported")
    text, status = read_text(b"%PDF-1.4 broken", "application/pdf")
    assert text == "" and status.startswith("error: ")


def test_text_is_simplified_with_the_original_kept() -> None:
    item = process_attachment(describe(Attachment(url="http://x/a.pdf", body=attachfiles.pdf(["現將有關事項通知如下"]),
                                                  link_text="附件：通知.pdf")))
    assert (item.mime, item.name, item.size) == ("application/pdf", "通知.pdf", len(item.body))
    assert item.text == "现将有关事项通知如下" and item.text_original == "現將有關事項通知如下"
    assert len(item.sha256) == 64


def test_the_bench_prints_seconds_per_mib_for_each_kind() -> None:
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "bench/attachments.py", "--scale", "1", "--repeat", "1"], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    kinds = [line.split()[0] for line in done.stdout.splitlines()[1:]]
    assert kinds == ["pdf", "pdf", "docx", "xlsx", "xls"]
    assert "pdfplumber (same characters)" in done.stdout
    for line in done.stdout.splitlines()[1:]:
        assert float(line.split()[4]) >= 0  # s/MiB


def test_an_ofd_file_gives_its_text_runs_in_page_order() -> None:
    """OFD, the Chinese fixed-layout format government notices increasingly use: a zip of XML."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("OFD.xml", f"<ofd:OFD {ns}><ofd:DocBody/></ofd:OFD>")
        for n, words in ((10, ["第二页：附件名单"]), (2, ["关于开展科普活动的通知", "各有关单位："])):
            runs = "".join(f'<ofd:TextObject ID="{i}"><ofd:TextCode X="0" Y="0">{w}</ofd:TextCode></ofd:TextObject>'
                           for i, w in enumerate(words))
            archive.writestr(f"Doc_0/Pages/Page_{n}/Content.xml",
                             f"<ofd:Page {ns}><ofd:Content><ofd:Layer>{runs}</ofd:Layer></ofd:Content></ofd:Page>")
    assert sniff_mime(packed.getvalue()) == "application/ofd"
    text = "关于开展科普活动的通知\n各有关单位：\n第二页：附件名单"
    assert read_text(packed.getvalue(), "application/ofd") == (text, "ok")
