"""Run the compared extractors on corpus pages and score each page.

Extraction and scoring both run in the worker processes: trafilatura and OpenCC are the
slow parts, and two workers keep the whole run well under a minute on two cores.  Each worker
first warms up (see `warm_up`), so that ms/page is the steady per-page cost a long crawl pays,
not one page's share of loading dictionaries.
"""

from __future__ import annotations

import importlib
import multiprocessing
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

import trafilatura

from bench.corpus import Page
from bench.scoring import date_right, find_leaks, score_text, snippet_scores, title_match

EXTRACTORS = ("ours", "trafilatura", "precision")
Extraction = dict[str, Any]


def load_ours() -> tuple[Callable[..., dict[str, Any]] | None, str]:
    """extract.process.process_html, or None and the reason it cannot be imported."""
    try:
        module = importlib.import_module("extract.process")
        return module.process_html, "extract.process.process_html importable"
    except Exception as exc:  # a half-written module may raise anything on import
        return None, f"NOT IMPORTABLE: {type(exc).__name__}: {exc}"


def _ours(body: bytes, url: str | None) -> Extraction:
    process_html, reason = load_ours()
    if process_html is None:
        raise RuntimeError(reason)
    out = process_html(body, url=url, headers=None)
    return {
        "text": out.get("text") or "",
        "title": out.get("title"),
        "date": None if out.get("published_at") is None else str(out.get("published_at")),
        "reject_reason": out.get("reject_reason"),
    }


def _trafilatura(body: bytes, url: str | None, precision: bool) -> Extraction:
    """What a bare user gets: bytes in, trafilatura's own decoding, metadata on."""
    doc = trafilatura.bare_extraction(body, url=url, with_metadata=True, favor_precision=precision)
    if doc is None:
        return {"text": "", "title": None, "date": None, "reject_reason": "trafilatura returned None"}
    data = doc if isinstance(doc, dict) else doc.as_dict()
    return {"text": data.get("text") or "", "title": data.get("title"), "date": data.get("date"), "reject_reason": None}


def extract(name: str, body: bytes, url: str | None) -> Extraction:
    """One extractor on one page; any exception is recorded as an empty extraction."""
    start = time.perf_counter()
    try:
        out = _ours(body, url) if name == "ours" else _trafilatura(body, url, precision=name == "precision")
        out["error"] = None
    except Exception as exc:
        out = {"text": "", "title": None, "date": None, "reject_reason": None}
        out["error"] = f"{type(exc).__name__}: {exc}"[:300]
    out["ms"] = (time.perf_counter() - start) * 1000
    return out


def score_page(page: Page, name: str, out: Extraction) -> dict[str, Any]:
    """All per-page figures of one extractor on one page (JSON-serialisable)."""
    text: str = out["text"]
    record: dict[str, Any] = {
        "folder": page.folder,
        "file": page.file,
        "url": page.url,
        "language": page.language,
        "group": page.group,
        "kind": page.kind,
        "extractor": name,
        "ms": round(out["ms"], 1),
        "error": out["error"],
        "reject_reason": out["reject_reason"],
        "empty": not text.strip(),
        "chars": len(text),
        "P": None,
        "R": None,
        "F1": None,
        "must_present": None,
        "must_not_absent": None,
    }
    if page.kind == "full":
        prf = score_text(text, page.truth)
        record.update(P=prf.precision, R=prf.recall, F1=prf.f1)
        record["leaks"] = find_leaks(text, page.truth)
    else:
        present, absent = snippet_scores(text, page.must, page.must_not)
        record.update(must_present=present, must_not_absent=absent)
        record["leaks"] = find_leaks(text, "\n".join(page.must))
    record["true_date"] = page.date
    record["date"] = out["date"]
    record["date_right"] = date_right(out["date"], page.date) if page.date else None
    exact, relaxed = title_match(out["title"], page.title) if page.title else (None, None)
    record.update(true_title=page.title, title=out["title"], title_exact=exact, title_relaxed=relaxed)
    return record


_WARM_PAGE = (
    "<html><head><title>测试 - 科协</title></head><body><h1>测试</h1><p>发布时间：2023-12-05 10:30</p>"
    "<p>新沂市科协召开学会工作会议，會議圓滿結束。Posted on 5 December 2023.</p></body></html>"
).encode()


def warm_up(names: tuple[str, ...]) -> None:
    """One-off costs every extractor pays on its first pages, paid before any page is timed.

    htmldate's last-resort date parser (dateparser) loads all of its ~200 locales on the first
    string it cannot place (2-7 s); OpenCC, the rule set and the libraries load on first use.
    """
    try:
        import dateparser

        dateparser.parse("quux 4242 zz")
    except Exception:  # an optional dependency of htmldate; nothing to warm if it is missing
        pass
    for name in names:
        extract(name, _WARM_PAGE, "http://www.example.cn/a/20231205/1.html")


def _run_one(task: tuple[dict[str, Any], tuple[str, ...]]) -> list[dict[str, Any]]:
    """Worker entry: read the page bytes once, run every selected extractor, score."""
    fields, names = task
    page = Page(**fields)
    with open(page.path, "rb") as handle:
        body = handle.read()
    return [score_page(page, name, extract(name, body, page.url)) for name in names]


def run_all(pages: Iterable[Page], names: tuple[str, ...], workers: int = 2) -> list[dict[str, Any]]:
    """Per-page records for every page × extractor, in corpus order."""
    tasks = [(asdict(page), names) for page in pages]
    if workers <= 1:
        warm_up(names)
        results = [_run_one(task) for task in tasks]
    else:
        with multiprocessing.get_context("fork").Pool(workers, initializer=warm_up, initargs=(names,)) as pool:
            results = pool.map(_run_one, tasks, chunksize=2)
    return [record for page_records in results for record in page_records]
