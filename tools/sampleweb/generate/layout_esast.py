# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""esast page chrome: header, nav, the government-site footer and the sidebar."""

from __future__ import annotations

from .common import CUR, Art, esc, others, relpath, rotate
from .texts_esast import ES_NAV, ES_NOTICES


def es_page(cur: str, title_tag: str, head_extra: str, main: str) -> str:
    """The CMS chrome around a page; every link is relative to cur."""
    nav = "\n".join(
        f'        <li{CUR if n == "新闻中心" else ""}><a href="{relpath(cur, u + "index.html") if u != "/" else relpath(cur, "/index.html")}">{n}</a></li>'
        for n, u in ES_NAV
    )
    home = relpath(cur, "/index.html")
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="恩施州科学技术协会">
<meta name="SiteDomain" content="www.esast.example">
<meta name="SiteIDCode" content="4228000033">
{head_extra}<title>{title_tag}</title>
<link rel="stylesheet" href="{relpath(cur, "/images/css/style.css")}">
<script src="{relpath(cur, "/images/js/jquery.min.js")}"></script>
<script src="{relpath(cur, "/images/js/page.js")}"></script>
</head>
<body>
<div class="top">
  <div class="wrap">
    <span class="welcome">欢迎访问恩施州科学技术协会网站！</span>
    <span class="tools"><a href="javascript:void(0)" id="wza">无障碍</a> | <a href="javascript:void(0)" id="zzms">长者模式</a> | <a href="javascript:setHome()">设为首页</a> | <a href="javascript:addFav()">加入收藏</a></span>
  </div>
</div>
<div class="header wrap">
  <a href="{home}" class="logo"><img src="{relpath(cur, "/images/logo.png")}" alt="恩施土家族苗族自治州科学技术协会"></a>
  <form class="search" action="/was5/web/search" method="get"><input type="text" name="searchword" placeholder="请输入搜索内容"><input type="submit" value="搜索"></form>
</div>
<div class="nav">
  <div class="wrap">
    <ul>
{nav}
    </ul>
  </div>
</div>
{main}
<div class="footer">
  <div class="wrap">
    <div class="flinks">友情链接：<a href="https://www.cast.org.cn/" target="_blank">中国科协</a> <a href="http://www.hbkx.example/" target="_blank">湖北省科协</a> <a href="http://www.enshi.example/" target="_blank">恩施州人民政府</a> <a href="https://www.kepuchina.cn/" target="_blank">科普中国</a></div>
    <p>主办单位：恩施土家族苗族自治州科学技术协会 &nbsp; 版权所有：恩施州科学技术协会</p>
    <p>地址：湖北省恩施市施州大道 &nbsp; 邮编：445000 &nbsp; 电话：0718-8223165</p>
    <p><a href="https://beian.miit.gov.cn/" target="_blank">鄂ICP备05012781号-1</a> &nbsp; <img src="{relpath(cur, "/images/ga.png")}" alt=""><a href="http://www.beian.gov.cn/" target="_blank">鄂公网安备 42280102000231号</a> &nbsp; 网站标识码：4228000033</p>
    <p>技术支持：恩施州大数据中心 &nbsp; 建议使用1366×768分辨率浏览本站</p>
    <div class="jiucuo"><a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=4228000033" target="_blank"><img src="{relpath(cur, "/images/jiucuo.png")}" alt="政府网站找错"></a></div>
  </div>
</div>
</body>
</html>
"""


def es_side(cur: str, arts: list[Art], me: Art | None, start: int) -> str:
    """Sidebar: hot articles (rotated per page) and notices."""
    pool = others(arts, me) if me else arts
    hot = "\n".join(
        f'          <li><a href="{relpath(cur, a.path)}" target="_blank" title="{esc(a.title)}">{esc(a.title)}</a><span>{a.day}</span></li>'
        for a in rotate(pool, start, 5)
    )
    notes = "\n".join(
        f'          <li><a href="{relpath(cur, u)}" target="_blank" title="{t}">{t}</a><span>{d}</span></li>'
        for u, t, d in ES_NOTICES
    )
    return f"""    <div class="side">
      <div class="sbox">
        <h3>热点排行</h3>
        <ul>
{hot}
        </ul>
      </div>
      <div class="sbox">
        <h3>通知公告</h3>
        <ul>
{notes}
        </ul>
      </div>
      <div class="sbox qrcode"><img src="{relpath(cur, "/images/wx.jpg")}" alt="恩施州科协微信公众号"><p>恩施州科协微信公众号</p></div>
    </div>"""
