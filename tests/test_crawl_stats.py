"""The crawl's stats collector (crawler/stats.py): Scrapy's values, without Scrapy's per-attribute wrapper."""

from __future__ import annotations

import time

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler import settings


def test_the_settings_stats_count_as_scrapys_and_cost_less() -> None:
    crawler = get_crawler()
    ours = load_object(settings.STATS_CLASS)(crawler)
    scrapys = MemoryStatsCollector(crawler)
    for stats in (ours, scrapys):
        stats.inc_value("kexie/site/a/requests")
        stats.inc_value("kexie/site/a/requests", 2)
        stats.max_value("depth", 3)
        stats.max_value("depth", 2)
        stats.set_value("kexie/refused", ["a: why"])
        stats.min_value("first", 5)
    assert ours.get_stats() == scrapys.get_stats() == {"kexie/site/a/requests": 3, "depth": 3,
                                                       "kexie/refused": ["a: why"], "first": 5}
    assert isinstance(ours, MemoryStatsCollector)

    def cost(stats: MemoryStatsCollector) -> float:
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            for _ in range(20_000):
                stats.inc_value("kexie/site/a/requests")
            best = min(best, time.process_time() - start)
        return best

    assert cost(ours) < cost(scrapys) / 3  # 0.12 against 1.7 µs a call on the 2-core VM


def test_a_crawls_extensions_leave_out_remote_control_and_keep_scrapys_others() -> None:
    """RemoteControl is off, but Scrapy imports every extension its base list names, and that one
    imports aiohttp (~0.15 s of every crawl's start): the crawl's list leaves it out, nothing else."""
    import subprocess
    import sys
    from pathlib import Path

    from scrapy.settings.default_settings import EXTENSIONS_BASE

    code = ("import sys; from scrapy.utils.conf import build_component_list; from scrapy.utils.misc import load_object;"
            "from crawler.runner import crawl_settings; s = crawl_settings(None);"
            "paths = build_component_list(s.getwithbase('EXTENSIONS')); [load_object(p) for p in paths];"
            "print(sorted(p.rsplit('.', 1)[1] for p in paths)); print('aiohttp' in sys.modules)")
    root = Path(__file__).resolve().parent.parent
    found = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    names, aiohttp = found.stdout.strip().splitlines()
    assert aiohttp == "False"
    assert "RemoteControl" not in names
    assert {k: v for k, v in EXTENSIONS_BASE.items() if "RemoteControl" not in k} == settings.EXTENSIONS_BASE
    assert "CoreStats" in names and "LogStats" in names
