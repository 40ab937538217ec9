"""In-process measurements: bare trafilatura (b), and the CPU each of our stages costs per page.

Why in-process and one page at a time: (b) is defined as one core doing nothing but
`trafilatura.bare_extraction(html, with_metadata=True)`, and the stage figures say where a
crawl's CPU goes (extract, and within it trafilatura; clean; date; dedupe+store into a fresh
archive). The pipeline is being rewritten while this bench exists, so every import of our
stages is defensive: a stage that moved is reported as n/a with the reason, never a crash.
"""

from __future__ import annotations

import functools
import inspect
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.synthweb import SynthWeb

TRAFILATURA = "  of which in trafilatura"


@dataclass
class StageTimes:
    """CPU seconds per stage over `pages` pages; `missing` says which stages could not be timed."""

    pages: int = 0
    cpu: dict[str, float] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def article_bodies(web: SynthWeb, limit: int | None = None) -> list[tuple[str, str, bytes]]:
    """(site, path, body) of the article pages, interleaved over the sites like the crawl sees them."""
    per_site = [[(key, p) for p in paths] for key, paths in sorted(web.articles.items())]
    order = [item for group in zip(*per_site, strict=False) for item in group]
    order += [item for group in per_site for item in group[min(map(len, per_site)):]]
    return [(key, path, (web.root / key / path.lstrip("/")).read_bytes()) for key, path in order[:limit]]


def bare_trafilatura(bodies: Sequence[bytes]) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, pages with a result) of bare_extraction over every body."""
    import trafilatura

    for body in bodies[:6]:  # warm-up, not counted: first calls load trafilatura's lazy parts
        trafilatura.bare_extraction(body, with_metadata=True)
    found = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for body in bodies:
        found += trafilatura.bare_extraction(body, with_metadata=True) is not None
    return time.process_time() - cpu, time.perf_counter() - wall, found


@contextmanager
def _timed_trafilatura(cpu: dict[str, float]) -> Iterator[None]:
    """Charge the CPU of every trafilatura function our stages call (outermost calls only) to
    'in trafilatura': the functions are wrapped where our modules can reach them, in the
    trafilatura package namespace and in any pipelines.* module that imported one by name."""
    import trafilatura

    depth = [0]

    def timed(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if depth[0]:
                return function(*args, **kwargs)
            depth[0], start = 1, time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                depth[0] = 0
                cpu[TRAFILATURA] = cpu.get(TRAFILATURA, 0.0) + time.process_time() - start
        return wrapper

    modules = [trafilatura, *(m for name, m in list(sys.modules.items()) if name.startswith("pipelines.") and m)]
    patched = [(m, name, value) for m in modules for name, value in list(vars(m).items())
               if inspect.isfunction(value) and (value.__module__ or "").startswith("trafilatura")]
    for module, name, value in patched:
        setattr(module, name, timed(value))
    try:
        yield
    finally:
        for module, name, value in patched:
            setattr(module, name, value)


def _pages(web: SynthWeb, base_url: str, sample: list[tuple[str, str, bytes]]) -> list[Any]:
    """Page items as the spider builds them (URL, headers the server sends, site hints)."""
    from extract.page import Page
    from siteconfig.sites import load_sites

    configs = load_sites(web.sites_dir)
    charset = {k: tomllib.loads((web.root / k / "_site.toml").read_text("utf-8")).get("header_charset", "utf-8")
               for k in configs}
    return [Page(url=f"{base_url}{path}", body=body, site=key,
                 headers={"Content-Type": f"text/html; charset={charset[key]}"},
                 encoding_hint=configs[key].encoding, boilerplate=configs[key].boilerplate,
                 site_name=configs[key].name, content_xpath=configs[key].content_xpath) for key, path, body in sample]


def _stage_functions() -> tuple[list[tuple[str, Callable[[Any], Any]]], list[str]]:
    try:
        from extract import process as proc
        from extract.extractor import extract
    except Exception as exc:  # noqa: BLE001 - a half-written module may raise anything on import
        return [], [f"extract.process: {type(exc).__name__}: {exc}"]
    if callable(getattr(proc, "clean", None)) and callable(getattr(proc, "date", None)):
        return [("extract", extract), ("clean", proc.clean), ("date", proc.date)], []
    return [("process (all CPU stages)", proc.process)], ["extract/clean/date separately: not in extract.process"]


def stage_times(web: SynthWeb, base_url: str, sample: list[tuple[str, str, bytes]]) -> StageTimes:
    """CPU per stage for each sampled page, then dedupe+store of them into a fresh archive."""
    result = StageTimes(pages=len(sample))
    stages, result.missing = _stage_functions()
    pages = _pages(web, base_url, sample) if stages else []
    for page in _pages(web, base_url, sample[:12]) if stages else []:  # warm-up: OpenCC tables, lazy imports
        for _, stage in stages:
            stage(page)
    learning = _learning()
    with _timed_trafilatura(result.cpu):
        for page in pages:
            learning(page, None)
            for name, stage in stages:
                start = time.process_time()
                stage(page)
                result.cpu[name] = result.cpu.get(name, 0.0) + time.process_time() - start
            learning(page, page)
    for page in pages:
        reason = page.reject_reason or "ok"
        result.outcomes[reason] = result.outcomes.get(reason, 0) + 1
        if by := getattr(page, "extracted_by", ""):
            result.outcomes[f"text by {by}"] = result.outcomes.get(f"text by {by}", 0) + 1
    if pages:
        try:
            _dedupe_store(web, pages, result.cpu)
        except Exception as exc:  # noqa: BLE001 - the store is being rewritten; say so, keep measuring
            result.missing.append(f"dedupe+store: {type(exc).__name__}: {exc}")
    return result


def _learning() -> Callable[[Any, Any], None]:
    """Each site's learned container, as a crawl's site runs keep it (extract/learning.py): called
    with (page, None) before the stages (sets what the site learned) and (page, page) after them."""
    try:
        from extract.learning import ContainerLearning
    except Exception:  # noqa: BLE001 - no learning in this tree: every page takes the extractors
        return lambda page, done: None
    sites: dict[str, Any] = {}

    def learning(page: Any, done: Any) -> None:
        site = sites.setdefault(page.site, ContainerLearning())
        if done is None:
            page.learned_container, page.find_container = site.next_page()
        else:
            site.observe(done.extracted_by, done.container)
    return learning


def _dedupe_store(web: SynthWeb, pages: list[Any], cpu: dict[str, float]) -> None:
    from archive.db import Archive
    from dedupe.decide import decide
    from dedupe.write import site_row, store
    from siteconfig.sites import load_sites

    with tempfile.TemporaryDirectory(prefix="kexie-bench-store-") as tmp:
        archive = Archive(Path(tmp) / "stages.db")
        configs = load_sites(web.sites_dir)
        for config in configs.values():
            archive.upsert_site(site_row(config))
        run_id = archive.start_run(next(iter(configs)))  # a run belongs to a configured site
        archive.begin()
        for n, page in enumerate(pages, 1):
            start = time.process_time()
            decide(page, archive)
            middle = time.process_time()
            store(page, archive, run_id)
            if n % 100 == 0 or n == len(pages):  # the crawl's batch size
                archive.commit()
                archive.begin()
            cpu["dedupe"] = cpu.get("dedupe", 0.0) + middle - start
            cpu["store"] = cpu.get("store", 0.0) + time.process_time() - middle
        archive.close()
