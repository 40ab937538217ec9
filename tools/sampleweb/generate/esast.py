# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""esast — 恩施州科学技术协会, a TRS-style government CMS: relative links and a sitemap.xml.

Dates come in three markups (meta tags, JSON-LD, both) so the date extractor meets each.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .common import Art, Out, esc, relpath, robots, site_toml
from .layout_esast import es_page, es_side
from .texts_esast import ES_MUST_NOT, ES_TEXT, SEED_ESAST

KEY = "esast"
LIST_PATHS = ["/xwzx/gzdt/index.html", "/xwzx/gzdt/index_1.html", "/xwzx/gzdt/index_2.html"]


def es_articles() -> list[Art]:
    """The 工作动态 articles; the seed report gets two extra must_contain phrases."""
    arts = []
    for aid, dt, markup, modified, title, paras in ES_TEXT:
        must = []
        if paras is None:
            paras = list(SEED_ESAST)
            must = ["团结带领全州科技工作者奋战创新发展主战场", "奋力开创恩施州科协事业发展新局面"]
        ym, ymd = dt[:7].replace("-", ""), dt[:10].replace("-", "")
        a = Art(
            path=f"/xwzx/gzdt/{ym}/t{ymd}_{aid}.html",
            title=title,
            date=dt,
            paras=paras,
            source="恩施州科协",
            must=must,
            must_not=list(ES_MUST_NOT),
        )
        a.extra.update(aid=aid, markup=markup, modified=modified)
        arts.append(a)
    return arts


def es_iso(dt: str) -> str:
    """'YYYY-MM-DD HH:MM' -> ISO 8601 with +08:00, as the CMS writes it."""
    return dt.replace(" ", "T") + ":00+08:00"


def build_esast(out: Out, arts: list[Art]) -> None:
    """Write the three list pages, every article page, sitemap.xml and robots.txt."""
    arts_sorted = sorted(arts, key=lambda a: a.date, reverse=True)
    chunks = [arts_sorted[0:3], arts_sorted[3:6], arts_sorted[6:]]
    for pi, chunk in enumerate(chunks):
        out.site(KEY, LIST_PATHS[pi], _list_page(pi, chunk, arts_sorted))
    for i, a in enumerate(arts_sorted):
        out.site(KEY, a.path, _article_page(i, arts_sorted))
    out.site(KEY, "/sitemap.xml", _sitemap(arts_sorted))
    out.site(KEY, "/robots.txt", robots("/admin/", "/was5/", "/wcm/"))
    out.site(KEY, "/_site.toml", site_toml("utf-8", "gov CMS, plain UTF-8"))


def _list_page(pi: int, chunk: list[Art], arts_sorted: list[Art]) -> str:
    """List page pi: relative links, TRS pager script plus a static pager."""
    cur = LIST_PATHS[pi]
    items = "\n".join(
        f'          <li><a href="./{a.path[len("/xwzx/gzdt/") :]}" target="_blank" title="{esc(a.title)}">{esc(a.title)}</a><span>{a.day}</span></li>'
        for a in chunk
    )
    pager = ['<a href="index.html">首页</a>']
    if pi > 0:
        pager.append(f'<a href="{LIST_PATHS[pi - 1].rsplit("/", 1)[1]}">上一页</a>')
    for j, lp in enumerate(LIST_PATHS):
        pager.append(
            f'<span class="current">{j + 1}</span>' if j == pi else f'<a href="{lp.rsplit("/", 1)[1]}">{j + 1}</a>'
        )
    if pi + 1 < len(LIST_PATHS):
        pager.append(f'<a href="{LIST_PATHS[pi + 1].rsplit("/", 1)[1]}">下一页</a>')
    pager.append(f'<a href="{LIST_PATHS[-1].rsplit("/", 1)[1]}">尾页</a>')
    main = f"""<div class="wrap crumbs">当前位置：<a href="../../index.html">首页</a> &gt; <a href="../index.html">新闻中心</a> &gt; <a href="./index.html">工作动态</a></div>
<div class="wrap main clearfix">
    <div class="list">
      <div class="ltitle">工作动态</div>
      <ul class="list-ul">
{items}
      </ul>
      <div class="page">
        <script>createPageHTML({len(LIST_PATHS)}, {pi}, "index", "html");</script>
        {" ".join(pager)}
      </div>
    </div>
{es_side(cur, arts_sorted, None, pi)}
</div>"""
    head = '<meta name="ColumnName" content="工作动态">\n<meta name="ColumnType" content="工作动态">\n'
    return es_page(cur, "工作动态_恩施州科学技术协会", head, main)


