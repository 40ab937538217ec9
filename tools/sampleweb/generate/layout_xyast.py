# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""xyast page chrome: banner, nav, the left column (search, side list, links) and footer."""

from __future__ import annotations

from .common import Art, esc, rotate
from .texts_xyast import XY_LINKS, XY_NAV


def xy_page(title: str, main: str, side_arts: list[Art]) -> str:
    """The county-site table layout (gb2312 meta) around a main cell, with the side list."""
    nav = ' <font color="#FFFFFF">|</font> '.join(f'<a href="{u}" class="navlink">{n}</a>' for n, u in XY_NAV)
    side = "\n".join(
        f'              <tr><td height="22" class="left_list">·<a href="{a.path}" target="_blank" title="{esc(a.title)}">{esc(a.title[:14])}{"…" if len(a.title) > 14 else ""}</a></td></tr>'
        for a in side_arts
    )
    flinks = "\n".join(f'                <option value="{u}">{n}</option>' for n, u in XY_LINKS)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}</title>
<meta name="keywords" content="新沂市科协,新沂科协,新沂市科学技术协会,科普,学会" />
<meta name="description" content="新沂市科学技术协会" />
<link href="/Skin/blue/style.css" rel="stylesheet" type="text/css" />
<script language="javascript" type="text/javascript" src="/js/menu.js"></script>
</head>
<body topmargin="0" leftmargin="0">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr>
    <td height="150" background="/images/top_banner.jpg">&nbsp;</td>
  </tr>
  <tr>
    <td height="32" align="center" background="/images/nav_bg.gif" class="nav">{nav}</td>
  </tr>
  <tr>
    <td height="26" bgcolor="#EAF2FB" class="px12">&nbsp;<script language="javascript" type="text/javascript">
var week=["日","一","二","三","四","五","六"];var d=new Date();
document.write("今天是："+d.getFullYear()+"年"+(d.getMonth()+1)+"月"+d.getDate()+"日 星期"+week[d.getDay()]);
</script>&nbsp;&nbsp;欢迎访问新沂市科学技术协会网站！</td>
  </tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" bgcolor="#FFFFFF">
  <tr>
    <td width="200" valign="top" bgcolor="#F4F8FD">
      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td height="30" background="/images/left_title.gif" class="left_title">&nbsp;站内搜索</td></tr>
        <tr><td height="50" align="center"><form name="search" method="get" action="/Search.asp" style="margin:0"><input name="keyword" type="text" size="14" /> <input type="submit" value="搜索" /></form></td></tr>
        <tr><td height="30" background="/images/left_title.gif" class="left_title">&nbsp;推荐文章</td></tr>
        <tr><td>
            <table width="95%" border="0" align="center" cellpadding="0" cellspacing="0">
{side}
            </table>
        </td></tr>
        <tr><td height="30" background="/images/left_title.gif" class="left_title">&nbsp;科协概况</td></tr>
        <tr><td height="22" class="left_list">&nbsp;·<a href="/kxgk/ShowClass.asp?ClassID=11">科协简介</a></td></tr>
        <tr><td height="22" class="left_list">&nbsp;·<a href="/kxgk/ShowClass.asp?ClassID=12">领导信息</a></td></tr>
        <tr><td height="22" class="left_list">&nbsp;·<a href="/kxgk/ShowClass.asp?ClassID=13">机构设置</a></td></tr>
        <tr><td height="22" class="left_list">&nbsp;·<a href="/kxgk/ShowClass.asp?ClassID=14">镇街科协</a></td></tr>
        <tr><td height="30" background="/images/left_title.gif" class="left_title">&nbsp;友情链接</td></tr>
        <tr><td height="40" align="center"><select name="flink" onchange="if(this.value!='')window.open(this.value)" style="width:170px">
                <option value="">--相关链接--</option>
{flinks}
              </select></td></tr>
      </table>
    </td>
    <td width="10">&nbsp;</td>
    <td valign="top">
{main}
    </td>
  </tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" bgcolor="#2A6BB5">
  <tr>
    <td height="90" align="center" class="foot"><font color="#FFFFFF">copyright 2012JSSAT of CHINA 徐州科学技术协会版权所有<br />
      任何人不得以任何方式复制或变相复制网站部门或者全部信息 建议使用IE6以上 分辨率1024*768浏览本网站<br />
      主办：新沂市科学技术协会 地址：新沂市北京东路 电话：0516-88921375<br />
      <a href="https://beian.miit.gov.cn/" target="_blank"><font color="#FFFFFF">苏ICP备06035471号</font></a> &nbsp; 技术支持：徐州天网信息技术</font></td>
  </tr>
</table>
</body>
</html>
"""


def xy_side(arts: list[Art], me: Art | None, start: int) -> list[Art]:
    """Up to 7 side-list articles, rotated per page; never the blocked draft."""
    pool = [a for a in arts if a.kind != "not_fetched" and (me is None or a.path != me.path)]
    return rotate(pool, start, 7)
