# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""nyrb — 南阳网 city news portal: 科教 channel (three list pages), articles and an RSS feed.

Modern CMS in plain UTF-8; the body is framed by share buttons, an editor line and widgets.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from .common import Art, Out, esc, others, robots, rotate, site_toml
from .layout_nyrb import ny_page, ny_side
from .texts_nyrb import NY_MUST_NOT, NY_TEXT, SEED_NYRB

KEY = "nyrb"
LIST_PATHS = ["/news/kj/index.html", "/news/kj/index_2.html", "/news/kj/index_3.html"]
TZ = timezone(timedelta(hours=8))


def ny_articles() -> list[Art]:
    """The channel's articles; the seed article repeats headline + subtitle in its body."""
    arts = []
    for aid, dt, title, author, editor, paras in NY_TEXT:
        if paras is None:
            # the page repeats headline + subtitle as the first two lines of the body
            paras = ["汇聚科技创新力量  助力高质量发展", "——南阳市科协团结带领科技工作者展现时代新作为"] + SEED_NYRB
        y, m, d = dt[:4], dt[5:7], dt[8:10]
        a = Art(
            path=f"/news/kj/{y}/{m}{d}/{aid}.html",
            title=title,
            date=dt,
            paras=paras,
            author=author,
            editor=editor,
            source="南阳日报",
            must_not=list(NY_MUST_NOT),
        )
        a.extra["aid"] = aid
        arts.append(a)
    return arts


def build_nyrb(out: Out, arts: list[Art]) -> None:
    """Write the three list pages, every article page, the RSS feed and robots.txt."""
    arts_sorted = sorted(arts, key=lambda a: a.date, reverse=True)
    chunks = [arts_sorted[0:4], arts_sorted[4:7], arts_sorted[7:]]
    for pi, chunk in enumerate(chunks):
        out.site(KEY, LIST_PATHS[pi], _list_page(pi, chunk, arts))
    for i, a in enumerate(arts_sorted):
        out.site(KEY, a.path, _article_page(i, arts_sorted, arts))
    out.site(KEY, "/rss.xml", _rss(arts_sorted))
    out.site(KEY, "/robots.txt", robots("/admin/", "/member/", "/search/"))
    out.site(KEY, "/_site.toml", site_toml("utf-8", "modern CMS, plain UTF-8"))


def _list_page(pi: int, chunk: list[Art], arts: list[Art]) -> str:
    """List page pi: teaser per article, numbered pager."""
    items = "\n".join(
        f"""      <li>
        <h3><a href="{a.path}" target="_blank">{esc(a.title)}</a></h3>
        <p>{esc(a.paras[0 if len(a.paras[0]) > 30 else 2][:60])}……</p>
        <div class="info"><span class="src">来源：南阳日报</span><span class="time">{a.date[:16]}</span></div>
      </li>"""
        for a in chunk
    )
    pager = [f'<a href="{LIST_PATHS[0]}">首页</a>']
    if pi > 0:
        pager.append(f'<a href="{LIST_PATHS[pi - 1]}">上一页</a>')
    for j, lp in enumerate(LIST_PATHS):
        pager.append(f'<span class="cur">{j + 1}</span>' if j == pi else f'<a href="{lp}">{j + 1}</a>')
    if pi + 1 < len(LIST_PATHS):
        pager.append(f'<a href="{LIST_PATHS[pi + 1]}">下一页</a>')
    pager.append(f'<a href="{LIST_PATHS[-1]}">尾页</a>')
    main = f"""  <div class="list-main fl">
    <div class="list-tit"><h2>科教</h2><a class="rss" href="/rss.xml">RSS</a></div>
    <ul class="newslist">
{items}
    </ul>
    <div class="pages">{" ".join(pager)}</div>
  </div>"""
    meta = '<meta name="keywords" content="南阳网,南阳新闻,科教,科协,科普">\n<meta name="description" content="南阳网科教频道，报道南阳科技、教育、科普新闻。">\n'
    return ny_page("科教 - 南阳网", meta, " &gt; 列表", main, ny_side(arts, None, pi * 2))


