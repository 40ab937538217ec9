"""Extraction-quality benchmark: our pipeline against bare trafilatura, on the shared corpus.

Run from the project root:  .venv/bin/python bench/quality.py [--only zh] [--json out.json]
The last 12 lines printed are a compact summary (a before-stop hook shows `tail -n 12`), F1 per
language among them; a table per language stands above it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that `python bench/quality.py` finds bench/ and pipelines/
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from bench.corpus import load_corpus  # noqa: E402
from bench.runner import EXTRACTORS, load_ours, run_all  # noqa: E402
from bench.scoring import is_chinese  # noqa: E402

Record = dict[str, Any]
HEAD = (
    f"{'folder':<40} {'extractor':<11} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'leaks':>5} "
    f"{'date':>7} {'title':>5} {'~':>5} {'empty':>5} {'ms':>5}"
)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _ratio(records: Sequence[Record], key: str) -> tuple[int, int]:
    """(right, applicable) for a boolean figure that is None where the truth has no value."""
    known = [r[key] for r in records if r[key] is not None]
    return sum(known), len(known)


def stats(records: Sequence[Record]) -> dict[str, Any]:
    """Aggregate figures of one extractor over a set of pages."""
    full = [r for r in records if r["kind"] == "full"]
    musts = [r["must_present"] for r in records if r["must_present"] is not None]
    nots = [r["must_not_absent"] for r in records if r["must_not_absent"] is not None]
    return {
        "pages": len(records),
        "P": _mean([r["P"] for r in full]),
        "R": _mean([r["R"] for r in full]),
        "F1": _mean([r["F1"] for r in full]),
        "must_present": _mean(musts) if musts else None,
        "must_not_absent": _mean(nots) if nots else None,
        "leaks": sum(bool(r["leaks"]) for r in records),
        "date": _ratio(records, "date_right"),
        "title": _ratio(records, "title_exact"),
        "title_relaxed": _ratio(records, "title_relaxed"),
        "empty": sum(r["empty"] for r in records),
        "ms": _mean([r["ms"] for r in records]),
    }


def _row(label: str, name: str, s: dict[str, Any], kind: str) -> str:
    if kind == "full":
        p, r, f = (f"{s[k]:6.3f}" for k in ("P", "R", "F1"))
    elif kind == "snippets":  # R = must-contain present, P = must-not absent
        p = f"{s['must_not_absent']:6.3f}" if s["must_not_absent"] is not None else f"{'-':>6}"
        r = f"{s['must_present']:6.3f}" if s["must_present"] is not None else f"{'-':>6}"
        f = f"{'snip':>6}"
    else:
        p = r = f = f"{'-':>6}"
    date = "{}/{}".format(*s["date"]) if s["date"][1] else "-"
    title = "{}/{}".format(*s["title"]) if s["title"][1] else "-"
    relaxed = "{}/{}".format(*s["title_relaxed"]) if s["title_relaxed"][1] else "-"
    return (
        f"{label:<40} {name:<11} {s['pages']:>5} {p} {r} {f} {s['leaks']:>5} {date:>7} {title:>5} "
        f"{relaxed:>5} {s['empty']:>5} {s['ms']:>5.0f}"
    )


def print_table(records: Sequence[Record], names: Sequence[str], groups: Sequence[str]) -> None:
    """Per folder and overall, Chinese and other languages apart, one row per extractor."""
    for group in groups:
        mine = [r for r in records if r["group"] == group]
        print(f"\n=== {'Chinese (zh, zh-Hant, zh-*)' if group == 'zh' else 'other languages'} ===")
        print(HEAD)
        folders = sorted({(r["kind"] != "full", r["folder"], r["kind"]) for r in mine})
        for _, folder, kind in folders:
            suffix = {"full": "", "snippets": " [snippets]", "none": " [no truth]"}[kind]
            for name in names:
                subset = [r for r in mine if r["folder"] == folder and r["extractor"] == name]
                print(_row(folder + suffix, name, stats(subset), kind))
        for name in names:
            subset = [r for r in mine if r["kind"] == "full" and r["extractor"] == name]
            print(_row("ALL with full-text truth", name, stats(subset), "full"))
    print(
        "\n[snippets]: R = share of must-contain snippets present, P = share of must-not absent."
        "\n[no truth]: every ICP/公网安备/版权所有/责任编辑/技术支持/主办单位 line counts as a leak."
        "\nleaks = pages with a leak; date = right/pages with a full true date; title = exact/titled,"
        " ~ = relaxed; empty = pages with no text (rejected or failed); ms = mean per page."
    )


def print_worst(records: Sequence[Record], name: str, n: int, label: str, lang: str = "zh") -> None:
    """The n full-truth pages of one language with the lowest F1 for one extractor."""
    pages = [r for r in records if r["extractor"] == name and r["kind"] == "full" and language(r) == lang]
    if not pages:
        return
    print(f"\n{n} worst {lang} pages for {label} (F1, P, R):")
    for r in sorted(pages, key=lambda r: r["F1"])[:n]:
        note = f"  [{r['error'] or r['reject_reason']}]" if r["error"] or r["reject_reason"] else ""
        print(f"  {r['folder'] + '/' + r['file']:<60} {r['F1']:.3f} {r['P']:.3f} {r['R']:.3f}{note}")


def language(record: Record) -> str:
    """The page's language for per-language figures: zh-Hant and every zh-* count as zh."""
    lang = str(record["language"]).strip().lower()
    return "zh" if is_chinese(lang) else lang.split("-")[0] or "?"


