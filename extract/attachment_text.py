"""The text of an attachment, by maintained libraries: PDF (pdfminer.six), DOCX (python-docx), XLSX
(openpyxl), XLS (xlrd), OFD (its XML), old .doc through Debian's antiword or catdoc where installed.

pdfminer.six over pdfplumber: both read Chinese CID-font PDFs right (pdfplumber is built on
pdfminer), and pdfminer was the faster of the two on the same files (bench/attachments.py). A PDF
whose pages give no text is a scan, marked `no_text` (no OCR). Cleaned like article text: traditional
script turned simplified, the original kept. Runs in the extraction workers; bytes in, text out.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Callable

from extract.attachment import Attachment
from extract.normalise import tidy, to_simplified

EXTRACTOR_VERSION = "attachments-1"
MAX_TEXT = 2_000_000  # characters kept of one file's text (a 10,000-row spreadsheet)


def _pdf(body: bytes) -> str:
    from pdfminer.high_level import extract_text

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns per odd font on real PDFs
    return str(extract_text(io.BytesIO(body)))


def _docx(body: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(body))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend("\t".join(cell.text for cell in row.cells) for row in table.rows)
    return "\n".join(lines)


def _xlsx(body: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    try:
        return "\n".join("\t".join("" if v is None else str(v) for v in row)
                         for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _xls(body: bytes) -> str:
    import xlrd

    book = xlrd.open_workbook(file_contents=body, on_demand=True)
    return "\n".join("\t".join(_cell(v) for v in sheet.row_values(r))
                     for sheet in book.sheets() for r in range(sheet.nrows))


def _cell(value: object) -> str:
    """xlrd gives every number as a float: 1.0 is shown 1, as Excel shows it."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _ofd(body: bytes) -> str:
    """OFD (GB/T 33190, China's fixed-layout format, a zip of XML): the TextCode runs of each page's
    Content.xml in page order. No maintained Python reader exists; the format's text is this plain."""
    import re
    import zipfile

    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        pages = [n for n in package.namelist() if re.search(r"Pages/Page_\d+/Content\.xml$", n)]
        pages.sort(key=lambda n: [int(d) for d in re.findall(r"_(\d+)/", n)])
        lines: list[str] = []
        for name in pages:
            root = etree.fromstring(package.read(name), parser)
            lines.extend("".join(e.itertext()) for e in root.iter() if isinstance(e.tag, str)
                         and e.tag.rsplit("}", 1)[-1] == "TextCode")
    return "\n".join(lines)


def _doc(body: bytes) -> str:
    """Old Word files through antiword (UTF-8 map) or catdoc, whichever Debian installed."""
    for command in (["antiword", "-m", "UTF-8.txt"], ["catdoc", "-d", "utf-8"]):
        if shutil.which(command[0]):
            with tempfile.NamedTemporaryFile(suffix=".doc") as file:
                file.write(body)
                file.flush()
                done = subprocess.run([*command, file.name], capture_output=True, timeout=60, check=True)
            return done.stdout.decode("utf-8", "replace")
    raise _Unsupported("no antiword or catdoc installed for old .doc files")


class _Unsupported(Exception):
    pass


READERS: dict[str, Callable[[bytes], str]] = {
    "application/pdf": _pdf,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _docx,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _xlsx,
    "application/vnd.ms-excel": _xls,
    "application/msword": _doc,
    "application/ofd": _ofd,
}


def read_text(body: bytes, mime: str) -> tuple[str, str]:
    """(text, status): status ok, no_text (nothing readable: a scanned PDF), unsupported, or error: …"""
    reader = READERS.get(mime)
    if reader is None:
        return "", "unsupported"
    try:
        text = reader(body)
    except _Unsupported as exc:
        return "", f"unsupported: {exc}"
    except Exception as exc:  # noqa: BLE001 - a broken file is recorded, never lost with its article
        return "", f"error: {type(exc).__name__}: {str(exc)[:200]}"
    text = tidy(text.replace("\x0c", "\n").replace("\r", "\n"))[:MAX_TEXT]
    return (text, "ok") if text.strip() else ("", "no_text")


def process_attachment(attachment: Attachment) -> Attachment:
    """Text out of the file, simplified (original script kept in text_original)."""
    original, attachment.text_status = read_text(attachment.body, attachment.mime)
    attachment.text_original = original
    attachment.text = to_simplified(original) if original else ""
    return attachment


def attachment_fields(attachment: Attachment) -> dict[str, str]:
    """Run in a worker: only the text fields go back, not the file."""
    done = process_attachment(attachment)
    return {"text": done.text, "text_original": done.text_original, "text_status": done.text_status}
