"""Smoke test of the throughput benchmark: it runs end to end and prints its table.

No timing assertions: speed targets are the bench's business (its PASS/FAIL lines), and a
test that fails when the machine is busy would teach people to ignore it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"\d+(?:\.\d+)?"


def test_throughput_bench_prints_the_three_rows_with_figures() -> None:
    result = subprocess.run(
        [sys.executable, "bench/throughput.py", "--pages", "120", "--skip-scale", "--sample", "60",
         "--ceiling", "0.5"],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "machine: nproc" in out and "Scrapy" in out and "trafilatura" in out
    for row in ("(a) bare Scrapy fetch", "(b) bare trafilatura, 1 core", "(c) kexie crawl", "(b') the same, after (c)"):
        line = next((x for x in out.splitlines() if x.startswith(row)), None)
        assert line is not None, f"no row {row!r} in:\n{out}"
        figures = re.findall(NUMBER, line[len(row):])
        # pages, wall s, pages/s, CPU s, CPU ms/page at least, all positive
        assert len(figures) >= 5 and all(float(f) > 0 for f in figures[:5]), line
        assert figures[0] == "120", line
    assert re.search(rf"ratios: c/a = {NUMBER}\s+c/b = {NUMBER}", out), out
    assert re.search(r"archive after \(c\): 120 articles, 0 rejects", out), out
    assert re.search(rf"\(b'\) drifted [+-]{NUMBER}% from \(b\).*Against the mean of \(b\) and \(b'\): c/b = {NUMBER}"
                     rf" \(pages/s\), CPU per page c/b = {NUMBER}", out), out
    assert re.search(rf"extract\s+{NUMBER} ms", out) and "TARGETS" in out, out
