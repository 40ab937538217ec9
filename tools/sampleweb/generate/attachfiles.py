"""Attachment files made at test (and bench) time with the libraries that write them (nothing binary is shipped):
a PDF in a Chinese CID font (reportlab's STSong-Light, the Adobe-GB1 font government PDFs use), a
DOCX (python-docx), an XLSX (openpyxl) and an old binary XLS (xlwt)."""

from __future__ import annotations

import io
import re
import zipfile

FIXED = (2024, 1, 1, 0, 0, 0)  # the zip entries' date, so a DOCX or XLSX made twice is the same bytes


def _fixed_zip(body: bytes) -> bytes:
    """The same zip with every entry dated FIXED (python-docx and openpyxl date them now)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(body)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, FIXED)
            entry.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps `modified` with the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            target.writestr(entry, data)
    return out.getvalue()


def pdf(lines: list[str], pages: int = 1) -> bytes:
    """The same lines on each of `pages` pages."""
    return pdf_pages([lines] * pages, left=50, step=24)


def pdf_pages(pages: list[list[str]], left: int = 40, step: int = 19) -> bytes:
    """A PDF with these lines on each page, in STSong-Light (bench/attachments.py: many pages of text)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=True)  # invariant: the same bytes every time (no date, no id)
    for lines in pages:
        page.setFont("STSong-Light", 12)
        for n, line in enumerate(lines):
            page.drawString(left, 800 - step * n, line)
        page.showPage()
    page.save()
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF whose page is only a drawing, as a scan is only an image: no text to find."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=True)
    page.rect(50, 500, 300, 200, fill=1)
    page.showPage()
    page.save()
    return out.getvalue()


def docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.core_properties.created = document.core_properties.modified = _when()
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


def xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.properties.created = book.properties.modified = _when()
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip(out.getvalue())


def xls(rows: list[list[object]]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _when() -> object:
    from datetime import datetime

    return datetime(*FIXED)
