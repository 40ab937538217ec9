"""A site's main-content container, learned from its first pages and used alone for the later ones.

Hand-made pages of one made-up site: after AGREE pages whose extractors' text one container gives
back, the extractors stop running (counted); a page the container does not fit falls back to them
and still gets the right text; a template change drops the container.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.siteruns import SiteRun
from distributed.wire import decode_page, encode_page
from extract import extractor as extract_module
from extract import learning
from extract.container import Container, find
from extract.extractor import extract, parse_html
from extract.layout import prepared_copy
from extract.learning import ContainerLearning
from extract.page import Page
from extract.process import process
from pipelines.pool import PooledProcessPipeline
from siteconfig.sites import load_site

from .conftest import SAMPLE_SITES

PLACES = ["新沂市", "邳州市", "睢宁县", "丰县", "沛县", "铜山区", "贾汪区", "建始县", "巴东县", "宣恩县", "鹤峰县",
          "利川市"]
EVENTS = ["科普日主场活动", "院士专家行活动", "科技志愿服务集中行动", "农业实用技术培训班", "青少年科技创新大赛"]
NAV = "".join(f'<li><a href="/c{k}/">{name}</a></li>' for k, name in enumerate(
    ["首页", "新闻动态", "通知公告", "学会工作", "科普之窗", "党建工作", "联系我们"]))
RELATED = "".join(f'<li><a href="/news/{k}.html">{PLACES[k]}科协召开学会工作会议（{k}）</a></li>' for k in range(6))


def paragraphs(i: int) -> list[str]:
    """Article i's own paragraphs: no two pages share one."""
    place, event = PLACES[i % len(PLACES)], EVENTS[i % len(EVENTS)]
    return [f"{i % 28 + 1}日，{place}科协在县科技馆举办{event}，共有{120 + 7 * i}余名中小学生和科技工作者参加。",
            f"活动现场，{place}农技专家围绕病虫害绿色防控作专题讲座，解答群众提问{30 + i}个，受到群众广泛好评。",
            f"会议要求，各级科协组织要健全三长议事和联系群众制度，推动科技资源向基层下沉，第{i}次活动圆满结束。"]


def article_page(i: int, holder: str = 'class="article-text"', body: str | None = None) -> bytes:
    """A page of the made-up site: navigation, the article in its container (related stories inside
    it), a sidebar and a footer. `holder` names the container; `body` replaces the paragraphs."""
    text = body if body is not None else "".join(f"<p>{p}</p>" for p in paragraphs(i))
    return (f"<html><head><title>{PLACES[i % len(PLACES)]}科协举办活动（{i}）_示例科协</title></head><body>"
            f'<div id="top"><ul class="menu">{NAV}</ul></div>'
            f'<div class="main"><h1>{PLACES[i % len(PLACES)]}科协举办活动（{i}）</h1>'
            f'<div class="info">发布时间：2024-03-{i % 28 + 1:02d}</div>'
            f'<div {holder}>{text}<ul class="related">{RELATED}</ul></div></div>'
            f'<div class="side"><h3>通知公告</h3><ul>{RELATED}</ul></div>'
            "<div class=\"foot\">版权所有：示例市科学技术协会 苏ICP备12345678号</div></body></html>").encode()


@pytest.fixture
def extractor_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many times the extract stage ran the two extractors (extract.opinions.main_text)."""
    calls = [0]
    original = extract_module.main_text

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(extract_module, "main_text", counted)
    yield calls


def crawl(site: ContainerLearning, bodies: list[bytes]) -> list[Page]:
    """Pages processed one after another as a crawl's site run gives them out and learns from them."""
    done = []
    for n, body in enumerate(bodies):
        learned, look = site.next_page()
        page = process(Page(url=f"http://kx.example/news/{n}.html", body=body, site="kx",
                            learned_container=learned, find_container=look))
        site.observe(page.extracted_by, page.container)
        done.append(page)
    return done


def plain(i: int) -> str:
    return "\n".join(paragraphs(i))


def test_the_container_is_found_by_its_class_and_gives_back_the_extractors_text() -> None:
    tree = parse_html(article_page(1).decode())
    assert tree is not None
    page = extract(Page(url="http://kx.example/news/1.html", body=article_page(1), find_container=True))
    assert page.extracted_by == "extractors" and page.raw_text == plain(1)
    found = find(prepared_copy(tree), page.raw_text)
    assert found is not None and found.xpath == "//*[@class='article-text']" and found == page.container
    assert found.extra == ()  # the related stories inside it are link-dense: left out, as the extractors do


def test_after_agreeing_pages_the_container_is_used_and_the_extractors_do_not_run(
        extractor_calls: list[int]) -> None:
    site = ContainerLearning()
    pages = crawl(site, [article_page(i) for i in range(learning.RECHECK)])
    ways = [page.extracted_by for page in pages]
    assert ways[:learning.AGREE] == ["extractors"] * learning.AGREE
    assert ways[learning.AGREE:] == ["container"] * (learning.RECHECK - learning.AGREE)
    assert extractor_calls[0] == learning.AGREE
    assert [page.text for page in pages] == [plain(i) for i in range(learning.RECHECK)]
    assert site.learned is not None and site.learned.xpath == "//*[@class='article-text']"


