# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""xpjmirror — gambling-spam mirror "88805tccn新蒲京(中国)官方版百科·GREEN LIFE".

Own filler posts plus two stolen copies (one with ASCII punctuation, one <br>-flattened):
the archive must recognise the copies as duplicates of the esast / nyrb originals.
"""

from __future__ import annotations

from .common import Art, Out, esc, others, robots, rotate, site_toml
from .layout_xpjmirror import xpj_page, xpj_shown
from .texts_xpjmirror import XPJ_COPIES, XPJ_KW, XPJ_MUST_NOT, XPJ_NAME, XPJ_OWN

KEY = "xpjmirror"
LIST_PATHS = ["/news/index.html", "/news/list_2.html", "/news/list_3.html"]
ASCII_PUNCT = str.maketrans({"，": ",", "！": "!", "：": ":", "；": ";", "？": "?", "（": "(", "）": ")"})


def xpj_articles(es: list[Art], ny: list[Art]) -> list[Art]:
    """Own posts (SEO <title>, clean <h1>) and the copies of es / ny originals."""
    arts = []
    for aid, dt, title, paras in XPJ_OWN:
        a = Art(path=f"/news/{aid}.html", title=title, date=dt, paras=paras, must_not=list(XPJ_MUST_NOT))
        a.extra.update(aid=aid, spam_title=f"{XPJ_KW}-{title}")  # SEO <title>; the <h1> is clean
        arts.append(a)
    srcs = {"esast": {a.extra["aid"]: a for a in es}, "nyrb": {a.extra["aid"]: a for a in ny}}
    for aid, dt, spam_title, (osite, oid), style in XPJ_COPIES:
        o = srcs[osite][oid]
        if style == "ascii":
            paras = [p.translate(ASCII_PUNCT) for p in o.paras]
            shown = o.title.translate(ASCII_PUNCT)
        else:
            paras = list(o.paras)
            shown = spam_title
        a = Art(path=f"/news/{aid}.html", title=shown, date=dt, paras=paras, kind="duplicate", orig=(osite, o.path))
        a.extra.update(aid=aid, spam_title=spam_title, style=style)
        arts.append(a)
    return arts


def build_xpj(out: Out, arts: list[Art]) -> None:
    """Write the three list pages, every article page and robots.txt."""
    arts_sorted = sorted(arts, key=lambda a: a.date, reverse=True)
    chunks = [arts_sorted[0:3], arts_sorted[3:6], arts_sorted[6:]]
    for pi, chunk in enumerate(chunks):
        main = _list_main(pi, chunk)
        out.site(
            KEY,
            LIST_PATHS[pi],
            xpj_page(f"新闻中心-{XPJ_NAME}", f"{XPJ_KW}新闻中心", main, rotate(arts_sorted, pi + 3, 5)),
        )
    for i, a in enumerate(arts_sorted):
        shown = a.extra.get("spam_title", a.title)
        desc = next(p for p in a.paras if len(p) > 40)[:70]
        main = _article_main(i, arts_sorted)
        out.site(KEY, a.path, xpj_page(f"{esc(shown)}-{XPJ_NAME}", desc, main, rotate(others(arts_sorted, a), i, 5)))
    out.site(KEY, "/robots.txt", robots("/admin/", "/static/backup/", extra="Allow: /\n"))
    out.site(KEY, "/_site.toml", site_toml("utf-8", "spam mirror, plain UTF-8"))


def _list_main(pi: int, chunk: list[Art]) -> str:
    """Main column of list page pi: picture teasers and the pager."""
    items = []
    for a in chunk:
        shown = a.extra.get("spam_title", a.title)
        first = next(p for p in a.paras if len(p) > 40).translate(ASCII_PUNCT)
        items.append(f"""      <li class="clearfix">
        <a class="pic" href="{a.path}"><img src="/static/upload/image/news{a.extra["aid"] % 7}.jpg" alt="{esc(shown)}"></a>
        <div class="txt">
          <h3><a href="{a.path}">{esc(shown)}</a></h3>
          <p>{esc(first[:56])}...</p>
          <span class="date">{a.date[:10]}</span>
        </div>
      </li>""")
    pager = [f'<a class="page-num" href="{LIST_PATHS[0]}">首页</a>']
    if pi > 0:
        pager.append(f'<a class="page-num" href="{LIST_PATHS[pi - 1]}">上一页</a>')
    for j, lp in enumerate(LIST_PATHS):
        pager.append(
            f'<a class="page-num page-num-current" href="{lp}">{j + 1}</a>'
            if j == pi
            else f'<a class="page-num" href="{lp}">{j + 1}</a>'
        )
    if pi + 1 < len(LIST_PATHS):
        pager.append(f'<a class="page-num" href="{LIST_PATHS[pi + 1]}">下一页</a>')
    pager.append(f'<a class="page-num" href="{LIST_PATHS[-1]}">尾页</a>')
    main = f"""    <div class="position">您的位置：<a href="/">首页</a> &gt; <a href="/news/index.html">新闻资讯</a> &gt; <a href="/news/index.html">新闻中心</a></div>
    <ul class="news-list">
{chr(10).join(items)}
    </ul>
    <div class="pagebar">{"".join(pager)}</div>"""
    return main


def _article_main(i: int, arts_sorted: list[Art]) -> str:
    """Main column of an article page: body, spam tags, URL line, prev/next."""
    a = arts_sorted[i]
    body = _body(a)
    prev_a = arts_sorted[i + 1] if i + 1 < len(arts_sorted) else None
    next_a = arts_sorted[i - 1] if i > 0 else None
    main = f"""    <div class="position">您的位置：<a href="/">首页</a> &gt; <a href="/news/index.html">新闻资讯</a> &gt; <a href="/news/index.html">新闻中心</a></div>
    <div class="article">
      <div class="cat">新闻资讯</div>
      <div class="cat2">新闻中心</div>
      <h1>{esc(a.title)}</h1>
      <div class="meta">{a.date}</div>
      <div class="article-body">
{body}
      </div>
      <div class="tags">TAG标签：<a href="/tag/88805tccn.html">88805tccn新蒲京</a> <a href="/tag/xpj.html">新蒲京官方版</a></div>
      <p class="url">本文网址:{a.path}</p>
      <div class="prev-next">
        <p>上一篇：{f'<a href="{prev_a.path}">{xpj_shown(prev_a)}</a>' if prev_a else "没有了"}</p>
        <p>下一篇：{f'<a href="{next_a.path}">{xpj_shown(next_a)}</a>' if next_a else "没有了"}</p>
      </div>
      <div class="history">近期浏览:</div>
    </div>"""
    return main


def _body(a: Art) -> str:
    """The body in the mirror's layout for it: WeChat-style, <br>-flattened or plain <p>."""
    if a.extra.get("style") == "ascii":
        # WeChat-style re-layout: short lines merged with <br>, paragraphs kept verbatim
        blocks, buf = [], []
        for p in a.paras:
            if len(p) < 24:
                buf.append(esc(p))
            else:
                if buf:
                    blocks.append('<p style="text-align:center">' + "<br>\n".join(buf) + "</p>")
                    buf = []
                blocks.append(f"<p>{esc(p)}</p>")
        if buf:
            blocks.append('<p style="text-align:center">' + "<br>\n".join(buf) + "</p>")
        return "\n".join(blocks)
    if a.extra.get("style") == "br":
        return "<div>" + "<br />\n<br />\n".join(esc(p) for p in a.paras) + "</div>"
    return "\n".join(f"<p>{esc(p)}</p>" for p in a.paras)
