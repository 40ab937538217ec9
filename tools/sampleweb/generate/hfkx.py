# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""hfkx — 禾丰县科协, an old ASP county site in frames, and the anti-bot replicas (platform web).

The home page is a <frameset> (banner, menu, and the news list in mainFrame); lists are
NewsList.asp?ClassID=3&page=N, articles ShowNews.asp?id=N (only the query string tells them
apart), GBK bytes, and every <title> starts with the site's name and "--". Served from
tools/sampleweb/platforms/ (not part of the demo), with query strings mapped to files
(platform_hints.query_file). rsjs answers everything with HTTP 412 and a 瑞数-style $_ts
challenge, aqyz with a 200 安全验证 page.
"""

from __future__ import annotations

from .common import Art, Out, esc, robots
from .texts_hfkx import HF_NAME, HF_TEXT

KEY = "hfkx"
ENC = "gbk"
PER_PAGE = 4
MENU = [("首页", "index.htm"), ("科协概况", "ShowClass.asp?ClassID=1"), ("新闻动态", "NewsList.asp?ClassID=3"),
        ("通知公告", "NewsList.asp?ClassID=4"), ("科普园地", "NewsList.asp?ClassID=5"), ("学会工作", "NewsList.asp?ClassID=6")]


def hf_articles() -> list[Art]:
    arts = []
    for news_id, when, title, paras in HF_TEXT:
        day, time = when.split(" ")
        y, m, d = day.split("-")
        hour, rest = time.split(":", 1)
        a = Art(path=f"/ShowNews.asp?id={news_id}", title=title, date=f"{y}-{int(m):02d}-{int(d):02d} {int(hour):02d}:{rest}",
                paras=list(paras), must_not=["版权所有", "打印此文", "关闭窗口", "点击数"])
        a.extra.update(news_id=news_id, raw=when)
        arts.append(a)
    return arts


def list_paths(count: int) -> list[str]:
    return ["/NewsList.asp?ClassID=3"] + [f"/NewsList.asp?ClassID=3&page={n}" for n in range(2, count + 1)]


def _file(path: str) -> str:
    return path.replace("?", "@", 1)


def put(out: Out, key: str, path: str, data: str, encoding: str = "utf-8") -> None:
    out.put(f"platforms/{key}{_file(path)}", data, encoding)


def build_hfkx(out: Out, arts: list[Art]) -> None:
    home = f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{HF_NAME}</title>
</head>
<frameset rows="138,*" cols="*" frameborder="NO" border="0" framespacing="0">
  <frame src="top.asp" name="topFrame" scrolling="NO" noresize>
  <frameset cols="190,*" frameborder="NO" border="0" framespacing="0">
    <frame src="left.asp" name="leftFrame" scrolling="NO" noresize>
    <frame src="NewsList.asp?ClassID=3" name="mainFrame">
  </frameset>
</frameset>
<noframes><body>您的浏览器不支持框架，请升级浏览器。</body></noframes>
</html>
"""
    put(out, KEY, "/index.htm", home, ENC)
    menu = " | ".join(f'<a href="{u}" target="mainFrame">{n}</a>' for n, u in MENU)
    put(out, KEY, "/top.asp", _shell(HF_NAME, f'<table width="100%"><tr><td height="100" background="images/banner.jpg"></td></tr><tr><td class="menu" align="center">{menu}</td></tr></table>'), ENC)
    left = "".join(f'<tr><td class="left">·<a href="{u}" target="mainFrame">{n}</a></td></tr>' for n, u in MENU[1:])
    put(out, KEY, "/left.asp", _shell(HF_NAME, f'<table width="100%">{left}<tr><td>办公电话：0000-8123456</td></tr></table>'), ENC)
    pages = [arts[i:i + PER_PAGE] for i in range(0, len(arts), PER_PAGE)]
    paths = list_paths(len(pages))
    for n, chunk in enumerate(pages):
        put(out, KEY, paths[n], _shell(f"{HF_NAME}--新闻动态", _list_main(chunk, n, paths, len(arts))), ENC)
    for a in arts:
        put(out, KEY, a.path, _shell(f"{HF_NAME}--{esc(a.title)}", _article_main(a)), ENC)
    put(out, KEY, "/ShowClass.asp?ClassID=1", _shell(f"{HF_NAME}--科协概况", "<p>禾丰县科学技术协会是县委领导下的人民团体，是党和政府联系科技工作者的桥梁和纽带。</p>"), ENC)
    shell = _shell(HF_NAME, '<table width="100%"><tr><td><img src="images/banner.jpg"></td></tr></table>\n'
                   '<iframe src="NewsList.asp?ClassID=3" name="main" width="100%" height="1400" frameborder="0" scrolling="no"></iframe>')
    put(out, KEY, "/default.htm", shell, ENC)  # the other kind of shell: one page-sized <iframe>
    # Protego (the crawl) and RFC 9309 take the longest match (ShowNews.asp allowed); the standard library's
    # parser takes the first (all of /Show… refused); and only Protego knows the * wildcard
    put(out, KEY, "/robots.txt", robots("/admin/", "/inc/", "/Show", "/*?print=1", extra="Allow: /ShowNews.asp\n"))
    urls = "".join(f"<url><loc>{esc(a.path)}</loc><lastmod>{a.day}</lastmod></url>" for a in arts)
    put(out, KEY, "/sitemap.xml", f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n')
    put(out, KEY, "/_site.toml", '# server hints: the sample server maps ?query to @query files\nheader_charset = "gb2312"\nquery_files = true\n')


def _shell(title: str, body: str) -> str:
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}</title>
<link href="css/style.css" rel="stylesheet" type="text/css">
</head>
<body leftmargin="0" topmargin="0">
{body}
</body>
</html>
"""


def _list_main(chunk: list[Art], n: int, paths: list[str], total: int) -> str:
    rows = "\n".join(
        f'<tr><td height="24" class="list">·<a href="{a.path[1:]}" target="_blank">{esc(a.title)}</a></td>'
        f'<td width="120" align="right">[{a.extra["raw"].split(" ")[0]}]</td></tr>' for a in chunk)
    nxt = f'<a href="{paths[n + 1][1:]}">下一页</a>' if n + 1 < len(paths) else "下一页"
    prev = f'<a href="{paths[n - 1][1:]}">上一页</a>' if n else "上一页"
    return f"""<table width="98%" align="center"><tr><td class="title">您的位置：<a href="index.htm" target="_top">网站首页</a> &gt;&gt; 新闻动态</td></tr></table>
