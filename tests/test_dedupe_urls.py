"""Canonical URLs: one spelling per page, with URL shapes of Chinese government CMSs; and which
copy of a text is the better original."""

from __future__ import annotations

import pytest

from dedupe.clusters import looks_like_spam, standing
from extract.fingerprint import canonical_url


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://www.cast.org.cn/art/2023/12/5/art_123_456.html", "https://cast.org.cn/art/2023/12/5/art_123_456.html#top"),
        ("http://kx.example.gov.cn/xwzx/202312/t20231205_123.html?utm_source=wx", "http://kx.example.gov.cn/xwzx/202312/t20231205_123.html"),
        ("http://www.xyast.example/news/index.html", "http://xyast.example/news/"),
        ("http://news.example.cn/content_12345.htm?b=2&a=1", "http://news.example.cn/content_12345.htm?a=1&b=2"),
        ("HTTP://WWW.Example.cn/a/", "http://example.cn/a"),
        # Hanweb (大汉) article pages shared from WeChat, with a session id when cookies are off
        ("http://www.hbkx.gov.cn/art/2023/12/5/art_123_456.html?from=timeline&isappinstalled=0#p2",
         "http://hbkx.gov.cn/art/2023/12/5/art_123_456.html"),
        ("https://hbkx.gov.cn/art/2023/12/5/art_123_456.html;jsessionid=9F0A1B2C3D",
         "http://hbkx.gov.cn/art/2023/12/5/art_123_456.html"),
        # TRS (拓尔思) t-date pages with tracking parameters
        ("http://kx.xiangyang.gov.cn/xwzx/202312/t20231205_123.html?utm_source=wechat&utm_medium=social&spm=a.b",
         "http://kx.xiangyang.gov.cn/xwzx/202312/t20231205_123.html"),
        ("http://news.cnhubei.com/content_12345.htm?", "http://news.cnhubei.com/content_12345.htm"),
        ("http://news.cnhubei.com/content_12345.htm?_t=1701763200", "http://news.cnhubei.com/content_12345.htm"),
        # default documents and trailing slashes of column pages
        ("http://www.xy.gov.cn/xwzx/index.shtml", "http://xy.gov.cn/xwzx/"),
        ("http://www.xy.gov.cn/xwzx/default.htm", "http://www.xy.gov.cn/xwzx"),
        ("http://www.xy.gov.cn/xwzx/Default.aspx", "http://www.xy.gov.cn/xwzx//"),
        ("http://www.xy.gov.cn/index.html", "http://www.xy.gov.cn"),
        ("http://www.x.cn/show.asp?id=12&from=groupmessage", "http://x.cn/show.asp?id=12"),
        ("http://www.x.cn:80/a.html", "https://x.cn:443/a.html"),
        ("http://www.x.cn/a/科协.html", "http://x.cn/a/%E7%A7%91%E5%8D%8F.html"),
    ],
)
def test_same_page(a: str, b: str) -> None:
    assert canonical_url(a) == canonical_url(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://a.cn/content_1.htm", "http://a.cn/content_2.htm"),
        ("http://a.cn/list.php?page=2", "http://a.cn/list.php?page=3"),
        ("http://127.0.0.1:8001/x.htm", "http://127.0.0.1:8002/x.htm"),
        ("http://hbkx.gov.cn/art/2023/12/5/art_123_456.html", "http://hbkx.gov.cn/art/2023/12/5/art_123_457.html"),
        ("http://www.xy.gov.cn/xwzx/index.shtml", "http://www.xy.gov.cn/xwzx/index_2.shtml"),  # page 2 of a list
        ("http://www.x.cn/show.asp?id=12", "http://www.x.cn/show.asp?id=13"),
        ("http://kx.xy.gov.cn/a.html", "http://xy.gov.cn/a.html"),  # a subdomain is another site
    ],
)
def test_different_pages_stay_apart(a: str, b: str) -> None:
    assert canonical_url(a) != canonical_url(b)


def test_official_beats_portal_beats_spam_then_earliest() -> None:
    official, portal, spam = standing(1, 0, "2022-12-20"), standing(0, 0, "2022-12-15"), standing(0, 1, "2022-12-01")
    assert official < portal < spam
    assert standing(0, 0, "2022-12-01") < standing(0, 0, "2022-12-02")
    assert standing(0, 0, "2022-12-01") < standing(0, 0, None)  # an undated copy comes last among equals
    unflagged_casino = standing(0, 0, "2022-12-01", name="88805tccn新蒲京(中国)官方版百科·GREEN LIFE")
    assert portal < unflagged_casino == spam


@pytest.mark.parametrize(
    "name",
    ["88805tccn新蒲京(中国)官方版百科·GREEN LIFE", "新蒲京-回望五年奋斗路，这份答卷请审阅！", "澳门金沙娱乐场",
     "澳门新葡京官网", "365bet体育在线", "bet365官方", "9159金沙app", "皇冠娱乐城", "百家乐真人视讯平台",
     "5856com威尼斯人官方网站"],
)
def test_gambling_names_and_titles_look_like_spam(name: str) -> None:
    assert looks_like_spam(name)


@pytest.mark.parametrize(
    "name",
    ["湖北省科学技术协会", "澳门科技大学专家来襄交流", "市科协组团赴港澳开展科技交流", "2023年全国科普日官方网站上线",
     "中国科协2024年度工作要点", "恩施州科协“科普大篷车”进乡村", "科普中国官方版APP使用指南", "新京报",
     "葡萄种植技术培训班"],
)
def test_association_names_and_titles_do_not(name: str) -> None:
    assert not looks_like_spam(name)
