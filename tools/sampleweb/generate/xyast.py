# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""xyast — 新沂市科协, an old county site: table layout, GBK bytes, a lying HTTP charset.

Also the awkward cases: undated pages (rejects), a robots-blocked draft linked from the
list, and a list link to a page that 404s.
"""

from __future__ import annotations

from .attachments_xyast import attachment_links, build_attachments
from .common import Art, Out, esc, robots, site_toml
from .layout_xyast import xy_page, xy_side
from .texts_xyast import SEED_XYAST, XY_DRAFT, XY_EXTRA_MUST, XY_MISSING, XY_MUST_NOT, XY_TEXT

KEY = "xyast"
ENC = "gbk"  # page bytes; the server announces utf-8 (see _site.toml)
LIST_PATHS = ["/xwdt/index.htm", "/xwdt/index_2.htm", "/xwdt/index_3.htm"]
# list order of the 新闻动态 entries: article ids, the draft and the dead link
LIST_ORDER: list[int | str] = [2902, 2895, 2887, 2879, 2871, 2860, 2846, "draft", 2833, 2815, 2808, "missing"]


def xy_articles() -> list[Art]:
    """The 新闻动态 articles; those without a date are expected rejects."""
    arts = []
    for aid, dt, title, paras in XY_TEXT:
        if paras is None:
            paras = list(SEED_XYAST)
        date = dt.replace("/", "-") if dt else ""
        a = Art(
            path=f"/xwdt/{aid}.htm",
            title=title,
            date=date,
            paras=paras,
            must=list(XY_EXTRA_MUST.get(aid, [])),
            must_not=list(XY_MUST_NOT),
        )
        a.extra.update(aid=aid, raw_date=dt)
        if not dt:
            a.kind, a.reason = "reject", "no_date"
        arts.append(a)
    return arts


def build_xyast(out: Out, arts: list[Art]) -> None:
    """Write the three list pages, the articles, the blocked draft and robots.txt (all GBK)."""
    listing = _listing(arts)
    chunks = [listing[0:5], listing[5:9], listing[9:]]
    for pi, chunk in enumerate(chunks):
        main = _list_main(pi, chunk, len(listing))
        out.site(KEY, LIST_PATHS[pi], xy_page("新闻动态--新沂市科学技术协会", main, xy_side(arts, None, pi * 3)), ENC)
    for i, a in enumerate(arts):
        side = xy_side(arts, a, i + 1)
        out.site(KEY, a.path, xy_page(f"{esc(a.title)}--新沂市科学技术协会", _article_main(a), side), ENC)
    draft = xy_page(f"{esc(XY_DRAFT.title)}--新沂市科学技术协会", _article_main(XY_DRAFT), xy_side(arts, None, 5))
    out.site(KEY, XY_DRAFT.path, draft, ENC)
    build_attachments(out)
    out.site(KEY, "/robots.txt", robots("/admin/", "/inc/", "/lyb/", "/count.asp"))
    out.site(KEY, "/_site.toml", site_toml("utf-8", "the .htm files are GBK: this header charset deliberately LIES"))


def _listing(arts: list[Art]) -> list[tuple[str, str, str]]:
    """(path, title, date shown) of every list entry, in LIST_ORDER."""
    by_id = {a.extra["aid"]: a for a in arts}
    listing = []
    for o in LIST_ORDER:
        if o == "draft":
            listing.append((XY_DRAFT.path, XY_DRAFT.title, "2022-03-20"))
        elif o == "missing":
            listing.append(XY_MISSING)
        else:
            a = by_id[o]
            listing.append((a.path, a.title, a.day))  # "" for the undated ones
    return listing


def _list_main(pi: int, chunk: list[tuple[str, str, str]], total: int) -> str:
    """Main cell of list page pi: entry rows and the ASP-style pager."""
    rows = "\n".join(
        f'              <tr>\n                <td width="20" height="26" align="center"><img src="/images/arrow.gif" width="5" height="7" /></td>\n'
        f'                <td class="list"><a href="{p}" target="_blank" title="{esc(t)}">{esc(t)}</a></td>\n'
        f'                <td width="90" align="center" class="date">{d}</td>\n'
        f'              </tr>\n              <tr><td colspan="3" height="1" background="/images/dot_line.gif"></td></tr>'
        for p, t, d in chunk
    )
    first = LIST_PATHS[0]
    prev_l = f'<a href="{LIST_PATHS[pi - 1]}">上一页</a>' if pi > 0 else "上一页"
    next_l = f'<a href="{LIST_PATHS[pi + 1]}">下一页</a>' if pi + 1 < len(LIST_PATHS) else "下一页"
    opts = "".join(
        f'<option value="{lp}"{" selected" if j == pi else ""}>第{j + 1}页</option>' for j, lp in enumerate(LIST_PATHS)
    )
    main = f"""      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td height="30" background="/images/main_title.gif" class="main_title">&nbsp;您现在的位置：<a href="/index.htm">新沂市科协</a> &gt;&gt; <a href="/xwdt/index.htm">新闻动态</a></td></tr>
        <tr><td valign="top" style="padding:8px">
            <table width="100%" border="0" cellspacing="0" cellpadding="0">
{rows}
            </table>
        </td></tr>
        <tr><td height="36" align="center" class="px12">共 {total} 条记录 &nbsp;页次：{pi + 1}/{len(LIST_PATHS)}页 &nbsp;<a href="{first}">首页</a> {prev_l} {next_l} <a href="{LIST_PATHS[-1]}">尾页</a> &nbsp;转到：<select onchange="location.href=this.value">{opts}</select></td></tr>
      </table>"""
    return main


def _article_main(a: Art) -> str:
    """Main cell of an article page; the info line shows the raw date when there is one."""
    paras = "\n".join(f"<p>　　{esc(p)}</p>" for p in a.paras)
    links = attachment_links(a.extra.get("aid", 0))
    paras += f"\n{links}" if links else ""
    info = []
    if a.extra.get("raw_date") or a.kind == "not_fetched":
        raw = a.extra.get("raw_date") or a.date
        info.append(f"发表日期:{raw}")
    info += [
        "作者:新沂市科协",
        "来源:本站原创",
        f'浏览次数:<script language="javascript" src="/count.asp?id={a.extra.get("aid", 0)}"></script>',
    ]
    return f"""      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td height="30" background="/images/main_title.gif" class="main_title">&nbsp;您现在的位置：<a href="/index.htm">新沂市科协</a> &gt;&gt; <a href="/xwdt/index.htm">新闻动态</a> &gt;&gt; 正文</td></tr>
        <tr><td height="50" align="center" class="article_title"><b>{esc(a.title)}</b></td></tr>
        <tr><td height="26" align="center" bgcolor="#F2F6FB" class="px12">{"　　".join(info)}</td></tr>
        <tr><td class="article_content" id="fontzoom" style="padding:12px;font-size:14px;line-height:25px">
{paras}
        </td></tr>
        <tr><td height="30" align="right" class="px12">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】&nbsp;</td></tr>
      </table>"""
