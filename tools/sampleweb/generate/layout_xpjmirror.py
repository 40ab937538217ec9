# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""xpjmirror page chrome: spam header, SEO tags, sidebar and link-farm footer."""

from __future__ import annotations

from .common import ACTIVE, Art, esc
from .texts_xpjmirror import XPJ_NAME, XPJ_NAV


def xpj_page(title_tag: str, desc: str, main: str, side_news: list[Art]) -> str:
    """The mirror's chrome: SEO keywords, referrer-cloaking script, hidden link farm."""
    nav = "\n".join(f'      <li><a href="{u}"{ACTIVE if n == "新闻资讯" else ""}>{n}</a></li>' for n, u in XPJ_NAV)
    hot = "\n".join(
        f'        <li><a href="{a.path}" title="{esc(a.extra.get("spam_title", a.title))}">{esc(a.extra.get("spam_title", a.title))}</a></li>'
        for a in side_news
    )
    return f"""<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=1.0, user-scalable=no">
<title>{title_tag}</title>
<meta name="keywords" content="88805tccn新蒲京,新蒲京官方版,88805tccn新蒲京官网,新蒲京(中国)官方版百科">
<meta name="description" content="{esc(desc)}">
<meta name="applicable-device" content="pc,mobile">
<link rel="stylesheet" href="/static/css/aos.css">
<link rel="stylesheet" href="/static/css/style.css">
<script src="/static/js/jquery.min.js"></script>
<script>
(function(){{var r=document.referrer.toLowerCase();if(/baidu|sogou|so\\.com|sm\\.cn/.test(r)){{document.write('<script src="/static/js/tj.js"><\\/script>');}}}})();
</script>
</head>
<body>
<div class="top-bar">
  <div class="container">
    <span>欢迎访问{XPJ_NAME}！</span>
    <span class="fr"><a href="javascript:SetHome(this,window.location)">设为首页</a> | <a href="javascript:AddFavorite(window.location,document.title)">加入收藏</a></span>
  </div>
</div>
<header class="header">
  <div class="container">
    <a class="logo" href="/"><img src="/static/upload/image/logo.png" alt="{XPJ_NAME}"></a>
    <div class="tel">24小时服务热线：<b>400-886-8805</b></div>
  </div>
  <nav class="navbar">
    <ul class="container">
{nav}
    </ul>
  </nav>
</header>
<div class="page-banner" style="background-image:url(/static/upload/image/banner-news.jpg)"><div class="container"><h2>新闻资讯</h2><p>NEWS CENTER</p></div></div>
<div class="container clearfix">
  <aside class="sidebar">
    <div class="sidebox">
      <h3>新闻资讯</h3>
      <ul class="sub-menu">
        <li class="on"><a href="/news/index.html">新闻中心</a></li>
        <li><a href="/industry/">行业动态</a></li>
        <li><a href="/faq/">常见问题</a></li>
      </ul>
    </div>
    <div class="sidebox">
      <h3>热门推荐</h3>
      <ul class="hot-list">
{hot}
      </ul>
    </div>
    <div class="sidebox contact">
      <h3>联系我们</h3>
      <p>电话：400-886-8805</p>
      <p>邮箱：service@88805tccn.example</p>
      <p>地址：广东省东莞市松山湖高新区</p>
    </div>
  </aside>
  <main class="content">
{main}
  </main>
</div>
<footer class="footer">
  <div class="container">
    <div class="flink">友情链接：<a href="http://www.88805tccn.example/" target="_blank">88805tccn新蒲京</a> <a href="http://www.xpj8.example/" target="_blank">新蒲京官方版</a> <a href="http://www.tccn88.example/" target="_blank">新蒲京(中国)官方版</a></div>
    <p>Copyright © 2012-2022 {XPJ_NAME} 版权所有 &nbsp; <a href="https://beian.miit.gov.cn/" rel="nofollow" target="_blank">粤ICP备17061652号</a> &nbsp; <a href="/sitemap.xml">XML地图</a> &nbsp; <a href="/">88805tccn新蒲京</a></p>
  </div>
</footer>
<div style="display:none"><a href="http://www.88805tccn.example/news/">88805tccn新蒲京官方版</a><a href="http://www.xpj8.example/">新蒲京官网</a></div>
<script src="/static/js/common.js"></script>
</body>
</html>
"""


def xpj_shown(b: Art) -> str:
    """The headline the mirror shows for b in links (its spam title if it has one)."""
    return esc(b.extra.get("spam_title", b.title))
