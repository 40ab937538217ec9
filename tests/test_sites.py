"""Site config loading: every shipped file is valid, and bad files fail with file+field named."""

from __future__ import annotations

from pathlib import Path

import pytest

from siteconfig.sites import SAMPLE_SITES_DIR, SITES_DIR, ConfigError, find_site, load_site, load_sites

GOOD = """
name = "测试市科协"
level = "city"
region = "测试省测试市"
official = true
base_url = "http://www.test.example"
start_urls = ["/news/index.htm"]
article_pattern = '^/news/\\d+\\.htm$'
pagination_pattern = '^/news/index_\\d+\\.htm$'
[politeness]
delay = 2
concurrency = 1
[extract]
boilerplate = ['^本站声明']
"""


def write(tmp_path: Path, text: str, name: str = "testsite") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_sites_load() -> None:
    real, sample = load_sites(SITES_DIR), load_sites(SAMPLE_SITES_DIR)
    assert len(sample) >= 5 and len(real) >= 5
    assert all(not s.verified for s in real.values()), "real sites cannot be verified from here"
    assert any(s.level == "national" for s in real.values())
    assert {s.level for s in sample.values()} >= {"newspaper", "portal", "city", "county"}


def test_good_file_and_urls(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, GOOD))
    assert site.key == "testsite" and site.delay == 2.0 and site.boilerplate == ("^本站声明",)
    moved = site.with_base_url("http://127.0.0.1:8123")
    assert moved.url(moved.start_urls[0]) == "http://127.0.0.1:8123/news/index.htm"
    assert moved.domains == ["127.0.0.1"]
    assert site.is_article("http://www.test.example/news/12.htm")
    assert not site.is_article("http://www.test.example/about/12.htm")
    assert site.is_list_page("http://www.test.example/news/index_2.htm")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('level = "city"', 'level = "town"'), "field 'level' = 'town': expected one of national"),
        (('official = true', 'official = "yes"'), "field 'official' = 'yes': expected true or false"),
        (('region = "测试省测试市"\n', ""), "missing field 'region'"),
        (("delay = 2", 'delay = "2"'), "field 'politeness.delay'"),
        (("'^/news/\\d+\\.htm$'", "'^/news/(\\d+\\.htm$'"), "field 'article_pattern': bad regular expression"),
        (('start_urls = ["/news/index.htm"]', "start_urls = []"), "field 'start_urls' is empty"),
        (('base_url = "http://www.test.example"', 'base_url = "www.test.example"'), "expected an http(s) URL"),
        (('name = "测试市科协"', 'colour = 1\nname = "测试市科协"'), "unknown field 'colour'"),
        (("delay = 2", "delay = 2\ncolour = 1"), "unknown field 'politeness.colour'"),
        (('name = "测试市科协"', 'encoding = "klingon"\nname = "测试市科协"'), "unknown codec"),
        (('name = "测试市科协"', 'name = "测试'), "not valid TOML"),
        (("[extract]", "[extract]\ncontent_xpath = '//div['"), "field 'extract.content_xpath': bad XPath"),
    ],
)
def test_bad_files_name_file_and_field(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as err:
        load_site(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_unknown_key_lists_known(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    with pytest.raises(ConfigError, match="no site 'nope'.*known: testsite"):
        find_site("nope", tmp_path)
