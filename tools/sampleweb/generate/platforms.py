# ruff: noqa: E501  (HTML templates are long lines on purpose)
"""The platform replicas: jnast (Hanweb jpage), lnast (gkmlpt JSON API), hzkx (a Vue shell over JSON).

Built from the real formats (see crawler/platforms/): Hanweb column pages keep their first
records in a <script type="text/xml"> data island and page through dataproxy.jsp (the "load
more" column through morecolumndataproxy.jsp); articles carry ArticleTitle/PubDate/ContentSource
meta tags under a <title> that names only the site. One record leads to a script redirect shell.
gkmlpt lists come from /gkmlpt/api/all/5?page=N&sid=2 with Unix-time dates and absolute URLs;
some of its article pages show no date, so the list's date is the one to keep.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from dateutil import tz

from .common import Art, Out, esc, robots, site_toml
from .texts_platforms import HZ_NEWS, JN_NEWS, JN_NOTICES, JN_SHELL, LN_POSTS

JN, LN, HZ = "jnast", "lnast", "hzkx"
JN_NAME, LN_NAME, HZ_NAME = "江南市科学技术协会", "岭南市科学技术协会", "海州区科学技术协会"
SHANGHAI = tz.gettz("Asia/Shanghai")


def _hanweb_path(column: int, aid: int, date: str) -> str:
    y, m, d = (int(x) for x in date[:10].split("-"))
    return f"/art/{y}/{m}/{d}/art_{column}_{aid}.html"


def jn_articles() -> list[Art]:
    arts = [Art(path=_hanweb_path(352, aid, dt), title=t, date=dt, paras=p) for aid, dt, t, p in JN_NEWS]
    arts += [Art(path=_hanweb_path(353, aid, dt), title=t, date=dt, paras=p) for aid, dt, t, p in JN_NOTICES]
    return arts


def ln_articles() -> list[Art]:
    return [Art(path=f"/gkmlpt/content/5/{aid // 1000}/post_{aid}.html", title=t, date=dt[:10] if shown else dt,
                paras=p, extra={"aid": aid, "shown": shown, "when": dt}) for aid, dt, t, p, shown in LN_POSTS]


def hz_articles() -> list[Art]:
    return [Art(path=f"/news/detail/{aid}.html", title=t, date=dt, paras=p, extra={"aid": aid}) for aid, dt, t, p in HZ_NEWS]


def _page(title: str, head: str, body: str) -> str:
    return f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n'


_JN_NAV = '<div class="top"><div class="logo">江南市科学技术协会</div><ul class="nav"><li><a href="/col/col352/index.html">科协要闻</a></li><li><a href="/col/col353/index.html">通知公告</a></li></ul></div>'
_JN_FOOT = '<div class="foot">主办单位：江南市科学技术协会 &nbsp; 网站标识码：3209000001 &nbsp; 苏ICP备12345678号</div>'


def _record(path: str, title: str, date: str) -> str:
    return f'<li><a href="{path}" target="_blank" title="{esc(title)}">{esc(title)}</a><span class="date">{date[:10]}</span></li>'


def build_jnast(out: Out, arts: list[Art]) -> None:
    news, notices = arts[: len(JN_NEWS)], arts[len(JN_NEWS):]
    shell_id, target_id = JN_SHELL
    records: dict[str, list[str]] = {"352": [], "353": []}
    for a in news:
        path = a.path.replace(f"_{target_id}.", f"_{shell_id}.") if a.path.endswith(f"_{target_id}.html") else a.path
        records["352"].append(_record(path, a.title, a.date))
        if path != a.path:
            out.site(JN, path, _page(JN_NAME, "", f"<script type=\"text/javascript\">window.location.href='{a.path}';</script>\n<p>页面跳转中……</p>"))
    records["353"] = [_record(a.path, a.title, a.date) for a in notices]
    per_page, group = 2, 2
    island = "\n".join(f"<record><![CDATA[\n{r}\n]]></record>" for r in records["352"][: per_page * group])
    param = "{col:1,appid:1,webid:1,path:'/',columnid:352,sourceContentType:1,unitid:'2410',webname:'江南市科学技术协会',permissiontype:0}"
    col352 = f"""<div id="2410"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=352&unitid=2410&webname=%E6%B1%9F%E5%8D%97%E5%B8%82%E7%A7%91%E5%AD%A6%E6%8A%80%E6%9C%AF%E5%8D%8F%E4%BC%9A&permissiontype=0"></a>]]></nextgroup>
