"""`scrapy parse URL` shows what the archive would store of a page: its title, date and text,
extracted in the parse process itself (a crawl extracts in the pipelines, which parse skips),
and it opens no archive: reading a page must not create one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .pageweb import PageWeb

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS = [
    "本报讯 市科协今年组织科技工作者走进乡村学校，开展了二十余场科普讲座，覆盖学生三千多人。",
    "活动期间，专家们围绕人工智能、航天科技和健康生活等主题，与师生面对面交流，现场气氛热烈。",
    "市科协负责人表示，下一步将继续完善科普志愿服务体系，让更多孩子在家门口感受科学的魅力。",
]
TITLE = "市科协科普讲座走进乡村学校"
ARTICLE = (
    "<html><head><meta charset='utf-8'><title>" + TITLE + "_测试科协</title></head><body>"
    "<div class='nav'><a href='/news/index.htm'>新闻动态</a></div>"
    "<h1>" + TITLE + "</h1><div class='info'>发布时间：2024-03-15 来源：测试科协</div>"
    "<div class='content'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "<p>附件：<a href='/files/plan.pdf'>讲座安排.pdf</a></p></div>"
    "<div class='foot'>版权所有 测试科协</div></body></html>"
).encode()
LIST = b"<html><body><ul><li><a href='/news/1001.htm'>" + TITLE.encode() + b"</a></li></ul></body></html>"
SITE = """name = "测试科协"
level = "city"
region = "测试省测试市"
official = true
base_url = "{base}"
start_urls = ["/news/index.htm"]
article_pattern = '^/news/\\d+\\.htm$'
"""


def scrapy_parse(tmp_path: Path, base: str, url: str, *extra: str, key: bool = True
                 ) -> subprocess.CompletedProcess[str]:
    """scrapy parse with the site given (-a site=KEY) or, key=False, found among the configured sites."""
    sites = tmp_path / "config" / "sites"
    sites.mkdir(parents=True, exist_ok=True)
    (sites / "parsetest.toml").write_text(SITE.format(base=base), "utf-8")
    env = {**os.environ, "KEXIE_DB": str(tmp_path / "archive.db"), "KEXIE_CONFIG_DIR": str(tmp_path / "config")}
    site = ["-a", f"sites_dir={sites}", "-a", "site=parsetest"] if key else []
    command = [sys.executable, "-m", "scrapy", "parse", "--spider", "site", *site, "--nocolour", *extra, url]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize(("callback", "key"), [([], True), (["-c", "parse_article"], True), ([], False)],
                         ids=["default", "parse_article", "site-found-by-url"])
def test_scrapy_parse_shows_the_extracted_article(tmp_path: Path, callback: list[str], key: bool) -> None:
    with PageWeb({"/news/1001.htm": ARTICLE, "/news/index.htm": LIST}) as base:
        done = scrapy_parse(tmp_path, base, f"{base}/news/1001.htm", *callback, key=key)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "NotImplementedError" not in done.stderr and "Traceback" not in done.stderr, done.stderr[-3000:]
    items = done.stdout.split("# Scraped Items", 1)[-1].split("# Requests", 1)[0]
    assert f"'title': '{TITLE}'" in items, done.stdout
    assert PARAGRAPHS[0] in items and PARAGRAPHS[2] in items, done.stdout
    assert "2024-03-15" in items, done.stdout
    assert "版权所有" not in items  # the text as the archive keeps it, without the footer
    assert f"{base}/files/plan.pdf" in done.stdout.split("# Requests", 1)[-1]  # its attachment, not looked up
    assert not (tmp_path / "archive.db").exists(), "scrapy parse created an archive"


def test_scrapy_parse_of_a_list_page_shows_its_article_links(tmp_path: Path) -> None:
    with PageWeb({"/news/1001.htm": ARTICLE, "/news/index.htm": LIST}) as base:
        done = scrapy_parse(tmp_path, base, f"{base}/news/index.htm")
    assert done.returncode == 0, done.stderr[-3000:]
    requests = done.stdout.split("# Requests", 1)[-1]
    assert f"{base}/news/1001.htm" in requests, done.stdout
    assert not (tmp_path / "archive.db").exists(), "scrapy parse created an archive"
