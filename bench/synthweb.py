"""A synthetic web of N article pages in the six sample sites' templates, for the benchmark.

Why: the bundled sample web has a few dozen pages; throughput needs thousands that look like
the real thing (same chrome, GBK county site with a lying header, traditional script with
pinyin, dates in meta tags, labels or only the URL). Each site's real article page and list
page from tools/sampleweb/sites are the templates; titles, bodies and dates are generated
(bench/synthtext.py). The site configs are the sample ones with the politeness, start page and
list-page limit changed, so `kexie crawl --sites-dir DIR KEY --base-url KEY=URL` crawls it.

    python bench/synthweb.py /tmp/web --pages 10000
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synthpage import ArticleTemplate, ListTemplate  # noqa: E402
from bench.synthtext import article  # noqa: E402

SAMPLE_WEB = ROOT / "tools" / "sampleweb" / "sites"
SAMPLE_CONFIGS = ROOT / "config" / "sample-sites"
END, SPAN_DAYS = date(2024, 6, 28), 1200


@dataclass(frozen=True)
class Spec:
    article: str  # sample article page used as the template
    listing: str  # sample list page used as the template
    region: tuple[str, str]  # the main list's opening and closing markup in the list page
    item: str  # one list entry: {href} {title} {attr} {iso} {snippet}
    article_path: str  # URL path of article {id} published on {d}
    list_path: str  # URL path of list page {k} >= 2 (page 1 is the config's start URL)
    per_list: int = 20
    encoding: str = "utf-8"
    traditional: bool = False


_LI = '\n          <li><a href="{href}" target="_blank" title="{attr}">{title}</a><span>{iso}</span></li>'
_NYRB_LI = ('\n      <li>\n        <h3><a href="{href}" target="_blank">{title}</a></h3>\n'
            '        <p>{snippet}……</p>\n        <div class="info"><span class="src">来源：南阳日报</span>'
            '<span class="time">{iso} 10:12</span></div>\n      </li>')
_SXKJB_TR = ('\n          <tr><td width="14" valign="top"><img src="../../../image/dot.gif" width="5" height="5" />'
             '</td><td height="26"><a href="{href}"><div style="display:inline" id="mytitle">{title}</div></a>'
             '</td></tr>')
_XPJ_LI = ('\n      <li class="clearfix">\n        <a class="pic" href="{href}">'
           '<img src="/static/upload/image/news3.jpg" alt="88805tccn新蒲京官方版-{attr}"></a>\n'
           '        <div class="txt">\n          <h3><a href="{href}">88805tccn新蒲京官方版-{title}</a></h3>\n'
           '          <p>{snippet}...</p>\n          <span class="date">{iso}</span>\n        </div>\n      </li>')
_XYAST_TR = ('\n              <tr>\n                <td width="20" height="26" align="center">'
             '<img src="/images/arrow.gif" width="5" height="7" /></td>\n                <td class="list">'
             '<a href="{href}" target="_blank" title="{attr}">{title}</a></td>\n'
             '                <td width="90" align="center" class="date">{iso}</td>\n              </tr>\n'
             '              <tr><td colspan="3" height="1" background="/images/dot_line.gif"></td></tr>')
SPECS = {
    "cdkx": Spec("big5/xwzx/kxyw/content_38042.html", "big5/xwzx/kxyw/index_2.html",
                 ('<ul class="newslist">', "</ul>"), _LI.replace("<span>", '<span class="date">'),
                 "/big5/xwzx/kxyw/content_{id}.html", "/big5/xwzx/kxyw/index_{k}.html", traditional=True),
    "esast": Spec("xwzx/gzdt/202302/t20230221_1418334.html", "xwzx/gzdt/index_1.html",
                  ('<ul class="list-ul">', "</ul>"), _LI, "/xwzx/gzdt/{d:%Y%m}/t{d:%Y%m%d}_{id}.html",
                  "/xwzx/gzdt/index_{k}.html"),
    "nyrb": Spec("news/kj/2022/0225/238816.html", "news/kj/index_2.html", ('<ul class="newslist">', "\n    </ul>"),
                 _NYRB_LI, "/news/kj/{d:%Y}/{d:%m%d}/{id}.html", "/news/kj/index_{k}.html"),
    "sxkjb": Spec("html/2024-01/05/content_27030.htm", "html/2024-01/05/node_2.htm",
                  ('class="listtitle">第02版：科协动态</td></tr>', "\n      </table>"), _SXKJB_TR,
                  "/html/{d:%Y-%m}/{d:%d}/content_{id}.htm", "/html/2024-01/05/node_{k}.htm", per_list=8),
    "xpjmirror": Spec("news/470.html", "news/list_2.html", ('<ul class="news-list">', "\n    </ul>"), _XPJ_LI,
                      "/news/{id}.html", "/news/list_{k}.html"),
    "xyast": Spec("xwdt/2860.htm", "xwdt/index_2.htm", ('style="padding:8px">', "\n            </table>"), _XYAST_TR,
                  "/xwdt/{id}.htm", "/xwdt/index_{k}.htm", encoding="gbk"),
}


@dataclass
class SynthWeb:
    """Where the generated web and its site configs are, and every page URL path per site."""

    root: Path  # root/KEY/... is site KEY's document root
    sites_dir: Path
    articles: dict[str, list[str]] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return sum(len(v) for v in self.articles.values())


@cache
def _s2t(piece: str) -> str:
    from tools.sampleweb.generate.hanzi import s2t

    return s2t(piece) if re.search(r"[\u4e00-\u9fff]", piece) else piece


def _texts(spec: Spec, pieces: list[str]) -> tuple[str, str]:
    """(page form, attribute form) of generated text: traditional with flattened pinyin for cdkx."""
    if not spec.traditional:
        plain = "".join(pieces)
        return html.escape(plain, quote=False), html.escape(plain)
    from tools.sampleweb.generate.hanzi import with_pinyin

    plain = "".join(_s2t(p) for p in pieces)
    return html.escape(with_pinyin(plain), quote=False), html.escape(plain)


def _site_config(key: str, first: str, lists: int, keep_xpath: bool) -> str:
    """The sample config with the synthetic start page, no list-page limit, no sitemap or feed
    (the lists reach every article), no politeness delay, and no content_xpath unless asked:
    the real site files (config/sites) have none, so by default extraction takes the general path."""
    text = (SAMPLE_CONFIGS / f"{key}.toml").read_text("utf-8")
    changes = [("start_urls", f'["{first}"]'), ("max_list_pages", str(lists + 5)), ("sitemap_urls", "[]"),
               ("feed_urls", "[]"), ("delay", "0.0"), ("concurrency", "16")]
    for name, value in changes + ([] if keep_xpath else [("content_xpath", '""')]):
        text = re.sub(rf"(?m)^{name} = .*$", f"{name} = {value}", text)
    return f"# generated by bench/synthweb.py from config/sample-sites/{key}.toml\n{text}"


def generate(out: Path, pages: int = 10_000, keep_xpath: bool = False) -> SynthWeb:
    """Write `pages` article pages (round-robin over the six sites) plus list pages under `out`."""
    from siteconfig.sites import load_site

    expected = json.loads((SAMPLE_WEB.parent / "expected.json").read_text("utf-8"))["sites"]
    web = SynthWeb(root=out / "web", sites_dir=out / "sites")
    shutil.rmtree(out, ignore_errors=True)
    web.sites_dir.mkdir(parents=True)
    for s, (key, spec) in enumerate(sorted(SPECS.items())):
        config = load_site(SAMPLE_CONFIGS / f"{key}.toml")
        site_dir = web.root / key
        site_dir.mkdir(parents=True)
        for name in ("_site.toml", "robots.txt"):
            shutil.copy(SAMPLE_WEB / key / name, site_dir / name)
        truth = {a["path"]: a["published_at"][:10] for a in expected[key]["articles"]}
        day0 = date.fromisoformat(truth["/" + spec.article])
        template = ArticleTemplate.from_page(_sample(key, spec, spec.article), day0)
        joiner = template.joiner()
        count = len(range(s, pages, len(SPECS)))
        items: list[tuple[str, str, str, date, str]] = []
        for j, index in enumerate(range(s, pages, len(SPECS))):
            day = END - timedelta(days=j * SPAN_DAYS // max(count, 1))
            title_pieces, paragraphs, byline = article(index, day)
            title, attr = _texts(spec, title_pieces)
            body = [_texts(spec, p)[0] for p in paragraphs]
            body[-1] += byline
            plain = _texts(spec, paragraphs[0])[1]
            path = spec.article_path.format(id=100_000 + index, d=day)
            page = template.render(title, body, plain[:60], day, joiner)
            _write(site_dir / path.lstrip("/"), page, spec.encoding)
            items.append((path, title, attr, day, plain[:40]))
        web.articles[key] = [item[0] for item in items]
        chunks = [items[i: i + spec.per_list] for i in range(0, len(items), spec.per_list)] or [[]]
        paths = [config.start_urls[0]] + [spec.list_path.format(k=k) for k in range(2, len(chunks) + 1)]
        listing = ListTemplate.from_page(_sample(key, spec, spec.listing), "http://x/" + spec.listing, *spec.region)
        for k, chunk in enumerate(chunks):
            entries = "".join(spec.item.format(href=p, title=t, attr=a, iso=d.isoformat(), snippet=sn)
                              for p, t, a, d, sn in chunk)
            hrefs = [c[0] for c in chunk] or [paths[0]]
            page = listing.render(entries, hrefs, paths[min(k + 1, len(paths) - 1)], config.is_article,
                                  config.is_list_page)
            _write(site_dir / paths[k].lstrip("/"), page, spec.encoding)
        web.lists[key] = paths
        (web.sites_dir / f"{key}.toml").write_text(_site_config(key, paths[0], len(paths), keep_xpath), "utf-8")
    return web


def _sample(key: str, spec: Spec, rel: str) -> str:
    return (SAMPLE_WEB / key / rel).read_bytes().decode("gb18030" if spec.encoding == "gbk" else "utf-8")


def _write(path: Path, page: str, encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(page.encode(encoding, "xmlcharrefreplace"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--keep-xpath", action="store_true", help="keep the sample configs' content_xpath")
    args = parser.parse_args()
    web = generate(args.out, args.pages, args.keep_xpath)
    lists = sum(len(v) for v in web.lists.values())
    print(f"{web.pages} article pages and {lists} list pages in {web.root}; site configs in {web.sites_dir}")


if __name__ == "__main__":
    main()
