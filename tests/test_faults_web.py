"""The crawl against a hostile site (tests/hostileweb.py): every fault ends in bounded time and
memory with the good pages archived, the refused ones kept aside with their reason, the passing
ones left in the frontier for the next crawl, nothing doubled, and one log line per failure.
"""

from __future__ import annotations

import re
import resource
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import kexie
from .hostileweb import GOOD, HostileWeb

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=2"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One crawl of the hostile site, then a second one; the archive, outputs and hits of both."""
    tmp = tmp_path_factory.mktemp("hostile")
    with HostileWeb(slow=5.0) as web:
        (tmp / "sites").mkdir()
        (tmp / "sites" / "hostile.toml").write_text(web.site_file(), "utf-8")
        args = ["crawl", "hostile", "--sites-dir", str(tmp / "sites"), *FAST]
        first = kexie(*args, db=tmp / "a.db", check=False, timeout=120)
        hits_first = list(web.hits)
        second = kexie(*args, db=tmp / "a.db", check=False, timeout=120)
        yield {"db": tmp / "a.db", "first": first, "second": second, "hits": hits_first,
               "hits_second": web.hits[len(hits_first):], "maxrss_mib": resource.getrusage(
                   resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def rows(crawled: dict[str, Any], sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(crawled["db"]) as conn:
        return conn.execute(sql).fetchall()


def numbers(urls: list[tuple[Any, ...]]) -> set[int]:
    return {int(m[1]) for (url, *_) in urls if (m := re.search(r"/news/(\d+)\.html$", url))}


def test_good_pages_archived_once_and_routine_failures_exit_0(crawled: dict[str, Any]) -> None:
    assert crawled["first"].returncode == 0, crawled["first"].stderr[-3000:]
    assert numbers(rows(crawled, "SELECT url FROM articles")) == set(GOOD)
    assert rows(crawled, "SELECT count(*) FROM articles") == [(len(GOOD),)]


def test_refused_pages_kept_aside_with_their_reason(crawled: dict[str, Any]) -> None:
    rejects = {n: reason for n, reason in ((int(re.search(r"(\d+)\.html", u)[1]), r)  # type: ignore[index]
                                           for u, r in rows(crawled, "SELECT url, reason FROM rejects"))}
    assert rejects == {3: "too_large", 4: "too_large", 5: "redirect_loop", 6: "offsite_redirect", 10: "missing"}, \
        rejects
    details = rows(crawled, "SELECT detail FROM rejects WHERE reason = 'too_large'")
    assert len(details) == 2 and all("DOWNLOAD_MAXSIZE" in d for (d,) in details), details


def test_passing_failures_wait_in_the_frontier(crawled: dict[str, Any]) -> None:
    waiting = {int(re.search(r"(\d+)\.html", u)[1]): (kind, reason)  # type: ignore[index]
               for u, kind, reason in rows(crawled, "SELECT url, kind, reason FROM frontier")}
    assert set(waiting) == {7, 9}, waiting
    assert all(kind == "article" for kind, _ in waiting.values())
    assert "DataLoss" in waiting[7][1] and "Timeout" in waiting[9][1], waiting
    # the second crawl asked for those again, and for the missing page (a 404 may come back),
    # but for no page archived or refused for good
    again = [p for p in crawled["hits_second"] if re.fullmatch(r"/news/\d+[b]?\.html", p)]
    assert {int(re.search(r"\d+", p)[0]) for p in again} == {7, 9, 10}, again  # type: ignore[index]


def test_everything_is_bounded(crawled: dict[str, Any]) -> None:
    hits = crawled["hits"]
    assert sum(p.startswith("/news/index") for p in hits) == 5, "max_list_pages bounds an endless pagination"
    indexes = [p for p in hits if re.fullmatch(r"/index\d+\.xml", p)]
    assert indexes == ["/index0.xml", "/index1.xml", "/index2.xml", "/index3.xml"], indexes
    assert not any("13.html" in p for p in hits), "an ftp: link was followed"
    assert hits.count("/news/5.html") + hits.count("/news/5b.html") <= 12, "a redirect loop went on"
    assert crawled["maxrss_mib"] < 1024, f"a crawl process peaked at {crawled['maxrss_mib']:.0f} MiB (gzip bomb?)"


def test_nothing_doubled_by_the_second_crawl(crawled: dict[str, Any]) -> None:
    assert crawled["second"].returncode == 0, crawled["second"].stderr[-3000:]
    assert rows(crawled, "SELECT count(*) FROM articles") == [(len(GOOD),)]
    assert rows(crawled, "SELECT count(*) FROM rejects") == [(5,)]
    assert rows(crawled, "SELECT count(*), count(DISTINCT url) FROM frontier") == [(2, 2)]
    runs = rows(crawled, "SELECT stored, rejected, lost, complete FROM crawl_runs ORDER BY id")
    assert runs == [(len(GOOD), 5, 0, 1), (0, 1, 0, 1)], runs  # the missing page, asked again


def test_one_line_per_failure_and_no_traceback(crawled: dict[str, Any]) -> None:
    for run in ("first", "second"):
        err = crawled[run].stderr
        assert "Traceback" not in err, err[-3000:]
        assert not re.search(r"^\s+File \"", err, re.M), err[-3000:]
    err = crawled["first"].stderr
    for path, words in (("/news/7.html", "retried next crawl"), ("/news/9.html", "retried next crawl")):
        lines = [ln for ln in err.splitlines() if path in ln]
        assert len(lines) == 1 and words in lines[0], lines
    assert re.search(r"sitemap \S+/empty\.xml unreadable: an empty document", err), err[-3000:]
    assert re.search(r"feed \S+/feed\.xml unreadable: not XML", err), err[-3000:]


def test_unreachable_site_fails_in_one_line_each(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A site whose server is down (connection refused, robots.txt included): no traceback in
    cron mail, one line per page that failed, and the list page waits in the frontier."""
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    tmp = tmp_path_factory.mktemp("down")
    with HostileWeb() as web:
        site = web.site_file().replace(web.base_url, f"http://127.0.0.1:{port}")
    (tmp / "sites").mkdir()
    (tmp / "sites" / "down.toml").write_text(site, "utf-8")
    result = kexie("crawl", "down", "--quiet", "--sites-dir", str(tmp / "sites"), *FAST, "-s", "RETRY_TIMES=0",
                   db=tmp / "a.db", check=False, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and not re.search(r"^\s+File \"", result.stderr, re.M), result.stderr
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:", ln) for ln in result.stderr.splitlines() if ln.strip()), \
        f"a log record took more than one line:\n{result.stderr}"
    lines = [ln for ln in result.stderr.splitlines() if "/news/index.html failed" in ln]
    assert len(lines) == 1 and "retried next crawl" in lines[0], result.stderr
    with sqlite3.connect(tmp / "a.db") as conn:
        assert conn.execute("SELECT kind, state FROM frontier WHERE url LIKE '%/news/index.html'").fetchall() == \
            [("list", "failed")]


def test_sitemaps_declaring_entities_keep_their_plain_locs(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Sitemaps whose DOCTYPE declares a billion-laughs entity or external entities (a local file,
    a URL of the site): read with entities and network off, their ordinary <loc>s are crawled, the
    entities are never expanded or fetched."""
    tmp = tmp_path_factory.mktemp("entities")
    with HostileWeb() as web:
        site = web.site_file().replace('start_urls = ["/news/index.html"]', 'start_urls = ["/about.html"]')
        site = re.sub(r"sitemap_urls = .*", 'sitemap_urls = ["/laughs.xml", "/xxe.xml"]', site)
        site = re.sub(r"feed_urls = .*\n", "", site)
        (tmp / "sites").mkdir()
        (tmp / "sites" / "ent.toml").write_text(site, "utf-8")
        result = kexie("crawl", "ent", "--sites-dir", str(tmp / "sites"), *FAST, db=tmp / "a.db", check=False,
                       timeout=120)
        hits = list(web.hits)
    assert result.returncode == 0, result.stderr[-3000:]
    assert {"/laughs.xml", "/xxe.xml"} <= set(hits), hits
    assert not any(p.startswith("/secret") for p in hits), f"an external entity was fetched: {hits}"
    with sqlite3.connect(tmp / "a.db") as conn:
        stored = {u for (u,) in conn.execute("SELECT url FROM articles")}
        errors = conn.execute("SELECT errors_by_status FROM crawl_runs").fetchall()
    assert numbers([(u,) for u in stored]) == {1, 2, 11, 12}, (stored, result.stderr[-3000:])
    assert "bad_sitemap" not in str(errors), errors
