"""CPU per page of the crawl's store path alone: the write of extracted pages into a fresh archive.

Why: in a crawl the store's batches run in the crawl process's one main thread, beside Scrapy, so
their CPU adds to every page's cost. This times exactly what a crawl's batch runs (PageWrite.apply
under BatchWriter, batches of 100, the search index brought up to date after each batch as
crawler/mode.py does), nothing else, over the same pages every round. The pages are the synthetic
web's, extracted once by the workers' own `extract.process`, plus copies made from them so dedupe's
other paths run too: exact copies on another site (`exact`/`promote`), near copies (a paragraph
added: `near`/`near_original`) and, in a second batch run, every page again (`unchanged`).

    .venv/bin/python -m bench.store_cost [--pages 1000] [--rounds 5] [--profile]

Prints the best round's CPU ms per page (process_time: other processes on the machine do not
count) and the outcomes; `--profile` prints cProfile's top functions of one more round. The
synthetic pages are small (~10 KB); real pages are larger and cost more to compress, so it also
prints the compression of the corpus pages (../shared/corpus, when there), by the archive
(archive/compression.py) and by stdlib zlib at level 6 as before: CPU per page and stored size.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import pstats
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import stages
from bench.synthweb import generate

ADDED = "<p>另据介绍，本次活动共吸引周边群众两百余人参加，现场发放科普资料五百余份。</p>"


def extracted_pages(pages: int, folder: Path) -> tuple[list[Any], Any]:
    """The synthetic web's article pages, extracted as the workers do, with exact and near copies."""
    from extract.process import process

    web = generate(folder / "web", pages)
    sample = stages.article_bodies(web)
    base = "http://127.0.0.1:8000"
    made = stages._pages(web, base, sample)
    learning = stages._learning()
    keys = sorted({page.site for page in made})
    copies = []
    for n, page in enumerate(made[: len(made) // 10]):  # one page in ten gets a copy on another site
        other = keys[(keys.index(page.site) + 1) % len(keys)]
        body = page.body.replace(b"</p>", ADDED.encode(), 1) if n % 2 and b"utf-8" in page.body[:400].lower() \
            else page.body
        twin = copy.copy(page)
        twin.body, twin.site, twin.url = body, other, f"{base}/copy/{n}.html"
        copies.append(twin)
    out = []
    for page in [*made, *copies]:
        learning(page, None)
        process(page)
        learning(page, page)
        out.append(page)
    return out, web


def write_all(pages: list[Any], web: Any, db: Path) -> tuple[list[float], Counter[str]]:
    """CPU seconds of each of two passes writing `pages` through BatchWriter into a fresh archive: the
    first stores them (new pages and their copies), the second finds them known (`unchanged`)."""
    from archive.db import Archive
    from archive.search import ensure_search_index, update_index
    from archive.writer import BatchWriter
    from dedupe.write import site_row
    from dedupe.writes import PageWrite
    from siteconfig.sites import load_sites

    archive = Archive(db)
    ensure_search_index(archive.db)
    for config in load_sites(web.sites_dir).values():
        archive.upsert_site(site_row(config))
    run_id = archive.start_run(pages[0].site)
    rounds = [[copy.copy(page) for page in pages] for _ in range(2)]
    for batch in rounds:
        for page in batch:
            page.run_id = run_id
    outcomes: Counter[str] = Counter()

    def done(result: Any, error: BaseException | None) -> None:
        outcomes[str(result) if error is None else f"error {type(error).__name__}: {error}"] += 1

    writer = BatchWriter(archive, size=100, seconds=3600, after=update_index)
    spent = []
    for batch in rounds:
        start = time.process_time()
        for page in batch:
            writer.add(PageWrite(page), done)
            if writer.due():
                writer.flush()
        writer.flush()
        spent.append(time.process_time() - start)
    archive.close()
    return spent, outcomes


def corpus_compression(rounds: int) -> list[str]:
    """CPU ms per corpus page and size ratio of the archive's compression beside stdlib zlib -6."""
    import zlib

    from archive.compression import compress
    from bench.corpus import load_corpus

    folder = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    bodies = [Path(p.path).read_bytes() for p in load_corpus(folder)] if folder.is_dir() else []
    if not bodies:
        return ["corpus compression: no corpus at " + str(folder)]
    lines, size = [], sum(map(len, bodies))
    for label, function in (("archive", compress), ("stdlib zlib -6", lambda b: zlib.compress(b, 6))):
        best = float("inf")
        for _ in range(rounds):
            start = time.process_time()
            out = [function(body) for body in bodies]
            best = min(best, time.process_time() - start)
        assert all(zlib.decompress(o) == b for o, b in zip(out, bodies, strict=True))
        lines.append(f"corpus compression, {label}: {1000 * best / len(bodies):.3f} ms CPU per page"
                     f" ({len(bodies)} pages, {size / len(bodies) / 1024:.0f} KiB on average),"
                     f" stored {sum(map(len, out)) / size:.4f} of the raw size")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kexie-store-cost-") as tmp:
        folder = Path(tmp)
        pages, web = extracted_pages(args.pages, folder)
        n_pages = len(pages)
        best, outcomes = [float("inf")] * 2, Counter[str]()
        for n in range(args.rounds):
            spent, outcomes = write_all(pages, web, folder / f"r{n}.db")
            best = [min(b, s) for b, s in zip(best, spent, strict=True)]
            print(f"round {n + 1}: {1000 * spent[0] / n_pages:.3f} ms CPU per page stored,"
                  f" {1000 * spent[1] / n_pages:.3f} per page known", flush=True)
        print(f"store path ({n_pages} pages, best of {args.rounds}): {1000 * best[0] / n_pages:.3f} ms CPU per page"
              f" stored (new pages and copies), {1000 * best[1] / n_pages:.3f} ms per page written again (unchanged)")
        print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
        print("\n".join(corpus_compression(args.rounds)))
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            write_all(pages, web, folder / "profile.db")
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
