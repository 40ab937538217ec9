# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""sxkjb — 陕西科技报 e-paper (方正-style): per 版 a list page and its article pages.

The only date is in the URL (the "发布日期:" label is left empty), so dates must come from there.
"""

from __future__ import annotations

from .common import Art, Out, esc, relpath, robots, site_toml
from .layout_sxkjb import SX_FOOT, SX_HEAD, Page, sx_pagemap, sx_pagenav
from .texts_sxkjb import SX_ISSUES, SX_MUST_NOT, SX_TEXT

KEY = "sxkjb"


def sx_articles() -> list[Art]:
    """The articles of all issues, in issue / page order; the date is the issue's."""
    arts = []
    for issue, pages in SX_ISSUES:
        day = issue.replace("/", "-")
        for pno, pname, ids in pages:
            for aid in ids:
                t = SX_TEXT[aid]
                a = Art(
                    path=f"/html/{issue}/content_{aid}.htm",
                    title=t["title"],
                    date=day,
                    paras=t["paras"],
                    subtitle=t.get("subtitle", ""),
                    author=t["author"],
                    must_not=list(SX_MUST_NOT),
                )
                a.extra.update(issue=issue, pno=pno, pname=pname, aid=aid)
                arts.append(a)
    return arts


def build_sxkjb(out: Out, arts: list[Art]) -> None:
    """Write both issues: per 版 its list page (node_N.htm) and its article pages."""
    issues = [i for i, _ in SX_ISSUES]
    for ii, (issue, pages) in enumerate(SX_ISSUES):
        older = issues[ii + 1] if ii + 1 < len(issues) else None
        newer = issues[ii - 1] if ii > 0 else None
        for pi, (pno, _pname, _ids) in enumerate(pages):
            page_arts = [a for a in arts if a.extra["issue"] == issue and a.extra["pno"] == pno]
            nav = sx_pagenav(pages, pno, issue)
            node = f"/html/{issue}/node_{int(pno)}.htm"
            out.site(KEY, node, _list_page(issue, pages, pi, page_arts, nav, older, newer))
            for ai, a in enumerate(page_arts):
                out.site(KEY, a.path, _article_page(a, page_arts, ai, nav))
    out.site(KEY, "/robots.txt", robots("/admin/", "/search.jsp"))
    out.site(KEY, "/_site.toml", site_toml("utf-8", "e-paper, plain UTF-8"))


def _list_page(
    issue: str, pages: list[Page], pi: int, page_arts: list[Art], nav: str, older: str | None, newer: str | None
) -> str:
    """The 版面 page: page scan, hidden 通版 list, headlines, turn links to 版 and issues."""
    pno, pname, _ids = pages[pi]
    node_1 = f"/html/{issue}/node_1.htm"
    links = "\n".join(
        f'          <tr><td width="14" valign="top"><img src="../../../image/dot.gif" width="5" height="5" /></td>'
        f'<td height="26"><a href="content_{a.extra["aid"]}.htm"><div style="display:inline" id="mytitle">{esc(a.title)}</div></a></td></tr>'
        for a in page_arts
    )
    turn = []
    if pi > 0:
        turn.append(f'<a href="node_{int(pages[pi - 1][0])}.htm" class="preCls">上一版</a>')
    if pi + 1 < len(pages):
        turn.append(f'<a href="node_{int(pages[pi + 1][0])}.htm" class="nextCls">下一版</a>')
    if older:
        turn.append(f'<a href="{relpath(node_1, f"/html/{older}/node_1.htm")}">上一期</a>')
    if newer:
        turn.append(f'<a href="{relpath(node_1, f"/html/{newer}/node_1.htm")}">下一期</a>')
    return (
        SX_HEAD.format(title="陕西科技报")
        + f"""<table width="1003" border="0" align="center" cellpadding="0" cellspacing="0" class="maintable">
  <tr>
    <td width="360" valign="top" class="leftbg">
      {sx_pagemap(page_arts, pno, issue)}
    </td>
    <td valign="top" style="padding:8px">
      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td class="px12">通版阅读请点击:</td></tr>
        <tr><td class="px12"><a href="javascript:showAllPage()">展开通版</a> <a href="javascript:hideAllPage()">收缩通版</a></td></tr>
        <tr><td class="px12 bold">当前版:{pno}版</td></tr>
      </table>
      <div id="allpage" style="display:none">
      <table width="100%" border="0" cellspacing="0" cellpadding="0" class="pagelist">
{nav}
      </table>
      </div>
      <table width="100%" border="0" cellspacing="0" cellpadding="0" class="titlelist">
        <tr><td colspan="2" class="listtitle">第{pno}版：{pname}</td></tr>
{links}
      </table>
      <table width="100%" border="0" cellspacing="0" cellpadding="0" class="turnpage">
        <tr><td align="center" height="30">{" &nbsp; ".join(turn)}</td></tr>
      </table>
    </td>
  </tr>
</table>
"""
        + SX_FOOT
    )


