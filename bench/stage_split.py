"""Where a page's CPU goes inside the stages: decode, parse, layout, the extractors and the referee,
title, OpenCC, MinHash, pickling to and from a worker (issue 26).

Why wrappers: cProfile's own overhead is larger than several of these steps; here each named step
is timed with process_time around its outermost call, nothing else is slowed. The steps are wrapped
where the stages look them up (the importing module's namespace), so a step that moved or was
renamed is left out and named, never a crash. Nested steps are shown indented under their stage.

    python -m bench.stage_split                  # the corpus pages (../shared/corpus), then 600 synthetic
"""

from __future__ import annotations

import functools
import importlib
import pickle
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# (row label, module, attribute): the step as the calling module sees it
STEPS = (
    ("  decode", "extract.extractor", "decode_body"),
    ("  parse (lxml, once a page)", "extract.extractor", "parse_html"),
    ("  date candidates (meta, JSON-LD)", "extract.extractor", "date_candidates"),
    ("  layout (the prepared copy)", "extract.extractor", "prepared_copy"),
    ("  learned container", "extract.container", "use"),
    ("  extractors + referee", "extract.extractor", "main_text"),
    ("    trafilatura", "extract.opinions", "trafilatura_text"),
    ("    readability", "extract.opinions", "readability_text"),
    ("  title", "extract.extractor", "choose_title"),
    ("  visible text", "extract.extractor", "visible_text"),
    ("  clean_text", "extract.process", "clean_text"),
    ("  find_date", "extract.process", "find_date"),
    ("  hash form (NFKC, t2s)", "extract.fingerprint", "hash_form"),
    ("  MinHash (shingles, signature, bands)", "extract.fingerprint", "sketch_form"),
)
OPENCC = "  OpenCC t2s (conversions only)"
REFEREE = "    referee (trafilatura balanced)"
PICKLE_OUT, PICKLE_BACK = "pickling to a worker", "pickling back from it"
ORDER = tuple(label for label, _, _ in STEPS[:8]) + (REFEREE,) + tuple(label for label, _, _ in STEPS[8:]) + (OPENCC,)


@contextmanager
def timed_steps(cpu: dict[str, float], missing: list[str]) -> Iterator[None]:
    """Add each step's CPU seconds (outermost calls) to cpu[label] while inside."""
    active: set[str] = set()

    def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            name = REFEREE if label == "    trafilatura" and kwargs.get("precision", args[2:3] != (False,)) is False \
                else label
            if name in active:
                return function(*args, **kwargs)
            active.add(name)
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                active.discard(name)
                cpu[name] = cpu.get(name, 0.0) + time.process_time() - start
        return wrapper

    patched: list[tuple[Any, str, Any]] = []
    for label, module_name, attribute in STEPS:
        try:
            module = importlib.import_module(module_name)
            patched.append((module, attribute, getattr(module, attribute)))
        except (ImportError, AttributeError) as exc:
            missing.append(f"{label.strip()}: {module_name}.{attribute} ({type(exc).__name__})")
            continue
        setattr(module, attribute, timed(label, patched[-1][2]))
    try:
        normalise = importlib.import_module("extract.normalise")
        converter = normalise._converter
        convert = timed(OPENCC, converter())
        patched.append((normalise, "_converter", converter))
        normalise._converter = lambda: convert  # what to_simplified calls for the lines that need it
    except (ImportError, AttributeError) as exc:
        missing.append(f"OpenCC: extract.normalise._converter ({type(exc).__name__})")
    try:
        yield
    finally:
        for module, attribute, value in reversed(patched):
            setattr(module, attribute, value)


def pickled_out(page: Any, cpu: dict[str, float]) -> None:
    """What sending the page to a worker costs: pickling it and unpickling it there."""
    start = time.process_time()
    pickle.loads(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL))
    cpu[PICKLE_OUT] = cpu.get(PICKLE_OUT, 0.0) + time.process_time() - start


def pickled_back(page: Any, cpu: dict[str, float]) -> None:
    """What sending a worker's results back costs (Page.extracted(): what pipelines/pool.py sends back)."""
    if not callable(getattr(page, "extracted", None)):
        return
    start = time.process_time()
    pickle.loads(pickle.dumps(page.extracted(), protocol=pickle.HIGHEST_PROTOCOL))
    cpu[PICKLE_BACK] = cpu.get(PICKLE_BACK, 0.0) + time.process_time() - start


def split_pages(pages: list[Any], learning: Callable[[Any, Any], None] | None = None,
                ) -> tuple[dict[str, float], list[str]]:
    """CPU seconds per step and stage over `pages` (each processed once, in order)."""
    from extract.process import process

    cpu: dict[str, float] = {}
    missing: list[str] = []
    with timed_steps(cpu, missing):
        for page in pages:
            if learning:
                learning(page, None)
            pickled_out(page, cpu)
            start = time.process_time()
            process(page)
            cpu["all worker stages"] = cpu.get("all worker stages", 0.0) + time.process_time() - start
            pickled_back(page, cpu)
            if learning:
                learning(page, page)
    return cpu, missing


def table(title: str, cpu: dict[str, float], pages: int, bare: float | None = None) -> list[str]:
    n = max(pages, 1)
    lines = [title]
    for label in ("all worker stages", *ORDER, PICKLE_OUT, PICKLE_BACK):
        if label in cpu:
            share = f" {100 * cpu[label] / cpu['all worker stages']:5.1f} %" if cpu.get("all worker stages") else ""
            lines.append(f"  {label:42} {1000 * cpu[label] / n:8.2f} ms{share}")
    if bare:
        lines.append(f"  {'bare trafilatura.bare_extraction':42} {1000 * bare / n:8.2f} ms   (worker stages / bare ="
                     f" {cpu.get('all worker stages', 0.0) / bare:.2f})")
    return lines


def main() -> None:
    import tempfile

    from bench import stages
    from bench.corpus import load_corpus
    from bench.synthweb import generate
    from extract.page import Page
    from extract.process import process

    found = load_corpus(ROOT.parent / "shared" / "corpus")
    corpus = [Page(url=p.url or "", body=Path(p.path).read_bytes()) for p in found]
    for page in corpus[:8]:  # warm-up: lazy imports, rules, dictionaries
        process(Page(url=page.url, body=page.body))
    bare, _, _ = stages.bare_trafilatura([p.body for p in corpus])
    cpu, missing = split_pages(corpus)
    print("\n".join(table(f"CPU PER PAGE BY STEP, corpus ({len(corpus)} pages, one site each: nothing learned)",
                          cpu, len(corpus), bare)))
    with tempfile.TemporaryDirectory(prefix="kexie-split-") as tmp:
        web = generate(Path(tmp) / "web", 600)
        sample = stages.article_bodies(web)
        pages = stages._pages(web, "http://127.0.0.1:8000", sample)
        bare, _, _ = stages.bare_trafilatura([p.body for p in pages])
        cpu, missing = split_pages(pages, stages._learning())
    print("\n".join(table(f"CPU PER PAGE BY STEP, synthetic web ({len(pages)} pages, learned containers on)",
                          cpu, len(pages), bare)))
    print("\n".join(f"  not timed: {m}" for m in missing))


if __name__ == "__main__":
    main()
