"""Attachment text extraction time per MiB, by kind (issue 24): `python bench/attachments.py`.

Makes files of each kind with the libraries that write them (bench/attachfiles.py: a Chinese
CID-font PDF, DOCX, XLSX, XLS) of a few hundred KiB to a few MiB of Chinese text, and times
extract/attachment_text.py's reader on each (best of --repeat runs, one core). For PDFs it also
times pdfplumber on the same file, the alternative the issue asked to measure, and checks both
give the Chinese text.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import attachfiles  # noqa: E402
from bench.synthtext import article  # noqa: E402
from extract.attachment import sniff_mime  # noqa: E402
from extract.attachment_text import read_text  # noqa: E402

MIB = 1024 * 1024


def lines(count: int) -> list[str]:
    """`count` lines of generated association news, 30 characters each (a PDF line's width)."""
    from datetime import date

    text, n = "", 0
    while len(text) < count * 30:
        n += 1
        text += "".join("".join(p) for p in article(n, date(2024, 1, 1))[1])
    return [text[i:i + 30] for i in range(0, count * 30, 30)]


def files(scale: int) -> dict[str, bytes]:
    body = lines(40 * scale)
    return {
        "pdf": attachfiles.pdf_pages([body[i:i + 40] for i in range(0, len(body), 40)]),
        "docx": attachfiles.docx(body),
        "xlsx": attachfiles.xlsx([[n, line, "新沂市科协"] for n, line in enumerate(body)]),
        "xls": attachfiles.xls([[n, line, "新沂市科协"] for n, line in enumerate(body)]),
    }


def best(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        call()
        times.append(time.process_time() - started)
    return min(times)


def pdfplumber_text(body: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(body)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=25, help="pages of 40 lines (1,200 characters) per file")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'kind':6} {'size KiB':>9} {'chars':>8} {'CPU s':>7} {'s/MiB':>7}  reader")
    for kind, body in files(args.scale).items():
        mime = sniff_mime(body)
        text, status = read_text(body, mime)
        assert status == "ok" and "科" in text, (kind, status)
        seconds = best(lambda b=body, m=mime: read_text(b, m), args.repeat)
        print(f"{kind:6} {len(body) / 1024:9.0f} {len(text):8,} {seconds:7.2f} {seconds / (len(body) / MIB):7.2f}"
              f"  {'pdfminer.six' if kind == 'pdf' else mime.rsplit('.', 1)[-1]}")
        if kind == "pdf":
            other = pdfplumber_text(body)
            seconds = best(lambda b=body: pdfplumber_text(b), args.repeat)
            same = "same characters" if other.replace("\n", "") == text.replace("\n", "") else "other text"
            print(f"{'pdf':6} {len(body) / 1024:9.0f} {len(other):8,} {seconds:7.2f}"
                  f" {seconds / (len(body) / MIB):7.2f}  pdfplumber ({same})")


if __name__ == "__main__":
    main()
