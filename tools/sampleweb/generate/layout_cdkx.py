# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""cdkx page chrome: converted header, nav and footer, the login sidebar."""

from __future__ import annotations

from .common import Art, esc, others, rotate
from .hanzi import s2t, trad_html
from .texts_cdkx import CD_LEADERS, CD_NAV


def cd_page(path: str, title_tag: str, crumbs: str, main: str, side: str, desc: str) -> str:
    """The converted site chrome; links to the simplified edition at the same path."""
    nav = "\n".join(f'        <li><a href="{u}">{trad_html(n) if n != "首頁" else n}</a></li>' for n, u in CD_NAV)
    simp = path[len("/big5") :]
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title_tag}</title>
<meta name="keywords" content="{esc(s2t("常德市科协,常德科协,科普,学会,科技工作者"))}">
<meta name="description" content="{esc(desc)}">
<link rel="stylesheet" type="text/css" href="/big5/static/css/base.css">
<link rel="stylesheet" type="text/css" href="/big5/static/css/inner.css">
<script type="text/javascript" src="/big5/static/js/jquery-1.8.3.min.js"></script>
</head>
<body>
<div class="topbar">
  <div class="w1100">
    <span class="fl">{trad_html("欢迎访问常德市科学技术协会！")}</span>
    <span class="fr"><a href="{simp}">簡體版</a> | <a href="{path}" class="cur">繁體版</a> | <a href="/big5/member/login.html">用戶登錄</a> | <a href="/big5/member/register.html">註冊</a></span>
  </div>
</div>
<div class="header w1100">
  <a class="logo" href="/big5/index.html"><img src="/big5/static/images/logo.png" alt="{esc(s2t("常德市科学技术协会"))}"></a>
  <div class="search"><form action="/big5/search/index.html" method="get"><input type="text" name="keywords" value=""><input type="submit" value="{esc(s2t("搜索"))}"></form></div>
</div>
<div class="navbar">
  <div class="w1100">
    <ul class="nav">
{nav}
    </ul>
  </div>
</div>
<div class="w1100 position">{s2t("当前位置")}：<a href="/big5/index.html">首頁</a> &gt; <a href="/big5/xwzx/index.html">{trad_html("新闻中心")}</a> &gt; <a href="/big5/xwzx/kxyw/index.html">{trad_html("科协要闻")}</a>{crumbs}</div>
<div class="w1100 clearfix">
{side}
{main}
</div>
<div class="footer">
  <div class="w1100">
    <p>{trad_html("主办单位：常德市科学技术协会")} &nbsp; {trad_html("地址：常德市武陵区朗州路")} &nbsp; {s2t("邮编")}：415000 &nbsp; {s2t("电话")}：0736-7252139</p>
    <p>{trad_html("版权所有：常德市科学技术协会")} &nbsp; <a href="https://beian.miit.gov.cn/" target="_blank">湘ICP備11007052號-1</a> &nbsp; <a href="http://www.beian.gov.cn/" target="_blank">{s2t("湘公网安备")} 43070202000387{s2t("号")}</a></p>
    <p>{trad_html("技术支持：常德市某网络科技有限公司")} &nbsp; {trad_html("建议使用谷歌、火狐或IE9以上浏览器访问")}</p>
  </div>
</div>
</body>
</html>
"""


def cd_side(arts: list[Art], me: Art | None, start: int) -> str:
    """Sidebar: a login box, 科协概况 links and hot articles (rotated per page)."""
    pool = others(arts, me) if me else arts
    hot = "\n".join(
        f'        <li><a href="{a.path}" title="{esc(s2t(a.title))}">{trad_html(a.title)}</a><span>[{a.day[5:]}]</span></li>'
        for a in rotate(pool, start, 5)
    )
    about = "\n".join(f'        <li><a href="{u}">{trad_html(t)}</a></li>' for u, t in CD_LEADERS)
    return f"""  <div class="sidebar fl">
    <div class="sbox login">
      <h3>用戶登錄</h3>
      <form action="/big5/member/login.html" method="post">
        <p><label>用戶名：</label><input type="text" name="username"></p>
        <p><label>密碼：</label><input type="password" name="password"></p>
        <p><input type="submit" value="登錄" class="btn"></p>
        <p class="reg">還沒有賬號?<a href="/big5/member/register.html">立即注冊</a></p>
      </form>
    </div>
    <div class="sbox">
      <h3>{trad_html("科协概况")}</h3>
      <ul class="sub">
{about}
      </ul>
    </div>
    <div class="sbox">
      <h3>{trad_html("热点推荐")}</h3>
      <ul class="hot">
{hot}
      </ul>
    </div>
  </div>"""
