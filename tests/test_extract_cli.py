"""`kexie extract -` reads a page from standard input; `--format text` prints it for reading
(title, date, plain text), JSON staying the default."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE = "县科协开展全国科普日主题活动"
PARAGRAPHS = [
    "九月十六日上午，县科协联合县教育局在文化广场开展全国科普日主题活动，发放科普资料一千余份。",
    "活动现场设置了科技展品体验区和健康咨询台，吸引了众多市民驻足参与，现场气氛十分热烈。",
]
PAGE = (f"<html><head><meta charset='gbk'><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
        "<div class='date'>2023年9月16日</div><div id='content'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</div><div class='foot'>版权所有 县科学技术协会</div></body></html>").encode("gb18030")


def kexie(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cli", *args], input=stdin, capture_output=True, cwd=ROOT,
                          timeout=120)


def test_extract_reads_standard_input_as_json_by_default() -> None:
    done = kexie("extract", "-", stdin=PAGE)
    assert done.returncode == 0, done.stderr.decode()
    page = json.loads(done.stdout)
    assert page["file"] == "-" and page["title"] == TITLE and page["published_at"] == "2023-09-16"
    assert PARAGRAPHS[1] in page["text"]


def test_extract_text_format_prints_title_date_and_plain_text(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(PAGE)
    for args, stdin in ((["-"], PAGE), ([str(tmp_path / "page.html")], b"")):
        done = kexie("extract", *args, "--format", "text", stdin=stdin)
        assert done.returncode == 0, done.stderr.decode()
        out = done.stdout.decode()
        assert out.startswith(f"# {TITLE}\n"), out
        assert "date: 2023-09-16" in out.split("\n\n")[0]
        assert "\n\n" + PARAGRAPHS[0] + "\n" + PARAGRAPHS[1] in out, out
        assert "<p>" not in out and "{" not in out and "版权所有" not in out


def test_extract_refuses_a_missing_file_before_any_output(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(PAGE)
    done = kexie("extract", str(tmp_path / "page.html"), str(tmp_path / "missing.html"))
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().startswith("error: ") and "missing.html" in done.stderr.decode()