def by_language(records: Sequence[Record], name: str) -> dict[str, dict[str, Any]]:
    """Full-truth figures of one extractor per language, most pages first."""
    full = [r for r in records if r["kind"] == "full" and r["extractor"] == name]
    langs = sorted({language(r) for r in full}, key=lambda lang: (-sum(language(r) == lang for r in full), lang))
    return {lang: stats([r for r in full if language(r) == lang]) for lang in langs}


def print_languages(records: Sequence[Record], names: Sequence[str]) -> None:
    """One row per language and extractor: pages, P, R, F1, leaks, dates."""
    print("\n=== per language (full-text truths; zh = zh, zh-Hant, zh-*) ===")
    print(HEAD.replace("folder" + " " * 34, f"{'language':<40}"))
    for name in names:
        for lang, s in by_language(records, name).items():
            print(_row(lang, name, s, "full"))


def _language_lines(records: Sequence[Record], names: Sequence[str]) -> list[str]:
    """Two summary lines: F1 per language for ours and for bare trafilatura."""
    lines = []
    for name in ("ours", "trafilatura"):
        if name not in names:
            lines.append(f"lang  {name:<11} not run")
            continue
        figures = " | ".join(f"{lang} {s['F1']:.3f} n={s['pages']}" for lang, s in by_language(records, name).items())
        lines.append(f"lang  {name:<11} F1 {figures or '-'}")
    return lines


def _snippet_line(records: Sequence[Record], names: Sequence[str]) -> str:
    """One summary line: snippet pages and no-truth leak pages, per extractor run."""
    parts = []
    for name in names:
        snip = stats([r for r in records if r["kind"] == "snippets" and r["extractor"] == name])
        bare = stats([r for r in records if r["kind"] == "none" and r["extractor"] == name])
        must = "-" if snip["must_present"] is None else f"{snip['must_present']:.2f}"
        must_not = "-" if snip["must_not_absent"] is None else f"{snip['must_not_absent']:.2f}"
        parts.append(f"{name} must {must} not {must_not} leaking {bare['leaks']}/{bare['pages']}")
    return "snip  " + (" | ".join(parts) or "not run") + " (snippet pages: must present, must-not absent;"\
        " no-truth pages leaking)"


def summary(
    records: Sequence[Record], names: Sequence[str], groups: Sequence[str], tail: str, ours_status: str
) -> list[str]:
    """Exactly 12 lines, whatever the options, so that `tail -n 12` shows all of it."""
    lines = ["==== SUMMARY (full-text truths): F1 | leak pages | date right/dated | title exact/titled (relaxed) ===="]
    for group in ("zh", "other"):
        for name in EXTRACTORS:
            subset = [r for r in records if r["group"] == group and r["kind"] == "full" and r["extractor"] == name]
            head = f"{group:<5} {name:<11}"
            if group not in groups:
                lines.append(f"{head} not selected (--only)")
                continue
            if name not in names:
                lines.append(f"{head} not run" + (" (ours: see last line)" if name == "ours" else ""))
                continue
            s = stats(subset)
            lines.append(
                f"{head} n={s['pages']:<3} F1 {s['F1']:.3f} (P {s['P']:.3f} R {s['R']:.3f})  "
                f"leaks {s['leaks']}/{s['pages']}  date {s['date'][0]}/{s['date'][1]}  "
                f"title {s['title'][0]}/{s['title'][1]} ({s['title_relaxed'][0]})  empty {s['empty']}"
            )
    lines += _language_lines(records, names)
    lines.append(_snippet_line(records, names))
    lines += [tail, f"ours: {ours_status}"]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Parse options, run the extractors, print the table, worst pages and summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--only", choices=("zh", "other", "all"), default="all")
    parser.add_argument("--extractor", choices=(*EXTRACTORS, "all"), default="all")
    parser.add_argument("--worst", type=int, default=10, metavar="N", help="list the N lowest-F1 pages per language")
    parser.add_argument("--worst-lang", default="zh,en", metavar="LANGS", help="languages for --worst (zh,en)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every per-page figure here")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    if not (args.corpus / "README.md").exists() and not list(args.corpus.glob("*/MANIFEST.tsv")):
        print(f"corpus not found at {args.corpus}: nothing to measure")
        return 0
    groups = ("zh", "other") if args.only == "all" else (args.only,)
    wanted = EXTRACTORS if args.extractor == "all" else (args.extractor,)
    process_html, ours_status = load_ours() if "ours" in wanted else (None, "not requested")
    if "ours" in wanted and process_html is None:
        print(
            f"\n!!! ours (extract.process.process_html) is {ours_status}\n"
            "!!! only the trafilatura baselines are measured in this run."
        )
    names = tuple(n for n in wanted if n != "ours" or process_html is not None)
    pages = [p for p in load_corpus(args.corpus) if p.group in groups]

    start = time.perf_counter()
    records = run_all(pages, names, workers=args.workers) if names else []
    elapsed = time.perf_counter() - start

    print_table(records, names, groups)
    print_languages(records, names)
    if names and args.worst > 0:
        shown = "ours" if "ours" in names else names[0]
        label = shown if shown == "ours" else f"{shown} (ours not run)"
        for lang in filter(None, (w.strip() for w in args.worst_lang.split(","))):
            print_worst(records, shown, args.worst, label, lang)
    if args.json:
        payload = {
            "corpus": str(args.corpus),
            "extractors": names,
            "ours": ours_status,
            "trafilatura": trafilatura.__version__,
            "seconds": round(elapsed, 2),
            "pages": records,
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nper-page figures written to {args.json}")
    tail = (
        f"run: {len(pages)} pages x {len(names)} extractors in {elapsed:.1f} s, {args.workers} workers, "
        f"trafilatura {trafilatura.__version__}, corpus {args.corpus}"
    )
    print()
    print("\n".join(summary(records, names, groups, tail, ours_status)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
