"""The tables bench/throughput.py prints, and the issue-7 targets as PASS/FAIL lines.

Kept apart from the measuring so the figures' meaning (what is divided by what) is in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.stages import StageTimes
    from bench.throughput import Row

MIB = 1024
STAGE_ORDER = ("extract", "  of which in trafilatura", "clean", "date", "process (all CPU stages)", "dedupe", "store")
_HEAD = (f"{'':31} {'pages':>6} {'wall s':>7} {'pages/s':>8} {'CPU s':>7} {'CPU ms/page':>11} {'ru_maxrss':>9}"
         f" {'tree PSS':>8} {'server':>7} {'others':>6}")
_UNITS = f"{'':31} {'':>6} {'':>7} {'':>8} {'':>7} {'':>11} {'MiB':>9} {'MiB':>8} {'ms/pg':>7} {'cores':>6}"


def _per(r: Row) -> float:
    return r.cpu / r.pages


def _opt(value: float | None, fmt: str, width: int) -> str:
    return f"{value:{width}{fmt}}" if value is not None else f"{'-':>{width}}"


def _row(r: Row) -> str:
    mib = lambda kb: None if kb is None else kb / MIB  # noqa: E731
    server = None if r.server_cpu is None else 1000 * r.server_cpu / r.pages
    return (f"{r.name:31} {r.pages:6d} {r.wall:7.1f} {r.rate:8.1f} {r.cpu:7.1f} {1000 * r.cpu / r.pages:11.2f}"
            f" {_opt(mib(r.rss_kb), '.0f', 9)} {_opt(mib(r.tree_kb), '.0f', 8)} {_opt(server, '.2f', 7)}"
            f" {_opt(r.other, '.2f', 6)}")


def bracket(b: Row, b2: Row) -> tuple[float, float]:
    """(pages/s, CPU s/page) of bare trafilatura while (c) ran: the mean of the runs before and after it."""
    return (b.rate + b2.rate) / 2, (_per(b) + _per(b2)) / 2


def main_table(a: Row, b: Row, b2: Row, c: Row, counts: dict[str, Any], server_line: str) -> list[str]:
    in_crawl = counts["in_crawl_s"]
    rate, per = bracket(b, b2)
    return [
        "THROUGHPUT  (pages = article pages; (a) and (c) also fetch the list pages, (c) robots.txt too)",
        _HEAD, _UNITS, _row(a), _row(b), _row(c), _row(b2),
        f"ratios: c/a = {c.rate / a.rate:.2f}   c/b = {c.rate / b.rate:.2f}   (pages/s);   CPU per page"
        f" c/b = {_per(c) / _per(b):.2f}   c/a = {_per(c) / _per(a):.2f}",
        f"(b') drifted {_per(b2) / _per(b) - 1:+.0%} from (b) in CPU per page: the machine's own speed moving during"
        f" the run. Against the mean of (b) and (b'): c/b = {c.rate / rate:.2f} (pages/s), CPU per page c/b ="
        f" {_per(c) / per:.2f}; the targets below use these",
        f"(b) on a core of its own (pages / CPU s): {b.pages / b.cpu:.1f} pages/s; c/b against that: "
        f"{c.rate / (b.pages / b.cpu):.2f} (the wall-clock (b) is lower when other processes take its core)",
        f"archive after (c): {counts['articles']} articles, {counts['rejects']} rejects, {counts['pages']} raw pages;"
        f" in-crawl time {in_crawl:.1f} s (the longest crawl_runs.duration_s: the sites run side by side)"
        + (f" = {c.pages / in_crawl:.1f} pages/s without process start-up" if in_crawl else ""),
        server_line,
        "wall and CPU of (a)/(c): whole subprocess incl. start-up; CPU = user+sys of the process tree; tree PSS ="
        " sampled peak of the tree's summed PSS; server = bench/memweb.py's CPU per page; others = CPU used"
        " meanwhile by other processes on the machine (other developers' tests), in cores",
    ]


def stage_table(split: StageTimes, a: Row, c: Row) -> list[str]:
    n = max(split.pages, 1)
    lines = [f"CPU PER PAGE BY STAGE  (in this process, one page at a time, {split.pages} sampled pages)"]
    total = 0.0
    for name in STAGE_ORDER:
        if name in split.cpu:
            lines.append(f"  {name:28} {1000 * split.cpu[name] / n:8.2f} ms")
            total += 0.0 if name.startswith(" ") else split.cpu[name]
    fetch = 1000 * a.cpu / a.pages
    crawl = 1000 * c.cpu / c.pages
    lines += [f"  {'sum of our stages':28} {1000 * total / n:8.2f} ms",
              f"  {'+ fetching alone, from (a)':28} {fetch:8.2f} ms",
              f"  {'= expected crawl CPU':28} {1000 * total / n + fetch:8.2f} ms   measured (c): {crawl:.2f} ms;"
              f" the difference is Scrapy's item and list-page work, process start-up and any overhead of moving"
              f" pages between processes",
              "  outcomes of the sample: " + ", ".join(f"{k}={v}" for k, v in sorted(split.outcomes.items()))]
    lines += [f"  not timed: {m}" for m in split.missing]
    return lines


def scale_table(points: list[tuple[int, Row, dict[str, Any]]]) -> list[str]:
    lines = ["SCALE  ((c) into a fresh archive at each size)",
             f"  {'pages':>6} {'wall s':>7} {'pages/s':>8} {'in-crawl p/s':>12} {'CPU ms/page':>11}"
             f" {'ru_maxrss MiB':>13} {'tree PSS MiB':>12} {'articles':>8} {'rejects':>7} {'others':>6}"]
    for size, r, counts in points:
        in_crawl = size / counts["in_crawl_s"] if counts["in_crawl_s"] else 0.0
        lines.append(f"  {size:6d} {r.wall:7.1f} {r.rate:8.1f} {in_crawl:12.1f} {1000 * r.cpu / size:11.2f}"
                     f" {(r.rss_kb or 0) / MIB:13.0f} {(r.tree_kb or 0) / MIB:12.0f} {counts['articles']:8d}"
                     f" {counts['rejects']:7d} {_opt(r.other, '.2f', 6)}")
    return lines


def _verdict(ok: bool, text: str) -> str:
    return f"  [{'PASS' if ok else 'FAIL'}] {text}"


def targets(a: Row, b: Row, b2: Row, c: Row, points: list[tuple[int, Row, dict[str, Any]]]) -> list[str]:
    rate, per = bracket(b, b2)
    cpu_ratio = _per(c) / per
    lines = ["TARGETS  (issue 7, 'Done when'; (b) = the mean of the bare-trafilatura runs before and after (c))",
             _verdict(c.rate >= 1.6 * rate, f"crawl (c) >= 1.6x bare trafilatura (b) in pages/s: "
                      f"{c.rate / rate:.2f}x"),
             _verdict(cpu_ratio <= 1.5, f"CPU per page of the whole pipeline (c) <= 1.5x bare trafilatura's: "
                      f"{cpu_ratio:.2f}x"),
             _verdict(cpu_ratio <= 1.0, f"issue 26: CPU per archived page (c) <= 1.0x bare trafilatura's (goal 0.8x):"
                      f" {cpu_ratio:.2f}x")]
    busy = max(r.other or 0.0 for r in (a, b, b2, c, *(p[1] for p in points)))
    if busy > 0.25:
        lines.append(f"  [WARN] other processes used up to {busy:.2f} cores during the measurements: pages/s and their"
                     f" ratios are depressed and noisy; CPU ms/page figures are the more robust ones")
    if len(points) < 2:
        return [*lines, "  [ -- ] memory flat and speed not falling with size: no scale runs (--scale)"]
    rss = [(r.rss_kb or 0) for _, r, _ in points]
    spread = max(abs(x / rss[0] - 1) for x in rss)
    lines.append(_verdict(spread <= 0.2, f"peak RSS flat within 20% from {points[0][0]} to {points[-1][0]} pages: "
                          + " / ".join(f"{x / MIB:.0f}" for x in rss) + f" MiB (largest change {spread:+.0%})"))
    rates = [size / counts["in_crawl_s"] if counts["in_crawl_s"] else size / r.wall for size, r, counts in points]
    change = rates[-1] / rates[0] - 1
    lines.append(_verdict(change >= -0.1, "pages/s not falling as the archive grows (in-crawl, 10% noise margin): "
                          + " / ".join(f"{x:.1f}" for x in rates) + f" ({change:+.0%} smallest to largest)"))
    costs = [1000 * r.cpu / size for size, r, _ in points]  # does not depend on what else the machine runs
    rise = costs[-1] / costs[0] - 1
    lines.append(_verdict(rise <= 0.1, "CPU per page not rising as the archive grows (10% margin; robust to a busy"
                          " machine): " + " / ".join(f"{x:.2f}" for x in costs) + f" ms ({rise:+.0%})"))
    return lines