<recordset>
{island}
</recordset>
</datastore></script>
<script type="text/javascript">
var param_2410 = {param};
$(document).ready(function(){{ $('#2410').jpage({{ dataStore: $('#2410 script[type="text/xml"]'), perPage:{per_page}, totalRecord:{len(records["352"])}, groupSize:{group}, dataBefore:'<ul class="list">', dataAfter:'</ul>', proxyUrl:'/module/web/jpage/dataproxy.jsp', ajaxParam:param_2410, pageInfo:true }}); }});
</script></div>"""
    col353 = """<ul class="list" id="morecolumn"></ul><a class="more" href="javascript:void(0)" onclick="loadMore()">加载更多</a>
<script type="text/xml"><datastore><recordset></recordset></datastore></script>
<script type="text/javascript">
var param_2411 = {col:1,appid:1,webid:1,path:'/',columnid:'353',sourceContentType:3,unitid:'2411',keyWordCount:30,webname:'江南市科学技术协会'};
var startrecord = 1, perPage = 2;
function loadMore(){ $.post('/module/web/jpage/morecolumndataproxy.jsp?startrecord=' + startrecord + '&endrecord=' + (startrecord + perPage - 1) + '&perpage=' + perPage, param_2411, function(xml){ /* append the records */ }); startrecord += perPage; }
$(function(){ loadMore(); });
</script>"""
    for column, name, main in ((352, "科协要闻", col352), (353, "通知公告", col353)):
        body = f'{_JN_NAV}\n<div class="main"><div class="position">您当前的位置：首页 &gt; {name}</div><div class="lm-name">{name}</div>\n{main}\n</div>\n{_JN_FOOT}'
        out.site(JN, f"/col/col{column}/index.html", _page(f"{name} {JN_NAME}", f'<meta name="SiteName" content="{JN_NAME}">\n<meta name="ColumnName" content="{name}">', body))
    for a, column in [(a, 352) for a in news] + [(a, 353) for a in notices]:
        name = "科协要闻" if column == 352 else "通知公告"
        head = (f'<meta name="SiteName" content="{JN_NAME}">\n<meta name="SiteDomain" content="www.jnast.example">\n<meta name="ColumnName" content="{name}">\n'
                f'<meta name="ArticleTitle" content="{esc(a.title)}">\n<meta name="PubDate" content="{a.date}">\n<meta name="ContentSource" content="江南市科协">')
        paras = "\n".join(f'<p style="text-indent:2em;">{esc(p)}</p>' for p in a.paras)
        body = (f'{_JN_NAV}\n<div class="main"><div class="position">您当前的位置：首页 &gt; {name}</div>\n<div class="art-title">{esc(a.title)}</div>\n'
                f'<div class="art-info">发布日期：{a.date[:10]} &nbsp;&nbsp; 信息来源：江南市科协 &nbsp;&nbsp; 浏览次数：<span id="hits"></span></div>\n'
                f'<div id="zoom">\n{paras}\n</div>\n<div class="art-tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>\n</div>\n{_JN_FOOT}')
        out.site(JN, a.path, _page(JN_NAME, head, body))
    # the home page is a redirect shell to the news column, as many portals' "/" is
    out.site(JN, "/index.html", _page(JN_NAME, '<script type="text/javascript">window.location.href = "/col/col352/index.html";</script>', "<p>正在进入江南市科学技术协会网站……</p>"))
    out.site(JN, "/_dynamic.json", json.dumps({"hanweb": records}, ensure_ascii=False, indent=1))
    out.site(JN, "/robots.txt", robots("/module/web/jpage/jquery/"))
    out.site(JN, "/_site.toml", site_toml("utf-8", "Hanweb replica: dataproxy.jsp answers from _dynamic.json"))


def _epoch(when: str) -> int:
    return int(datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI).timestamp())


def _json_pages(items: list[dict[str, Any]], size: int, first: int, wrap: Any) -> dict[str, Any]:
    pages = {str(first + i): wrap(items[i * size:(i + 1) * size]) for i in range(-(-len(items) // size))}
    return {"pages": pages, "beyond": wrap([])}


def build_lnast(out: Out, arts: list[Art]) -> None:
    items = [{"id": a.extra["aid"], "title": a.title, "url": "{origin}" + a.path, "publisher": LN_NAME,
              "document_number": f"岭科协〔2024〕{i + 3}号", "date": _epoch(a.extra["when"]),
              "first_publish_time": _epoch(a.extra["when"]), "display_publish_time": _epoch(a.extra["when"])}
             for i, a in enumerate(arts)]
    api = _json_pages(items, 2, 1, lambda chunk: {"classify": {"id": 5, "name": "通知公告"}, "total": len(items), "articles": chunk})
    out.site(LN, "/_dynamic.json", json.dumps({"json": {"/gkmlpt/api/all/5": {"param": "page", **api}}}, ensure_ascii=False, indent=1))
    shell = ('<script type="text/javascript">\nwindow.GKMLPT_CONFIG = { SID: \'2\', TITLE: \'岭南市科学技术协会\', ROOT: \'/gkmlpt/\', API: \'/gkmlpt/api/all/\' };\n</script>\n'
             '<script type="text/javascript" src="/gkmlpt/static/js/gkmlpt.js"></script>')
    out.site(LN, "/gkmlpt/index.html", _page(f"政府信息公开_{LN_NAME}", shell, '<div id="app"></div>\n<noscript>请开启浏览器的JavaScript功能后访问政府信息公开目录。</noscript>'))
    for a in arts:
        shown = f'<tr><th>发布日期</th><td>{a.date}</td></tr>' if a.extra["shown"] else ""
        table = f'<table class="classify"><tr><th>索引号</th><td>11440100MB2C{a.extra["aid"]}/2024-0{a.extra["aid"] % 7}</td></tr><tr><th>发布机构</th><td>{LN_NAME}</td></tr>{shown}</table>'
        paras = "\n".join(f"<p>{esc(p)}</p>" for p in a.paras)
        body = f'<div class="header">{LN_NAME}政府信息公开</div>\n<div class="content">{table}\n<h1 class="title">{esc(a.title)}</h1>\n<div class="article-content">\n{paras}\n</div></div>\n<div class="footer">版权所有：{LN_NAME} 粤ICP备00000000号</div>'
        out.site(LN, a.path, _page(f"{esc(a.title)} - {LN_NAME}", "", body))
    out.site(LN, "/robots.txt", robots())
    out.site(LN, "/_site.toml", site_toml("utf-8", "gkmlpt replica: the API answers from _dynamic.json"))


def build_hzkx(out: Out, arts: list[Art]) -> None:
    items = [{"articleId": a.extra["aid"], "title": a.title, "linkUrl": a.path, "publishTime": a.date + ":00", "channelName": "工作动态"} for a in arts]
    api = _json_pages(items, 3, 1, lambda chunk: {"code": 200, "msg": "操作成功", "data": {"records": chunk, "total": len(items), "size": 3}})
    out.site(HZ, "/_dynamic.json", json.dumps({"json": {"/api/cms/article/list": {"param": "pageNum", **api}}}, ensure_ascii=False, indent=1))
    head = '<link href="/static/css/app.css" rel="stylesheet">\n<script defer="defer" src="/static/js/app.js"></script>'
    out.site(HZ, "/news/index.html", _page(f"工作动态 - {HZ_NAME}", head, "<noscript><strong>We're sorry but this site doesn't work properly without JavaScript enabled. Please enable it to continue.</strong></noscript>\n<div id=\"app\"></div>"))
    out.site(HZ, "/static/js/app.js", '(function(){var e=1;function t(n){return fetch("/api/cms/article/list?channelId=12&pageSize=3&pageNum="+n).then(function(r){return r.json()})}t(e).then(function(d){window.__list=d.data.records})})();\n')
    for a in arts:
        paras = "\n".join(f"<p>{esc(p)}</p>" for p in a.paras)
        body = f'<div id="app"><div class="header">{HZ_NAME}</div><div class="detail"><h2 class="detail-title">{esc(a.title)}</h2><div class="detail-info">发布时间：{a.date}:00 &nbsp; 来源：海州区科协</div>\n<div class="detail-content">\n{paras}\n</div></div><div class="footer">版权所有 © {HZ_NAME}</div></div>'
        out.site(HZ, a.path, _page(f"{esc(a.title)} - {HZ_NAME}", "", body))
    out.site(HZ, "/robots.txt", robots())
    out.site(HZ, "/_site.toml", site_toml("utf-8", "Vue shell replica: the API answers from _dynamic.json"))