def test_a_page_the_container_does_not_fit_falls_back_to_both_extractors(extractor_calls: list[int]) -> None:
    site = ContainerLearning()
    crawl(site, [article_page(i) for i in range(learning.AGREE)])
    calls = extractor_calls[0]
    odd = [article_page(50, holder='id="zoom"'),  # no such container on this page
           article_page(51, body="<p>图片新闻</p>")]  # the container holds next to nothing
    missing, short = crawl(site, odd)
    assert missing.extracted_by == "fallback" and missing.text == plain(50)
    assert short.extracted_by == "fallback"
    assert extractor_calls[0] == calls + 2
    assert site.learned is not None  # two odd pages are no template change
    assert crawl(site, [article_page(52)])[0].extracted_by == "container"


def test_a_template_change_drops_the_container_and_the_site_learns_the_new_one() -> None:
    site = ContainerLearning()
    crawl(site, [article_page(i) for i in range(learning.AGREE)])
    count = learning.MISSES + learning.AGREE
    new = crawl(site, [article_page(i, holder='id="zoom"') for i in range(10, 10 + count)])
    ways = [page.extracted_by for page in new]
    assert ways[:learning.MISSES] == ["fallback"] * learning.MISSES  # dropped after the last of these
    assert site.dropped_times == 1 and site.learned_times == 2  # ... which also began the new count
    assert ways[learning.MISSES:] == ["extractors"] * (learning.AGREE - 1) + ["container"]
    assert [page.text for page in new] == [plain(i) for i in range(10, 10 + count)]
    # on the new template the extractors keep the headline and date line too (the clean stage takes
    # them out): the container giving back exactly that is the whole main column
    assert site.learned is not None and site.learned.xpath == "//*[@class='main']"


def test_a_check_page_whose_text_moved_elsewhere_drops_the_container(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learning, "RECHECK", 2)
    site = ContainerLearning()
    crawl(site, [article_page(i) for i in range(learning.AGREE)])
    old_box = '<div class="article-text"><p>本栏目文章均来自各县区科协报送，欢迎投稿。</p></div>'
    side = b'<div class="side">'
    moved = article_page(60, holder='id="zoom"').replace(side, old_box.encode() + side)
    used, check = crawl(site, [article_page(61), moved])
    assert used.extracted_by == "container" and check.extracted_by == "extractors"
    assert check.text == plain(60) and site.learned is None and site.dropped_times == 1


def test_the_learning_counts_only_the_same_container_in_a_row() -> None:
    site = ContainerLearning()
    a, b = Container("//*[@id='a']", 300, 0.1), Container("//*[@id='b']", 300, 0.1)
    for found in (a, a, b, a, a):
        site.observe("extractors", found)
    assert site.learned is None and site.streak == 2
    site.observe("extractors", a._replace(chars=100, link_share=0.2))
    assert site.learned is not None and site.learned.chars == learning.TEXT_MIN  # 0.2 × 100 is below the floor
    assert site.learned.link_share == pytest.approx(0.2 + learning.LINKS_MORE)


def test_a_site_that_never_agrees_stops_looking_for_a_while() -> None:
    site = ContainerLearning()
    for _ in range(learning.GIVE_UP):
        assert site.next_page() == (None, True)
        site.observe("extractors", None)
    assert site.next_page() == (None, False)
    assert site.resting == learning.REST - 1


def test_site_runs_learn_from_the_pool_pipelines_results(tmp_path: Path) -> None:
    """Through Scrapy's own signals and stats: the pool pipeline says how each page's text was found,
    the site's run learns from it."""
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    from archive.db import Archive
    from crawler.localsites import LocalSites
    from crawler.siteruns import SiteRuns

    config = load_site(SAMPLE_SITES / "xyast.toml")
    crawler = get_crawler()
    crawler.stats = MemoryStatsCollector(crawler)
    archive = Archive(tmp_path / "a.db")
    runs = SiteRuns(crawler, LocalSites(archive, [config], full=False, due_only=False), [config])
    run = runs.active[config.key] = SiteRun(config=config, run_id=1, known=set(), last_run=None, boilerplate=(),
                                            stop_early=False)
    pipeline = PooledProcessPipeline(0, crawler)
    found = Container("//*[@id='fontzoom']", 300, 0.0)
    for _ in range(learning.AGREE):
        pipeline.learn(Page(url="http://x/1.htm", body=b"", site=config.key, extracted_by="extractors",
                            container=found))
    archive.close()
    assert run.containers.learned is not None and run.containers.learned.xpath == found.xpath
    assert crawler.stats.get_value("kexie/extracted_by/extractors") == learning.AGREE


def test_a_page_with_its_container_crosses_a_distributed_crawls_json() -> None:
    page = Page(url="http://x/1.htm", body=b"<html></html>", extracted_by="container",
                learned_container=Container("//*[@id='a']", 60, 0.2, ("x",)),
                container=Container("//*[@id='a']", 300, 0.1, ("x",)))
    back = decode_page(encode_page(page))
    assert json.loads(json.dumps(back.container)) == ["//*[@id='a']", 300, 0.1, ["x"]]
