"""Dedupe cost and memory with 10k, 50k and 200k articles already archived.

Run from the project root:  .venv/bin/python bench/near_copies.py [--sizes 10000,50000,200000] [--probe 400]

The archive is built straight into a temporary file (synthetic, deterministic Chinese-like texts
with shared stock phrases; sketches computed by extract/sketch.py in worker processes; batched
inserts), grown from one size to the next. At each size a fresh process runs `decide` + `store`
on probe pages — mostly new texts, some near copies (byline added, last paragraph cut), exact
copies (punctuation and spacing changed) and known URLs — committing every 100 as the crawl
does, and reports the time per article, its peak RSS and the Python heap peak (tracemalloc).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import multiprocessing
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that `python bench/near_copies.py` finds archive/ and pipelines/
    sys.path.insert(0, str(ROOT))

from archive.db import Archive  # noqa: E402
from dedupe import near  # noqa: E402
from dedupe.decide import decide  # noqa: E402
from dedupe.write import store  # noqa: E402
from extract.normalise import has_traditional, hash_form  # noqa: E402
from extract.page import Page  # noqa: E402

SITES = {"official": (1, 0), "portal": (0, 0), "mirror": (0, 1)}
STOCK = ("围绕中心、服务大局", "团结带领广大科技工作者", "科普示范县", "全国科技工作者日", "全国科普日",
         "深入学习贯彻党的二十大精神", "认真履行“四服务”职责", "提升全民科学素质", "院士专家工作站",
         "基层科协“三长”", "科技志愿服务", "弘扬科学家精神", "服务创新驱动发展", "为高质量发展贡献科协力量")
_VOCAB = random.Random(20240601)
_CHARS = [c for c in map(chr, _VOCAB.sample(range(0x4E00, 0x9FA6), 6000)) if not has_traditional(c)][:3500]
_WORDS = ["".join(_VOCAB.choices(_CHARS, k=_VOCAB.choice((1, 2, 2, 2, 3, 4)))) for _ in range(12000)]
_CUM = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(_WORDS))))  # Zipf-like frequencies


def text(i: int) -> str:
    """Article i: 4-6 paragraphs, ~700 characters, about one sentence in four opening with a stock phrase."""
    rng = random.Random(i * 7919 + 17)
    paragraphs = []
    for _ in range(rng.randint(4, 6)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = rng.choices(_WORDS, cum_weights=_CUM, k=rng.randint(12, 24))
            lead = rng.choice(STOCK) + "，" if rng.random() < 0.25 else ""
            sentences.append(lead + "".join(words[:8]) + "，" + "".join(words[8:]) + "。")
        paragraphs.append("".join(sentences))
    return "\n".join(paragraphs)


def _site(i: int) -> str:
    return tuple(SITES)[i % len(SITES)]


def _row(i: int) -> tuple[Any, ...]:
    """Everything the builder inserts for article i (runs in a worker)."""
    body = text(i)
    form = hash_form(body)
    sketch = near.sketch_form(form)
    assert sketch is not None
    digest = hashlib.sha1(form.encode("utf-8")).hexdigest()  # = dedupe.content_hash(body)
    return i, body, digest, int(sketch.shingles.size), sketch.blob(), sketch.band_keys()


def build(path: Path, start: int, stop: int, workers: int) -> None:
    """Append synthetic articles start..stop-1 with their sketches, in transactions of 2,000."""
    archive = Archive(path)
    db = archive.db.conn
    db.execute("PRAGMA cache_size = -400000")  # the builder only; the measured process keeps the default
    for key, (official, spam) in SITES.items():
        archive.upsert_site({"key": key, "name": key, "level": "city", "region": "", "official": official,
                             "spam": spam, "verified": 1, "base_url": f"http://{key}.example", "config_path": ""})
    with multiprocessing.Pool(workers) as pool:
        rows = pool.imap(_row, range(start, stop), chunksize=500)
        while batch := [r for _, r in zip(range(2000), rows, strict=False)]:
            db.execute("BEGIN")
            urls: list[tuple[Any, ...]] = []
            sigs: list[tuple[Any, ...]] = []
            bands: list[tuple[int, Any]] = []
            for i, body, digest, size, blob, keys in batch:
                site, day = _site(i), f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
                url = f"http://{site}.example/art/{i}.html"
                article_id = db.execute(
                    "INSERT INTO articles (site, url, canonical_url, title, published_at, text, content_hash,"
                    " fetched_at, extractor_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bench')",
                    [site, url, url, f"第{i}号稿件", day, body, digest, day]).lastrowid
                urls.append((article_id, url, url, site, "original", f"第{i}号稿件", day, day))
                sigs.append((article_id, size, blob))
                bands.extend((key, article_id) for key in keys)
            db.executemany("INSERT INTO article_urls (article_id, url, canonical_url, site, kind, title,"
                           " published_at, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", urls)
            db.executemany("INSERT INTO near_signatures VALUES (?, ?, ?)", sigs)
            db.executemany("INSERT OR IGNORE INTO near_bands VALUES (?, ?)", sorted(bands))
            db.execute("COMMIT")
    archive.close()


def probe_page(size: int, j: int) -> tuple[str, Page]:
    """Probe j at archive size `size`: (kind, page)."""
    rng = random.Random(size * 100_003 + j)
    kind = ("new",) * 14 + ("near",) * 3 + ("exact",) * 2 + ("known",)
    what = kind[j % len(kind)]
    k = rng.randrange(size)
    site, url = _site(j), f"http://{_site(j)}.example/probe/{size}/{j}.html"
    if what == "new":
        body = text(10_000_000 + size * 10 + j)
    elif what == "near":
        body = "本报讯（记者 王明 通讯员 李华）" + text(k).rsplit("\n", 1)[0]
    elif what == "exact":
        body = text(k).replace("，", ", ").replace("。", ". ").replace("\n", "\n\u3000\u3000")
    else:
        body, site, url = text(k), _site(k), f"http://{_site(k)}.example/art/{k}.html"
    page = Page(url=url, body=f"<html><body>{body}</body></html>".encode(), site=site, text=body,
                title=f"探针{j}", published_at="2025-06-01", fetched_at="2026-01-01T00:00:00+00:00")
    return what, page


def peak_rss_mb() -> float:
    """VmHWM: unlike ru_maxrss it is not inherited from the (big) builder process across fork+exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, size: int, probe: int) -> dict[str, Any]:
    """Runs in a fresh process: decide + store of the probe pages; time per article, memory."""
    archive = Archive(path)
    lookups = {"calls": 0, "candidates": 0}
    candidates = archive.near.candidates

    def counted(keys: list[int], limit: int) -> list[tuple[int, int, bytes]]:
        found = candidates(keys, limit)
        lookups["calls"] += 1
        lookups["candidates"] += len(found)
        return found

    archive.near.candidates = counted  # type: ignore[method-assign]
    pages = [probe_page(size, j) for j in range(probe + 20 + 100)]
    archive.begin()
    for _, page in pages[:20]:  # warm-up: OpenCC tables, MinHash permutations
        store(decide(page, archive), archive, None)
    archive.commit()
    times: list[float] = []
    cpu: list[float] = []
    outcomes: dict[str, int] = {}
    archive.begin()
    for n, (what, page) in enumerate(pages[20:20 + probe], start=1):
        started, started_cpu = time.perf_counter(), time.process_time()
        outcome = store(decide(page, archive), archive, None)
        if n % 100 == 0:
            archive.commit()
            archive.begin()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        outcomes[f"{what}->{outcome}"] = outcomes.get(f"{what}->{outcome}", 0) + 1
    archive.commit()
    tracemalloc.start()
    archive.begin()
    for _, page in pages[20 + probe:]:
        store(decide(page, archive), archive, None)
    archive.commit()
    heap_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    times.sort()
    return {
        "size": size, "file_mb": path.stat().st_size / 2**20, "ms_mean": 1000 * sum(times) / len(times),
        "cpu_ms": 1000 * sum(cpu) / len(cpu),
        "ms_p95": 1000 * times[int(0.95 * len(times))], "candidates": lookups["candidates"] / max(1, lookups["calls"]),
        "rss_mb": peak_rss_mb(), "heap_mb": heap_peak / 2**20,
        "outcomes": outcomes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,200000")
    parser.add_argument("--probe", type=int, default=400, help="pages timed at each size")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", default="", help="build the archive here and keep it")
    parser.add_argument("--measure", nargs=2, metavar=("DB", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), int(args.measure[1]), args.probe)))
        return
    folder = Path(args.keep or tempfile.mkdtemp(prefix="kexie-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path, built, results = folder / "bench.db", 0, []
    for size in sorted(int(s) for s in args.sizes.split(",")):
        started = time.monotonic()
        build(path, built, size, args.workers)
        built = size
        print(f"built {size:,} articles in {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
        run = subprocess.run([sys.executable, __file__, "--measure", str(path), str(size), "--probe", str(args.probe)],
                             capture_output=True, text=True, check=True)
        results.append(json.loads(run.stdout))
    print(f"{'archived':>9} {'file MB':>8} {'ms/article':>10} {'CPU ms':>7} {'p95 ms':>7} {'cands':>6}"
          f" {'peak RSS MB':>11} {'py heap MB':>10}")
    for r in results:
        print(f"{r['size']:>9,} {r['file_mb']:>8.0f} {r['ms_mean']:>10.2f} {r['cpu_ms']:>7.2f} {r['ms_p95']:>7.2f}"
              f" {r['candidates']:>6.2f} {r['rss_mb']:>11.0f} {r['heap_mb']:>10.1f}")
    first, last = results[0], results[-1]
    ratio = {k: last[k] / first[k] for k in ("size", "ms_mean", "cpu_ms", "rss_mb", "heap_mb", "file_mb")}
    print(f"\n{ratio['size']:.0f}x the archive: {ratio['ms_mean']:.2f}x the time per article"
          f" ({ratio['cpu_ms']:.2f}x CPU), {ratio['rss_mb']:.2f}x the peak RSS, {ratio['heap_mb']:.2f}x the Python"
          f" heap, {ratio['file_mb']:.1f}x the file")
    print("probe outcomes at the largest size:", json.dumps(last["outcomes"], sort_keys=True))
    if not args.keep:
        for leftover in folder.glob("bench.db*"):
            leftover.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