def _article_page(i: int, arts_sorted: list[Art], arts: list[Art]) -> str:
    """Article page: meta tags, body, editor line, prev/next links, related news."""
    a = arts_sorted[i]
    prev_a = arts_sorted[i + 1] if i + 1 < len(arts_sorted) else None
    next_a = arts_sorted[i - 1] if i > 0 else None
    desc = (a.paras[2] if a.paras[0].startswith("汇聚") else a.paras[0])[:70]
    meta = (
        f'<meta name="keywords" content="南阳,科协,科技工作者,科普">\n'
        f'<meta name="description" content="{esc(desc)}">\n'
        f'<meta name="author" content="{esc(a.author)}">\n'
        f'<meta name="publishdate" content="{a.date}">\n'
        f'<meta name="contentid" content="{a.extra["aid"]}">\n'
    )
    body = "\n".join(
        f"      <p>{esc(p)}</p>"
        if not (len(p) <= 12)
        else f'      <p style="text-align:center"><strong>{esc(p)}</strong></p>'
        for p in a.paras
    )
    turn = []
    turn.append(
        f'<p>上一篇：<a href="{prev_a.path}">{esc(prev_a.title)}</a></p>' if prev_a else "<p>上一篇：没有了</p>"
    )
    turn.append(
        f'<p>下一篇：<a href="{next_a.path}">{esc(next_a.title)}</a></p>' if next_a else "<p>下一篇：没有了</p>"
    )
    related = "\n".join(
        f'        <li><a href="{b.path}" target="_blank">{esc(b.title)}</a><span>{b.day}</span></li>'
        for b in rotate(others(arts_sorted, a), i + 2, 3)
    )
    main = f"""  <div class="article fl">
    <div class="share-top">
      <span>关注南阳网</span>
      <a class="wb" href="https://weibo.com/nyrbw" target="_blank">微博</a>
      <a class="qz" href="javascript:shareQzone()">Qzone</a>
      <span class="bdsharebuttonbox">分享到：<a class="bds_weixin" data-cmd="weixin" title="分享到微信"></a><a class="bds_tsina" data-cmd="tsina" title="分享到新浪微博"></a><a class="bds_qzone" data-cmd="qzone" title="分享到QQ空间"></a></span>
    </div>
    <h1>{esc(a.title)}</h1>
    <div class="article-info">
      <span class="time">{a.date[:16]}</span>
      <span class="source">来源:南阳日报</span>
      <span class="hits">浏览量：<em id="hits">--</em></span>
    </div>
    <div class="author">作者:  {esc(a.author)}</div>
    <div class="article-content" id="content">
{body}
      <p class="editor" style="text-align:right">编辑:{esc(a.editor)}    校审:贾红英    责任编辑:张中科    监审:黄术生</p>
    </div>
    <div class="share-bottom bdsharebuttonbox">分享到：<a class="bds_weixin" data-cmd="weixin">微信</a><a class="bds_tsina" data-cmd="tsina">微博</a><a class="bds_qzone" data-cmd="qzone">QQ空间</a></div>
    <div class="turn">
      {"".join(turn)}
    </div>
    <div class="related">
      <h3>相关新闻</h3>
      <ul>
{related}
      </ul>
    </div>
  </div>"""
    return ny_page(f"{esc(a.title)} - 南阳网", meta, " &gt; 正文", main, ny_side(arts, a, i))


def _rss(arts_sorted: list[Art]) -> str:
    """RSS 2.0 feed; links are root-relative because the site is served on a local port."""
    rss_items = []
    for a in arts_sorted:
        dt = datetime.strptime(a.date, "%Y-%m-%d %H:%M:%S").replace(tzinfo=TZ)
        desc = (a.paras[2] if a.paras[0].startswith("汇聚") else a.paras[0])[:80]
        rss_items.append(f"""    <item>
      <title>{esc(a.title)}</title>
      <link>{a.path}</link>
      <guid isPermaLink="false">nyrb-{a.extra["aid"]}</guid>
      <description><![CDATA[{desc}……]]></description>
      <author>{esc(a.author)}</author>
      <category>科教</category>
      <pubDate>{format_datetime(dt)}</pubDate>
    </item>""")
    last = datetime.strptime(arts_sorted[0].date, "%Y-%m-%d %H:%M:%S").replace(tzinfo=TZ)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>南阳网 - 科教</title>
    <link>/news/kj/index.html</link>
    <description>南阳网科教频道最新新闻</description>
    <language>zh-cn</language>
    <copyright>南阳网版权所有</copyright>
    <lastBuildDate>{format_datetime(last)}</lastBuildDate>
    <ttl>60</ttl>
{chr(10).join(rss_items)}
  </channel>
</rss>
"""
