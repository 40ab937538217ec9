"""The small decisions behind incremental crawls and health flags."""

from __future__ import annotations

from cli.site_health import site_health
from crawler.incremental import modified_since, stop_paginating


def test_pagination_stops_at_a_run_of_known_articles() -> None:
    assert stop_paginating([True, True, True], known_run=10)
    assert not stop_paginating([False, True, True], known_run=10)
    assert stop_paginating([False, True, True, True], known_run=3)
    assert not stop_paginating([True, False, True, False], known_run=2)
    assert not stop_paginating([], known_run=1)


def test_sitemap_lastmod_against_last_run() -> None:
    since = "2026-11-20T10:00:00+00:00"
    assert modified_since("2026-11-21", since)
    assert not modified_since("2023-01-10T09:00:00+08:00", since)
    assert modified_since(None, since) and modified_since("garbage", since) and modified_since("2020-01-01", None)


def run(stored: int, fetched: int, rejected: int, finished: bool = True, errors: int = 0) -> dict[str, object]:
    return {"started_at": "2026-11-22T00:00:00+00:00", "finished_at": "x" if finished else None,
            "finish_reason": "finished" if finished else None, "requests": fetched + 2, "fetched": fetched,
            "stored": stored, "rejected": rejected, "errors": errors, "errors_by_status": "{}"}


def test_health_flags() -> None:
    assert site_health("a", [run(5, 5, 0)]).flags == []
    assert "never crawled" in site_health("a", []).flags
    assert any("did not finish" in f for f in site_health("a", [run(1, 1, 0, finished=False)]).flags)
    quiet = site_health("a", [run(0, 0, 0)] * 5, quiet_runs=5).flags
    assert quiet == ["nothing new in the last 5 crawls"]
    jumped = site_health("a", [run(0, 4, 4), run(5, 5, 0), run(4, 5, 1)]).flags
    assert jumped and "reject rate jumped to 100% (was 10%)" in jumped[0]
    assert site_health("a", [run(3, 5, 2), run(3, 5, 2)]).flags == []
    refused = site_health("a", [run(0, 0, 0, errors=3)]).flags
    assert any("nothing fetched, 3 requests failed" in f for f in refused), refused
    nothing = site_health("a", [run(0, 0, 0)] * 2, pages_ever=0).flags
    assert nothing == ["no article page found in 2 crawls: does article_pattern match its links?"], nothing
    assert site_health("a", [run(0, 0, 0)] * 2, pages_ever=40).flags == []
    lost = site_health("a", [{**run(3, 5, 0), "lost": 2}]).flags
    assert any("2 fetched pages could not be stored" in f for f in lost), lost
