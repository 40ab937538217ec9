# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""ylkx — 云岭市科协, a TRS WCM site: the column's pager is written by `createPageHTML(…)` in a
script (links exist only once page.js runs), articles are linked relatively as
./YYYYMM/tYYYYMMDD_ID.html, their heads carry the government-site meta tags TRS templates emit
(SiteName, ColumnName, ArticleTitle, PubDate, ContentSource…), their bodies sit in a
`<div class="TRS_Editor">` with the editor's own <style> inside.
"""

from __future__ import annotations

from .common import Art, Out, esc, robots, site_toml
from .texts_ylkx import YL_NAME, YL_NAV, YL_TEXT

KEY = "ylkx"
COLUMN = "/xwzx/gzdt/"
PER_PAGE = 4

# TRS's page.js, rewritten here: first page index.html, then index_1.html … index_{n-1}.html
PAGE_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  function name(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  document.write(nCurrIndex == 0 ? "首页 " : "<a href=\\"" + name(0) + "\\">首页</a> ");
  document.write(nCurrIndex == 0 ? "上一页 " : "<a href=\\"" + name(nCurrIndex - 1) + "\\">上一页</a> ");
  document.write(nCurrIndex + 1 >= _nPageCount ? "下一页 " : "<a href=\\"" + name(nCurrIndex + 1) + "\\">下一页</a> ");
  document.write(nCurrIndex + 1 >= _nPageCount ? "尾页" : "<a href=\\"" + name(_nPageCount - 1) + "\\">尾页</a>");
  document.write("&nbsp;共" + _nPageCount + "页");
}
"""


def yl_articles() -> list[Art]:
    arts = []
    for doc_id, when, source, title, paras in YL_TEXT:
        day = when[:10].replace("-", "")
        a = Art(path=f"{COLUMN}{day[:6]}/t{day}_{doc_id}.html", title=title, date=when, paras=list(paras),
                source=source, must_not=["版权所有", "打印本页", "关闭窗口", "分享到", "上一篇", "下一篇"])
        a.extra.update(doc_id=doc_id)
        arts.append(a)
    return arts


def list_paths(count: int) -> list[str]:
    return [f"{COLUMN}index.html"] + [f"{COLUMN}index_{n}.html" for n in range(1, count)]


def build_ylkx(out: Out, arts: list[Art]) -> None:
    pages = [arts[i:i + PER_PAGE] for i in range(0, len(arts), PER_PAGE)]
    for n, (path, chunk) in enumerate(zip(list_paths(len(pages)), pages, strict=True)):
        out.site(KEY, path, _page(f"工作动态_{YL_NAME}", _column_meta(), _list_main(chunk, n, len(pages))))
    for i, a in enumerate(arts):
        near = (arts[i - 1] if i else None, arts[i + 1] if i + 1 < len(arts) else None)
        out.site(KEY, a.path, _page(f"{esc(a.title)}_工作动态_{YL_NAME}", _article_meta(a), _article_main(a, near)))
    out.site(KEY, "/js/page.js", PAGE_JS)
    out.site(KEY, "/robots.txt", robots("/was5/", "/manage/"))
    out.site(KEY, "/_site.toml", site_toml("utf-8", "TRS WCM publishes UTF-8 with a true header"))


def _column_meta() -> str:
    return (f'<meta name="SiteName" content="{YL_NAME}">\n<meta name="SiteDomain" content="www.ylkx.example">\n'
            '<meta name="ColumnName" content="工作动态">\n<meta name="ColumnType" content="工作动态">\n'
            f'<meta name="ColumnDescription" content="{YL_NAME}工作动态">\n<meta name="ColumnKeywords" content="科协,工作动态">')


def _article_meta(a: Art) -> str:
    return (_column_meta() + f'\n<meta name="ArticleTitle" content="{esc(a.title)}">\n<meta name="PubDate" content="{a.date}">\n'
            f'<meta name="ContentSource" content="{esc(a.source)}">\n<meta name="Keywords" content="">\n<meta name="Author" content="">\n'
            f'<meta name="Description" content="{esc(a.paras[0][:60])}">\n<meta name="Url" content="http://www.ylkx.example{a.path}">')


def _page(title: str, meta: str, main: str) -> str:
    nav = "".join(f'<li><a href="{u}">{n}</a></li>' for n, u in YL_NAV)
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title}</title>
{meta}
<link rel="stylesheet" href="/images/style.css">
<script src="/js/jquery.min.js"></script>
<script src="/js/page.js"></script>
</head>
<body>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="{YL_NAME}"></div>
<div class="search"><form action="/was5/web/search" method="get" target="_blank"><input type="hidden" name="channelid" value="230781"><input name="searchword" type="text" placeholder="请输入关键字"><button type="submit">搜索</button></form></div></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="main">
{main}
</div>
<div class="footer"><p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p>
<p>版权所有：{YL_NAME}　主办：{YL_NAME}　地址：云岭市翠湖北路18号　电话：0871-65550000</p>
<p>滇ICP备05001234号-1　滇公网安备 53010202000123号　网站标识码：5301000099</p></div>
</body>
</html>
"""


def _list_main(chunk: list[Art], n: int, count: int) -> str:
    items = "\n".join(
        f'<li><a href="./{a.path[len(COLUMN):]}" target="_blank" title="{esc(a.title)}">{esc(a.title)}</a><span>{a.day}</span></li>'
        for a in chunk)
    return f"""<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt; <a href="./">工作动态</a></div>
<div class="list_title">工作动态</div>
<ul class="list">
{items}
</ul>
<div class="page"><script type="text/javascript">
var countPage = {count}//共多少页
createPageHTML(countPage, {n}, "index", "html");
</script></div>"""


def _pre_next(a: Art, near: tuple[Art | None, Art | None]) -> str:
    """上一篇 / 下一篇, linked relatively as TRS writes them (../YYYYMM/t…html)."""
    def link(label: str, b: Art | None) -> str:
        return f'<p>{label}：<a href="../{b.path[len(COLUMN):]}">{esc(b.title)}</a></p>' if b else f"<p>{label}：没有了</p>"

    return f'<div class="pre_next">{link("上一篇", near[0])}{link("下一篇", near[1])}</div>'


def _article_main(a: Art, near: tuple[Art | None, Art | None]) -> str:
    paras = "\n".join(f'<p style="text-indent: 2em;">{esc(p)}</p>' for p in a.paras)
    return f"""<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt; <a href="../">工作动态</a></div>
<div class="article">
<h1>{esc(a.title)}</h1>
<div class="info">发布时间：{a.date}　来源：{esc(a.source)}　【字体：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】</div>
<div class="content" id="zoom">
<div class="TRS_Editor"><style type="text/css">
.TRS_Editor P{{margin-top:0px;margin-bottom:12px;line-height:1.8;font-family:宋体;font-size:12pt;}}.TRS_Editor DIV,.TRS_Editor TD,.TRS_Editor TH,.TRS_Editor SPAN{{line-height:1.8;font-family:宋体;font-size:12pt;}}
</style>
<div class="Custom_UnionStyle">
{paras}
</div></div>
</div>
<div class="share">分享到：<a href="javascript:void(0)">微信</a> <a href="javascript:void(0)">微博</a></div>
{_pre_next(a, near)}
<div class="tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>"""
