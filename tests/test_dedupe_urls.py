"""Canonical URLs: one spelling per page, with URL shapes of Chinese government CMSs."""

from __future__ import annotations

import pytest

from pipelines.dedupe import canonical_url, standing


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://www.cast.org.cn/art/2023/12/5/art_123_456.html", "https://cast.org.cn/art/2023/12/5/art_123_456.html#top"),
        ("http://kx.example.gov.cn/xwzx/202312/t20231205_123.html?utm_source=wx", "http://kx.example.gov.cn/xwzx/202312/t20231205_123.html"),
        ("http://www.xyast.example/news/index.html", "http://xyast.example/news/"),
        ("http://news.example.cn/content_12345.htm?b=2&a=1", "http://news.example.cn/content_12345.htm?a=1&b=2"),
        ("HTTP://WWW.Example.cn/a/", "http://example.cn/a"),
    ],
)
def test_same_page(a: str, b: str) -> None:
    assert canonical_url(a) == canonical_url(b)


def test_different_pages_stay_apart() -> None:
    assert canonical_url("http://a.cn/content_1.htm") != canonical_url("http://a.cn/content_2.htm")
    assert canonical_url("http://a.cn/list.php?page=2") != canonical_url("http://a.cn/list.php?page=3")
    assert canonical_url("http://127.0.0.1:8001/x.htm") != canonical_url("http://127.0.0.1:8002/x.htm")


def test_official_beats_portal_beats_spam_then_earliest() -> None:
    official, portal, spam = standing(1, 0, "2022-12-20"), standing(0, 0, "2022-12-15"), standing(0, 1, "2022-12-01")
    assert official < portal < spam
    assert standing(0, 0, "2022-12-01") < standing(0, 0, "2022-12-02")
