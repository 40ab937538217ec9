"""Scrapy's in-memory stats, without the per-attribute wrapper Scrapy 2.13+ puts on them.

StatsCollector.__getattribute__ (there to warn about a deprecated `spider` argument) runs for every
attribute a stats call touches, and raises and catches an AttributeError for each plain one
(`self._stats` inside `inc_value`): 1.7 µs an `inc_value` instead of 0.12, and a crawl makes
dozens of stats calls a page (Scrapy's downloader stats, ours per site). The stats themselves are
Scrapy's MemoryStatsCollector's, the same values; only the deprecation warning for passing
`spider=` is gone (nothing here passes it).
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class PlainStats(MemoryStatsCollector):
    """STATS_CLASS (crawler/settings.py)."""

    __getattribute__ = object.__getattribute__