def _article_page(a: Art, page_arts: list[Art], ai: int, nav: str) -> str:
    """An article page: 通版 list, page scan, the 版's other headlines, the text."""
    pno, issue = a.extra["pno"], a.extra["issue"]
    prev_a = page_arts[ai - 1] if ai > 0 else None
    next_a = page_arts[ai + 1] if ai + 1 < len(page_arts) else None
    same = (
        "\n".join(
            f'          <tr><td height="24"><img src="../../../image/dot.gif" width="5" height="5" /> '
            f'<a href="content_{b.extra["aid"]}.htm">{esc(b.title)}</a></td></tr>'
            for b in page_arts
            if b is not a
        )
        or '          <tr><td height="24">本版暂无其他稿件</td></tr>'
    )
    paras = "\n".join(f"<p>　　{esc(p)}</p>" for p in a.paras)
    sub = f'<tr><td align="center" class="font02" height="24">{esc(a.subtitle)}</td></tr>' if a.subtitle else ""
    turn = [f'<a href="node_{int(pno)}.htm">返回目录</a>']
    if prev_a:
        turn.insert(0, f'<a href="content_{prev_a.extra["aid"]}.htm">上一篇</a>')
    if next_a:
        turn.append(f'<a href="content_{next_a.extra["aid"]}.htm">下一篇</a>')
    return (
        SX_HEAD.format(title=f"{esc(a.title)}-陕西科技报")
        + f"""<table width="1003" border="0" align="center" cellpadding="0" cellspacing="0" class="maintable">
  <tr>
    <td width="300" valign="top" class="leftbg">
      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td class="px12">通版阅读请点击:</td></tr>
        <tr><td class="px12"><a href="javascript:showAllPage()">展开通版</a> <a href="javascript:hideAllPage()">收缩通版</a></td></tr>
        <tr><td class="px12 bold">当前版:{pno}版</td></tr>
      </table>
      <div id="allpage" style="display:none">
      <table width="100%" border="0" cellspacing="0" cellpadding="0" class="pagelist">
{nav}
      </table>
      </div>
      {sx_pagemap(page_arts, pno, issue)}
      <table width="100%" border="0" cellspacing="0" cellpadding="0" class="samepage">
        <tr><td class="listtitle">本版其他文章</td></tr>
{same}
      </table>
    </td>
    <td valign="top" style="padding:10px 16px">
      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td class="font03" height="24">发布日期:</td></tr>
        <tr><td align="center" class="font01" height="40"><strong>{esc(a.title)}</strong></td></tr>
        {sub}
        <tr><td height="10"></td></tr>
        <tr><td class="content">
<div id="ozoom" style="font-size:14px;line-height:26px"><!--enpcontent--><founder-content>
{paras}
</founder-content><!--/enpcontent--></div>
        </td></tr>
        <tr><td align="center" height="36" class="px12">{" &nbsp; ".join(turn)}</td></tr>
      </table>
    </td>
  </tr>
</table>
"""
        + SX_FOOT
    )
