# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""nyrb page chrome: header, channel nav, footer and the widget sidebar."""

from __future__ import annotations

from .common import ON, Art, esc, others, rotate
from .texts_nyrb import NY_NAV, NY_PICNEWS


def ny_page(title_tag: str, meta: str, crumbs: str, main: str, side: str) -> str:
    """The portal chrome around a list or article page."""
    nav = "\n".join(f'      <li><a href="{u}"{ON if n == "科教" else ""}>{n}</a></li>' for n, u in NY_NAV)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_tag}</title>
{meta}<link rel="stylesheet" href="/static/css/common.css?v=20211201">
<link rel="stylesheet" href="/static/css/article.css?v=20211201">
<link rel="alternate" type="application/rss+xml" title="南阳网 科教" href="/rss.xml">
<script src="/static/js/jquery-1.11.3.min.js"></script>
</head>
<body>
<div class="topbar">
  <div class="w1200">
    <div class="fl"><a href="/">南阳网首页</a> | <a href="http://epaper.nyrb.example/">南阳日报</a> | <a href="http://epaper.nyrb.example/nywb/">南阳晚报</a> | <a href="/m/">手机版</a></div>
    <div class="fr"><a href="/member/login.html">登录</a> | <a href="/member/register.html">注册</a> | <a href="/rss.xml">RSS订阅</a></div>
  </div>
</div>
<div class="header w1200">
  <a class="logo" href="/"><img src="/static/images/logo.png" alt="南阳网"></a>
  <form class="search" action="/search/" method="get"><input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form>
</div>
<div class="nav">
  <div class="w1200">
    <ul>
{nav}
    </ul>
  </div>
</div>
<div class="w1200 crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/news/index.html">新闻</a> &gt; <a href="/news/kj/index.html">科教</a>{crumbs}</div>
<div class="w1200 main clearfix">
{main}
{side}
</div>
<div class="footer">
  <div class="w1200">
    <p class="links"><a href="/about/index.html">关于我们</a> | <a href="/about/ad.html">广告服务</a> | <a href="/about/contact.html">联系我们</a> | <a href="/about/copyright.html">版权声明</a> | <a href="/about/jobs.html">招聘信息</a> | <a href="/sitemap.html">网站地图</a></p>
    <p>中共南阳市委宣传部主管、南阳日报社主办 电话:0377-63135025 13603773509(微信同号) QQ:1796493406</p>
    <p>技术推广合作 QQ:69500676 290428867 法律顾问:河南大为律师事务所 毕献星 任晓</p>
    <p>互联网新闻信息服务许可证编号：41120170006 &nbsp; 南阳网版权所有，未经书面授权禁止使用</p>
    <p><a href="https://beian.miit.gov.cn/" target="_blank">豫ICP备12012260号-3</a>&nbsp;&nbsp;&nbsp;&nbsp;<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=41130302000001" target="_blank">豫公网安备41130302000001号</a></p>
  </div>
</div>
<script src="/static/js/common.js"></script>
</body>
</html>
"""


def ny_side(arts: list[Art], me: Art | None, start: int) -> str:
    """Sidebar: hot news, picture news, recommendations (rotated per page)."""
    pool = others(arts, me) if me else arts
    hot = rotate(pool, start, 6)
    rec = rotate(pool, start + 3, 4)
    hot_li = "\n".join(
        f'        <li><em>{i + 1}</em><a href="{a.path}" target="_blank">{esc(a.title)}</a><span>{a.day}</span></li>'
        for i, a in enumerate(hot)
    )
    rec_li = "\n".join(
        f'        <li><a href="{a.path}" target="_blank">{esc(a.title)}</a><span>{a.day[5:]}</span></li>' for a in rec
    )
    pic = "\n".join(
        f'        <li><a href="{u}" target="_blank"><img src="/uploads/2022/01/pic{i + 1}.jpg" alt="{t}"><p>{t}</p></a></li>'
        for i, (u, t) in enumerate(NY_PICNEWS)
    )
    return f"""  <div class="side fr">
    <div class="box hotnews">
      <h3>热点新闻</h3>
      <ul>
{hot_li}
      </ul>
    </div>
    <div class="box picnews">
      <h3>图片新闻</h3>
      <ul>
{pic}
      </ul>
    </div>
    <div class="box recommend">
      <h3>推荐阅读</h3>
      <ul>
{rec_li}
      </ul>
    </div>
    <div class="box wx"><img src="/static/images/wx_qrcode.jpg" alt="南阳网微信公众号"><p>扫一扫 关注南阳网微信</p></div>
  </div>"""
