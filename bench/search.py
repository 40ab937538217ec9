"""Search benchmark: a synthetic archive of 200k Chinese-like articles, exactness and latency.

    python bench/search.py [--articles 200000] [--db data/bench-search-200000.db] [--rebuild]

The archive is built once (deterministic, same seed, same file) through the real code path: rows
inserted in batches fire the search triggers, `update_index` drains the queue. Every query's full
result set is checked against a plain substring scan of the folded titles and texts; p50/p95 are
of a first result page with its total, as `kexie search` shows it, over three warm runs per query.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.db import Archive  # noqa: E402
from archive.queries import connect_read_only, search_conn  # noqa: E402
from archive.search import ensure_search_index, update_index  # noqa: E402
from archive.search_text import fold, needle  # noqa: E402

SEED = 5
DOMAIN = ["科协", "中国科协", "科普", "院士", "科普示范县", "科技工作者", "全国科技工作者日", "学会", "创新驱动",
          "湖南省", "长沙市", "专家工作站", "青少年", "科技馆", "乡村振兴", "人工智能", "高质量发展"]
MIXED = ["5G", "AI", "2023年", "C919", "ChatGPT", "第3届", "GDP", "iPhone 15", "COVID-19", "100%", "3.5亿元"]
REGIONS = ["湖南省长沙市", "湖南省株洲市", "四川省成都市", "江苏省徐州市", "广东省深圳市", "北京市", "湖北省恩施州"]
LEVELS = ["national", "provincial", "city", "county", "newspaper", "portal"]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Words of 1-4 Han characters drawn from a Zipf-like character distribution, plus domain terms."""
    han = [chr(c) for c in range(0x4E00, 0x9FA6)]
    rng.shuffle(han)
    han = han[:6000]
    char_weights = list(accumulate(1 / (r + 8) for r in range(len(han))))
    sizes = rng.choices((1, 2, 3, 4), weights=(1, 3, 1, 1), k=40000)
    words = {"".join(rng.choices(han, cum_weights=char_weights, k=k)) for k in sizes}
    vocab = sorted(words) + DOMAIN + MIXED
    rng.shuffle(vocab)
    weights = list(accumulate(1 / (r + 3) ** 1.05 for r in range(len(vocab))))
    return vocab, weights


def articles(n: int) -> list[dict[str, object]]:
    """n deterministic articles: titles of 8-30 characters, texts of about 800 characters in paragraphs."""
    rng = random.Random(SEED)
    vocab, weights = vocabulary(rng)
    out = []
    for i in range(1, n + 1):
        length = int(min(6000, max(80, rng.lognormvariate(6.5, 0.55))))
        words = rng.choices(vocab, cum_weights=weights, k=length // 2)
        parts, size = [], 0
        for w in words:
            parts.append(w)
            size += len(w)
            if rng.random() < 0.08:
                parts.append("。\n" if rng.random() < 0.2 else rng.choice("，。、；"))
            if size >= length:
                break
        title = "".join(rng.choices(vocab, cum_weights=weights, k=rng.randint(4, 12)))[:30]
        day = rng.randrange(3650)
        out.append({"id": i, "site": f"site{i % 30:02d}", "url": f"http://bench.example/{i}.htm", "title": title,
                    "text": "".join(parts) + "。", "content_hash": f"h{i}",
                    "published_at": time.strftime("%Y-%m-%d", time.gmtime(1420070400 + day * 86400))})
    return out


def build(path: Path, n: int) -> None:
    path.unlink(missing_ok=True)
    archive = Archive(path)
    db = archive.db
    ensure_search_index(db)
    db.execute("PRAGMA synchronous = OFF")
    for k in range(30):
        db.table("sites").insert({"key": f"site{k:02d}", "name": f"测试科协{k}", "level": LEVELS[k % 6],
                            "region": REGIONS[k % len(REGIONS)], "official": int(k % 6 < 4), "spam": 0, "verified": 0})
    started, rows = time.monotonic(), articles(n)
    print(f"generated {n} articles in {time.monotonic() - started:.0f} s", flush=True)
    started = time.monotonic()
    cols = list(rows[0])
    for at in range(0, n, 5000):
        with db.atomic():
            db.conn.executemany(f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                [tuple(r[c] for c in cols) for r in rows[at:at + 5000]])
        update_index(db)
    print(f"inserted and indexed in {time.monotonic() - started:.0f} s", flush=True)
    archive.close()


def queries(corpus: list[tuple[int, str, str]]) -> list[str]:
    """1- to 8-character Chinese queries (common to absent), domain terms, mixed Latin/digit queries."""
    rng = random.Random(SEED + 1)
    counts: dict[str, int] = {}
    for _, _, text in corpus[:2000]:
        for ch in text:
            counts[ch] = counts.get(ch, 0) + 1
    chars = [c for c, _ in sorted(counts.items(), key=lambda kv: -kv[1]) if "\u4e00" <= c <= "\u9fff"]
    picked = [chars[0], chars[50], chars[500], chars[-1], "科", "协", "龘"]
    for length in range(2, 9):
        for _ in range(4):
            text = rng.choice(corpus)[2]
            at = rng.randrange(max(1, len(text) - length))
            picked.append(text[at:at + length])
        picked.append("".join(rng.choices(chars[:300], k=length)))  # most likely absent
    return picked + DOMAIN + MIXED + ["5g", "chatgpt", "ｇｄｐ", "c919", "5G基站", "AI 创新", "2023年科协"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path = args.db or Path(f"data/bench-search-{args.articles}.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild or not path.exists():
        build(path, args.articles)
    conn = connect_read_only(path)
    corpus = [(r[0], fold(r[1]), fold(r[2])) for r in conn.execute("SELECT id, title, text FROM articles")]
    text_bytes = conn.execute("SELECT sum(length(CAST(title AS BLOB)) + length(CAST(text AS BLOB))) FROM articles")
    text_size = int(text_bytes.fetchone()[0])
    index_size = int(conn.execute("SELECT (SELECT sum(length(block)) FROM articles_fts_data)"
                                  " + (SELECT count(*) * 16 FROM articles_fts_idx)").fetchone()[0])
    times: list[float] = []
    wrong = 0
    print(f"{'query':22} {'chars':>5} {'hits':>7} {'ms p50':>7}")
    for q in queries(corpus):
        want = {i for i, title, text in corpus if needle(q) in title or needle(q) in text}
        typed = f'"{q}"' if " " in q or q[:1] == "-" else q  # one Ctrl-F string: a phrase in the search syntax
        got = search_conn(conn, typed, limit=-1, total=False).hits
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            page = search_conn(conn, typed, limit=20)
            runs.append((time.perf_counter() - started) * 1000)
        times += runs
        ok = {h["id"] for h in got} == want and len(got) == len(want) == page.total
        wrong += not ok
        print(f"{q:22} {len(q):5} {len(want):7} {statistics.median(runs):7.1f}{'' if ok else '  WRONG'}")
    p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[-1]
    print(f"\n{len(corpus)} articles, {text_size / 1e6:.0f} MB of title+text (UTF-8); index {index_size / 1e6:.0f} MB"
          f" = {index_size / text_size:.2f}x the text; file {path.stat().st_size / 1e6:.0f} MB")
    print(f"latency over {len(times)} searches: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms")
    print(f"exact: {'all result sets equal the substring scan' if not wrong else f'{wrong} queries WRONG'}")
    sys.exit(1 if wrong or p50 >= 50 else 0)


if __name__ == "__main__":
    main()
