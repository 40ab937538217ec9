"""readability-lxml is customised by subclassing only: its module globals stay untouched (issue 16).

extract/opinions.py used to swap readability.readability's `html_cleaner` and `clean` for the
length of each summary() call, which every other Document in the process (another thread, a
library) saw too. These tests watch the modules' attributes before, during and after an
extraction, and check that the subclass still gives stock readability's text.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import readability.cleaners
import readability.readability
from readability import Document

from extract.extractor import parse_html
from extract.layout import prepared_copy
from extract.opinions import Readability, readability_text
from extract.process import process_html
from extract.visible import visible_text

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "tests" / "pages_round2").glob("*.html")) + sorted(
    p for p in (ROOT / "tools" / "sampleweb" / "sites").rglob("*.htm*") if "list" not in p.name
)[:12]
MODULES = (readability.readability, readability.cleaners)
PROSE = "<p>" + "市科协召开学会工作会议，总结去年工作，部署今年任务，各学会负责人参加会议。" * 4 + "</p>"
HTML = f"<html><head><title>会议</title></head><body><div id='nav'><a href='/'>首页</a></div>{PROSE}</body></html>"


def attributes() -> dict[tuple[str, str], int]:
    """Identity of every attribute of readability's modules."""
    return {(m.__name__, name): id(value) for m in MODULES for name, value in vars(m).items()}


def test_module_globals_untouched_before_during_and_after(monkeypatch: pytest.MonkeyPatch) -> None:
    before = attributes()
    during: list[dict[tuple[str, str], int]] = []
    stock = Document.select_best_candidate  # inherited, not overridden: runs inside our summary()

    def watching(self: Any, candidates: Any) -> Any:
        during.append(attributes())
        return stock(self, candidates)

    monkeypatch.setattr(Document, "select_best_candidate", watching)
    out = process_html(HTML.encode("utf-8"), "http://example.org/news/a.html")
    assert "学会工作会议" in str(out["text"])
    assert during, "readability did not run"
    changed = sorted({key for seen in during for key in seen if seen[key] != before.get(key)})
    assert changed == []
    assert attributes() == before


def test_cleaner_without_javascript_scrub_is_ours_only() -> None:
    assert readability.cleaners.html_cleaner.javascript  # the stock cleaner keeps its settings
    Readability(lxml.html.document_fromstring(HTML)).summary(html_partial=True)
    assert readability.cleaners.html_cleaner.javascript


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_same_text_as_stock_readability(path: Path) -> None:
    tree = parse_html(path.read_bytes().decode("utf-8", "replace"))
    assert tree is not None
    work = prepared_copy(tree)
    html = Document(copy.deepcopy(work)).summary(html_partial=True)
    stock = visible_text(lxml.html.fragment_fromstring(html, create_parent="div")) if html.strip() else ""
    assert readability_text(work) == stock
