"""Lazy page metadata: the answers of trafilatura's extract_metadata, the costly ones only on demand."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from trafilatura.metadata import extract_metadata

from extract.decode import decode_html
from extract.extractor import extract, parse_html
from extract.layout import prepared_copy
from extract.metadata import PageMetadata
from extract.page import Page
from extract.process import clean, date, process

SAMPLE = Path(__file__).resolve().parents[1] / "tools" / "sampleweb" / "sites"
PAGES = sorted(p for p in SAMPLE.rglob("*.htm*") if "list" not in p.name and "index" not in p.name)
BODY = "<p>" + "市科协召开学会工作会议，总结去年工作，部署今年任务，各学会负责人参加会议。" * 4 + "</p>"


def test_sample_web_has_pages() -> None:
    assert len(PAGES) >= 20


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(SAMPLE)))
def test_same_answers_as_extract_metadata(path: Path) -> None:
    tree = parse_html(decode_html(path.read_bytes(), None, "")[0])
    assert tree is not None
    work = prepared_copy(tree)
    url = f"http://example.org/{path.relative_to(SAMPLE)}"
    reference = extract_metadata(copy.deepcopy(work), url)
    lazy = PageMetadata(work, url)
    assert (lazy.title, lazy.author, lazy.date) == (reference.title, reference.author, reference.date)


def _stages(html: str, url: str = "http://example.org/news/a.html") -> Page:
    page = date(clean(extract(Page(url=url, body=html.encode()))))
    assert page.metadata is not None and not page.reject_reason
    return page


def test_htmldate_and_author_xpaths_not_run_when_the_page_answers_itself() -> None:
    page = _stages(f"<html><body><h1>标题</h1><div>发布日期：2024-03-05 作者：李明</div>{BODY}</body></html>")
    assert page.published_at == "2024-03-05" and page.author == "李明"
    assert "date" not in vars(page.metadata) and "author" not in vars(page.metadata)


def test_htmldate_is_the_last_resort() -> None:
    head = '<head><meta property="og:updated_time" content="2024-04-06T08:00:00"></head>'
    page = _stages(f"<html>{head}<body><h1>标题</h1>{BODY}</body></html>")
    assert "date" in vars(page.metadata)
    assert page.date_source == "htmldate" and page.published_at == "2024-04-06"


def test_process_drops_the_tree() -> None:
    page = process(Page(url="http://example.org/a.html", body=f"<html><body>{BODY}</body></html>".encode()))
    assert page.published_at is None and page.metadata is None


def test_meta_tags_not_read_when_a_heading_names_the_page() -> None:
    page = _stages(f"<html><head><title>学会工作会议召开_某市科协</title></head><body><h1>学会工作会议召开</h1>"
                   f"<div>发布日期：2024-03-05 作者：李明</div>{BODY}</body></html>")
    assert page.title == "学会工作会议召开" and page.published_at == "2024-03-05"
    assert page.metadata is not None and not {"title", "url", "_found"} & set(vars(page.metadata))
    assert page.metadata.title == "学会工作会议召开"  # still there when asked for