def _article_page(i: int, arts_sorted: list[Art]) -> str:
    """Article page: TRS_Editor body, print/close tools, prev/next, sidebar."""
    a = arts_sorted[i]
    cur = a.path
    prev_a = arts_sorted[i + 1] if i + 1 < len(arts_sorted) else None
    next_a = arts_sorted[i - 1] if i > 0 else None
    prev_html = f'<a href="{relpath(cur, prev_a.path)}">{esc(prev_a.title)}</a>' if prev_a else "无"
    next_html = f'<a href="{relpath(cur, next_a.path)}">{esc(next_a.title)}</a>' if next_a else "无"
    main = f"""<div class="wrap crumbs">当前位置：<a href="{relpath(cur, "/index.html")}">首页</a> &gt; <a href="{relpath(cur, "/xwzx/index.html")}">新闻中心</a> &gt; <a href="{relpath(cur, "/xwzx/gzdt/index.html")}">工作动态</a></div>
<div class="wrap main clearfix">
    <div class="detail">
      <h1 class="dtitle">{esc(a.title)}</h1>
      <div class="dinfo">
        <span>发布时间：{a.date}</span>
        <span>来源：{esc(a.source)}</span>
        <span>浏览次数：<em id="count">--</em></span>
        <span class="fontsize">字号：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>]</span>
      </div>
      <div class="dcontent" id="zoom">
<div class="TRS_Editor">
{es_body(a.paras)}
</div>
      </div>
      <div class="dshare">分享到：<a href="javascript:shareWx()" class="wx">微信</a> <a href="javascript:shareWb()" class="wb">微博</a> <a href="javascript:shareQz()" class="qz">QQ空间</a></div>
      <div class="dtools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
      <div class="dturn">
        <p>上一篇：{prev_html}</p>
        <p>下一篇：{next_html}</p>
      </div>
    </div>
{es_side(cur, arts_sorted, a, i)}
</div>"""
    return es_page(cur, f"{esc(a.title)}_恩施州科学技术协会", _article_head(a), main)


def _article_head(a: Art) -> str:
    """<head> extras of an article: TRS meta, og: tags and its date markup(s)."""
    iso = es_iso(a.date)
    desc = next(p for p in a.paras if len(p) > 40)[:80]
    head = (
        f'<meta name="ColumnName" content="工作动态">\n<meta name="ArticleTitle" content="{esc(a.title)}">\n'
        f'<meta name="ContentSource" content="恩施州科协">\n<meta name="Keywords" content="科协,科普,恩施">\n'
        f'<meta name="Description" content="{esc(desc)}">\n'
        f'<meta property="og:title" content="{esc(a.title)}">\n<meta property="og:type" content="article">\n'
    )
    if a.extra["markup"] in ("meta", "both"):
        head += f'<meta property="article:published_time" content="{iso}">\n'
        if a.extra["modified"]:
            head += f'<meta property="article:modified_time" content="{a.extra["modified"]}">\n'
    if a.extra["markup"] in ("jsonld", "both"):
        ld: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "datePublished": iso,
        }
        if a.extra["modified"]:
            ld["dateModified"] = a.extra["modified"]
        ld["author"] = {"@type": "Organization", "name": "恩施州科学技术协会"}
        ld["publisher"] = {
            "@type": "Organization",
            "name": "恩施州科学技术协会",
            "logo": {"@type": "ImageObject", "url": "/images/logo.png"},
        }
        head += '<script type="application/ld+json">\n' + json.dumps(ld, ensure_ascii=False, indent=2) + "\n</script>\n"
    return head


def es_body(paras: list[str]) -> str:
    """TRS body: numbered section marks, centred bold subheads, indented paragraphs."""
    out = []
    for p in paras:
        if re.fullmatch(r"0\d", p):
            out.append(
                f'<p style="text-align:center"><span style="font-size:24px;color:#1e6fd9"><strong>{p}</strong></span></p>'
            )
        elif len(p) < 24:
            out.append(f'<p style="text-align:center"><strong>{esc(p)}</strong></p>')
        else:
            out.append(f'<p style="text-indent:2em">{esc(p)}</p>')
    return "\n".join(out)


def _sitemap(arts_sorted: list[Art]) -> str:
    """sitemaps.org urlset; <loc> is root-relative because the host is a local port."""
    urls = [
        "  <url>\n    <loc>/xwzx/gzdt/index.html</loc>\n    <changefreq>daily</changefreq>\n    <priority>0.8</priority>\n  </url>"
    ]
    for a in arts_sorted:
        lastmod = a.extra["modified"] or es_iso(a.date)
        urls.append(
            f"  <url>\n    <loc>{a.path}</loc>\n    <lastmod>{lastmod}</lastmod>\n    <changefreq>monthly</changefreq>\n    <priority>0.6</priority>\n  </url>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(urls)
        + "\n</urlset>\n"
    )