<table width="98%" align="center">
{rows}
</table>
<table width="98%" align="center"><tr><td align="center">共{total}条 第{n + 1}/{len(paths)}页 <a href="{paths[0][1:]}">首页</a> {prev} {nxt} <a href="{paths[-1][1:]}">尾页</a></td></tr></table>"""


def _article_main(a: Art) -> str:
    paras = "\n".join(f"<p>　　{esc(p)}</p>" for p in a.paras)
    return f"""<table width="98%" align="center"><tr><td class="title">您的位置：<a href="index.htm" target="_top">网站首页</a> &gt;&gt; <a href="NewsList.asp?ClassID=3">新闻动态</a> &gt;&gt; 正文</td></tr></table>
<table width="98%" align="center">
<tr><td align="center"><h1 class="newstitle">{esc(a.title)}</h1></td></tr>
<tr><td align="center" class="info">作者：佚名　来源：本站原创　点击数：<script src="GetHits.asp?id={a.extra["news_id"]}"></script>　更新时间：{a.extra["raw"]}</td></tr>
<tr><td class="content">
{paras}
</td></tr>
<tr><td align="right">【<a href="javascript:window.print()">打印此文</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
</table>
<table width="98%" align="center"><tr><td align="center" class="copyright">版权所有：{HF_NAME}　地址：禾丰县城关镇人民路8号</td></tr></table>"""


# --- anti-bot replicas ------------------------------------------------------------------------------------

RUISHU = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta id="kVq3Lb8cDrTw" content="uQp2S7kZxGmWc9aHfYtB1vRn0eLdJoXqPiM4sFgTjhKlA8w.OzEbCy6VNr5U3D" r='m'>
<script type="text/javascript" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=41873;$_ts.cd="qGWcrrAlEOqGckaEraqtqGLkcGq5rnWqcGltrOg4EaqtrqLmHfZOqqLkcGq5inWqcG3trugIcGA6cAA3";</script>
<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js" r='m'></script>
</head>
<body>
<script type="text/javascript" r='m'>_$Dk();</script>
</body></html>
"""

VERIFY = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>安全验证</title>
<style>body{font-family:sans-serif;text-align:center;padding-top:80px}.slider{width:300px;height:40px;margin:20px auto;background:#eee}</style>
</head>
<body>
<h3>安全验证</h3>
<p>您的访问请求存在异常，请拖动下方滑块完成验证后继续访问。</p>
<div class="slider" id="nc"></div>
<script src="/waf_verify/slider.js"></script>
<script>initSlider({el: "#nc", onSuccess: function(t){ document.cookie = "waf_ticket=" + t; location.reload(); }});</script>
</body></html>
"""


def build_antibot(out: Out) -> None:
    """Two provincial associations behind challenges: every path answers the challenge page."""
    out.put("platforms/rsjs/_challenge.html", RUISHU)
    out.put("platforms/rsjs/_site.toml", '# server hints: every request gets HTTP 412 and the $_ts challenge\nchallenge = "_challenge.html"\nchallenge_status = 412\n')
    out.put("platforms/aqyz/_challenge.html", VERIFY)
    out.put("platforms/aqyz/_site.toml", '# server hints: every request gets a 200 安全验证 page\nchallenge = "_challenge.html"\nchallenge_status = 200\n')


def build_rsart(out: Out) -> None:
    """A TRS column whose list page is served but whose every article answers 412 and the $_ts page."""
    items = "".join(f'<li><a href="./2024{m:02d}/t2024{m:02d}{d:02d}_{4100 + 7 * m + d}.html">瑞山省科协第{m}月工作动态之{d}</a>'
                    f"<span>2024-{m:02d}-{d:02d}</span></li>" for m in (1, 2, 3) for d in (5, 18, 26))
    out.put("platforms/rsart/xwzx/kxyw/index.html", f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>科协要闻_瑞山省科学技术协会</title></head>
<body><div class="nav"><a href="/">首页</a></div><ul class="list">{items}</ul></body></html>
""")
    out.put("platforms/rsart/_challenge.html", RUISHU)
    out.put("platforms/rsart/_site.toml", '# server hints: the list page is served, every article gets 412 and $_ts\n'
            'challenge = "_challenge.html"\nchallenge_status = 412\nchallenge_only = "^/xwzx/kxyw/\\\\d{6}/"\n')
