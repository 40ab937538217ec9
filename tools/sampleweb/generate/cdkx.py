# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""cdkx — 常德市科协, an auto-converted traditional edition (/big5/) with flattened pinyin.

Texts are kept simplified and converted with OpenCC on the way out; the converter's ruby
is flattened into the text ("科協(xié)"), which the archive must strip again.
"""

from __future__ import annotations

from .common import Art, Out, esc, robots, site_toml
from .hanzi import s2t, trad_html, with_pinyin
from .layout_cdkx import cd_page, cd_side
from .texts_cdkx import CD_EXTRA_MUST, CD_MUST_NOT, CD_TEXT, SEED_CDKX

KEY = "cdkx"
BASE = "/big5/xwzx/kxyw/"
LIST_PATHS = [BASE + "index.html", BASE + "index_2.html", BASE + "index_3.html"]


def cd_articles() -> list[Art]:
    """The 科协要闻 articles (simplified); 'shown' says whether the page shows a dateline."""
    arts = []
    for aid, date, shown, title, author, paras in CD_TEXT:
        if paras is None:
            paras = list(SEED_CDKX)
        a = Art(
            path=f"/big5/xwzx/kxyw/content_{aid}.html",
            title=title,
            date=date,
            paras=paras,
            author=author,
            must=list(CD_EXTRA_MUST.get(aid, [])),
            must_not=list(CD_MUST_NOT),
        )
        a.extra.update(aid=aid, shown=shown)
        arts.append(a)
    return arts


def build_cdkx(out: Out, arts: list[Art]) -> None:
    """Write the three list pages, every article page and robots.txt."""
    arts_sorted = sorted(arts, key=lambda a: a.date, reverse=True)
    chunks = [arts_sorted[0:3], arts_sorted[3:6], arts_sorted[6:]]
    for pi, chunk in enumerate(chunks):
        out.site(KEY, LIST_PATHS[pi], _list_page(pi, chunk, arts_sorted))
    for i, a in enumerate(arts_sorted):
        out.site(KEY, a.path, _article_page(i, arts_sorted))
    out.site(KEY, "/robots.txt", robots("/admin/", "/big5/admin/", "/member/", "/big5/member/", "/big5/api/"))
    out.site(KEY, "/_site.toml", site_toml("utf-8", "traditional edition, UTF-8"))


def _list_page(pi: int, chunk: list[Art], arts_sorted: list[Art]) -> str:
    """List page pi: converted headlines, dates, traditional pager."""
    items = "\n".join(
        f'        <li><a href="content_{a.extra["aid"]}.html" target="_blank" title="{esc(s2t(a.title))}">{trad_html(a.title)}</a><span class="date">{a.day}</span></li>'
        for a in chunk
    )
    pager = ['<a href="index.html">首頁</a>']
    if pi > 0:
        pager.append(f'<a href="{LIST_PATHS[pi - 1][len(BASE) :]}">上一頁</a>')
    for j, lp in enumerate(LIST_PATHS):
        pager.append(f"<b>{j + 1}</b>" if j == pi else f'<a href="{lp[len(BASE) :]}">{j + 1}</a>')
    if pi + 1 < len(LIST_PATHS):
        pager.append(f'<a href="{LIST_PATHS[pi + 1][len(BASE) :]}">下一頁</a>')
    pager.append(f'<a href="{LIST_PATHS[-1][len(BASE) :]}">尾頁</a>')
    main = f"""  <div class="mainbox fr">
    <div class="mtitle"><h2>{trad_html("科协要闻")}</h2></div>
    <ul class="newslist">
{items}
    </ul>
    <div class="pages">{s2t("共")}{len(arts_sorted)}{s2t("条")} {" ".join(pager)}</div>
  </div>"""
    return cd_page(
        LIST_PATHS[pi],
        with_pinyin(s2t("科协要闻_常德市科学技术协会")),
        "",
        main,
        cd_side(arts_sorted, None, pi),
        s2t("常德市科协科协要闻"),
    )


def _article_page(i: int, arts_sorted: list[Art]) -> str:
    """Article page: converted body with pinyin, optional dateline, prev/next."""
    a = arts_sorted[i]
    body = "\n".join(
        f'<p style="text-indent:2em;"><strong>{trad_html(p)}</strong></p>'
        if len(p) < 24
        else f'<p style="text-indent:2em;">{trad_html(p)}</p>'
        for p in a.paras
    )
    if a.extra["shown"] == "line":
        dateline = f"<span>發布時間：{a.day[:4]}年{a.day[5:7]}月{a.day[8:10]}日</span>"
    else:
        dateline = ""
    prev_a = arts_sorted[i + 1] if i + 1 < len(arts_sorted) else None
    next_a = arts_sorted[i - 1] if i > 0 else None
    prev_html = (
        f'<a href="content_{prev_a.extra["aid"]}.html">{trad_html(prev_a.title)}</a>' if prev_a else s2t("没有了")
    )
    next_html = (
        f'<a href="content_{next_a.extra["aid"]}.html">{trad_html(next_a.title)}</a>' if next_a else s2t("没有了")
    )
    main = f"""  <div class="mainbox fr">
    <div class="article">
      <h1>{trad_html(a.title)}</h1>
      <div class="info">{dateline}<span>{s2t("来源")}：{trad_html("常德市科协")}</span><span>{s2t("浏览次数")}：<script src="/big5/api/hits.php?id={a.extra["aid"]}"></script></span><span class="font">{s2t("字号")}：<a href="javascript:fontZoom(16)">{s2t("大")}</a> <a href="javascript:fontZoom(14)">{s2t("中")}</a> <a href="javascript:fontZoom(12)">{s2t("小")}</a></span></div>
      <div class="content" id="zoom">
{body}
      </div>
      <div class="share">{s2t("分享到")}：<a href="javascript:share('weixin')">{s2t("微信")}</a> <a href="javascript:share('weibo')">{s2t("微博")}</a> <a href="javascript:share('qq')">QQ</a> 【<a href="javascript:window.print()">{s2t("打印本页")}</a>】【<a href="javascript:window.close()">{trad_html("关闭窗口")}</a>】</div>
      <div class="prenext">
        <p>{s2t("上一篇")}：{prev_html}</p>
        <p>{s2t("下一篇")}：{next_html}</p>
      </div>
    </div>
  </div>"""
    desc = s2t(next(p for p in a.paras if len(p) > 40)[:70])
    return cd_page(
        a.path,
        esc(with_pinyin(s2t(a.title + "_常德市科学技术协会"))),
        f" &gt; {s2t('正文')}",
        main,
        cd_side(arts_sorted, a, i),
        desc,
    )
