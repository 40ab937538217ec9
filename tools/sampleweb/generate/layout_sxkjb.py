# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""sxkjb page chrome: the 方正 e-paper header and footer, the 通版 list and the page scan map."""

from __future__ import annotations

from .common import Art

Page = tuple[str, str, list[int]]  # (page no, page name, article ids) of one 版

SX_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title}</title>
<link href="../../../style/newspaper.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="../../../script/prototype.js"></script>
<script type="text/javascript" src="../../../script/page.js"></script>
<script type="text/javascript">
function showAllPage(){{ $('allpage').style.display=''; }}
function hideAllPage(){{ $('allpage').style.display='none'; }}
</script>
</head>
<body leftmargin="0" topmargin="0" onload="initPage()">
<table width="1003" border="0" align="center" cellpadding="0" cellspacing="0" class="toptable">
  <tr>
    <td width="260" height="72" rowspan="2"><a href="../../../index.htm"><img src="../../../image/logo.jpg" alt="陕西科技报" width="250" height="66" border="0" /></a></td>
    <td height="36" class="px12" style="color:#fff">欢迎您阅览陕西科技报!</td>
    <td align="right" class="px12"><a href="../../../index.htm" class="white">本报首页</a> | <a href="../../../history.htm" class="white">往期回顾</a> | <a href="http://www.sxkjb.example/" class="white" target="_blank">陕西科技报网</a> | <a href="javascript:addFav()" class="white">加入收藏</a></td>
  </tr>
  <tr>
    <td colspan="2" class="px12"><form action="../../../search.jsp" method="get" name="sform" style="margin:0">检索: <input type="text" name="keyword" size="16" /> <select name="range"><option value="title">标题</option><option value="content">正文</option></select> <input type="submit" value="搜索" /></form></td>
  </tr>
</table>
"""

SX_FOOT = """<table width="1003" border="0" align="center" cellpadding="0" cellspacing="0" class="foottable">
  <tr>
    <td height="60" align="center" class="px12">社址:西安市药王洞155号 邮编:710003 电话/编辑部:029-87345421<br />
广告部:029-87347875 投稿信箱:sxkjb169@aliyun.com 版权所有:陕西科技报社 技术支持:锦华科技<br />
<a href="https://beian.miit.gov.cn/" target="_blank">陕ICP备05003419号-1</a></td>
  </tr>
</table>
<script type="text/javascript" src="../../../script/counter.js"></script>
</body>
</html>
"""


def sx_pagenav(issue_pages: list[Page], cur_pno: str, issue: str) -> str:
    """The hidden 通版 list of all 版 of the issue, with their PDF links."""
    rows = []
    for pno, pname, _ids in issue_pages:
        cls = ' class="curpage"' if pno == cur_pno else ""
        rows.append(
            f'        <tr><td height="24"{cls}><img src="../../../image/bullet.gif" width="9" height="9" /> '
            f'<a id="pageLink" href="node_{int(pno)}.htm">第{pno}版：{pname}</a></td>'
            f'<td width="40"><a href="../../../images/{issue}/{pno}/page{pno}.pdf" target="_blank"><img src="../../../image/pdf.gif" border="0" alt="PDF" /></a></td></tr>'
        )
    return "\n".join(rows)


def sx_pagemap(arts_on_page: list[Art], pno: str, issue: str) -> str:
    """The clickable page scan: one image-map area per article."""
    areas = []
    y = 40
    for a in arts_on_page:
        href = f"content_{a.extra['aid']}.htm"
        areas.append(f'  <area shape="polygon" coords="12,{y},336,{y},336,{y + 180},12,{y + 180}" href="{href}" />')
        y += 190
    return (
        '<map name="PagePicMap">\n' + "\n".join(areas) + "\n</map>\n"
        f'<img src="../../../images/{issue}/{pno}/page{pno}_s.jpg" usemap="#PagePicMap" width="340" height="500" border="0" alt="" />'
    )
