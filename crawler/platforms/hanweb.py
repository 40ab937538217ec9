"""Hanweb (大汉) jpage columns: the list in an XML data island, later groups from dataproxy.jsp.

A column page /col/colNNN/index.html carries its first records inside
`<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href=…>]]></record>`, which
Scrapy's LinkExtractor never reads (it skips <script>). The page's own script names the proxy
(`proxyUrl:'/module/web/jpage/dataproxy.jsp'`, or morecolumndataproxy.jsp for "load more"
columns), the form fields (`var param_2410 = {col:1,appid:1,webid:1,path:'/',columnid:352,…}` or
`ajaxParam:{…}`), totalRecord, perPage and groupSize. The proxy answers
`…dataproxy.jsp?startrecord=46&endrecord=90&perpage=15` plus those fields (POST form or query
string: the JSP reads both alike) with `<datastore><totalrecord>137</totalrecord><recordset>
<record><![CDATA[…]]></record>…`. The crawl POSTs the form as the browser does and also puts the
fields in the query string, so a proxy URL alone says everything (the frontier resumes it with a
GET, as RSSHub's and other public crawlers ask). Pure functions: text in, links out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import lxml.html

from crawler.platforms import Listed

FORM_FIELDS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
               "permissiontype", "keyWordCount", "b_vir", "virinfos")
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_PROXY = re.compile(r"""['"]([^'"\s]*?/(?:more)?(?:column)?dataproxy\.jsp)[?'"]""")
_PARAMS = re.compile(r"(?:var\s+param_\w+\s*=|ajaxParam\s*:)\s*\{([^{}]*)\}")
_PAIR = re.compile(r"""(\w+)\s*:\s*(?:'([^']*)'|"([^"]*)"|([\w.%/-]+))""")
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=['\"]([^'\"]*dataproxy\.jsp\?[^'\"]*)", re.S)
_NUMBER = {key: re.compile(rf"\b{key}\s*[:=]\s*['\"]?(\d+)", re.I) for key in ("totalRecord", "perPage", "groupSize")}
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})(?!\d)")


@dataclass
class JPage:
    """The paging a column page's script declares."""

    proxy: str  # absolute URL of dataproxy.jsp (or morecolumndataproxy.jsp)
    form: dict[str, str] = field(default_factory=dict)
    total: int | None = None
    per_page: int = 15
    group_size: int = 3

    def url(self, start: int, end: int) -> str:
        """The proxy URL for records start..end (1-based, inclusive)."""
        query = {"startrecord": str(start), "endrecord": str(end), "perpage": str(self.per_page), **self.form}
        return f"{self.proxy}?{urlencode(query)}"


def post_form(url: str) -> str:
    """The form a browser POSTs to the proxy: the query's fields less the record range."""
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    return urlencode([(k, v) for k, v in query if k not in ("startrecord", "endrecord", "perpage")])


def is_proxy(url: str) -> bool:
    return urlsplit(url).path.endswith("dataproxy.jsp")


def recognise(text: str) -> bool:
    """Whether a page is a Hanweb jpage column (a data island or a proxy in its script)."""
    return "<datastore" in text or _PROXY.search(text) is not None


def records(text: str, base: str) -> list[tuple[str, str, str]]:
    """(absolute URL, title, date shown or "") of each <record>'s first link, in list order."""
    found = []
    for fragment in _RECORD.findall(text):
        if not fragment.strip():
            continue
        try:
            node = lxml.html.fragment_fromstring(fragment, create_parent="div")
        except (ValueError, lxml.etree.ParserError):
            continue
        links = node.xpath(".//a[@href]")
        href = links[0].get("href", "").strip() if links else ""
        if not href or href.startswith(("javascript:", "#")):
            continue
        title = links[0].get("title") or " ".join(links[0].text_content().split())
        shown = _DATE.search(node.text_content())
        date = f"{shown[1]}-{int(shown[2]):02d}-{int(shown[3]):02d}" if shown else ""
        found.append((urljoin(base, href), title, date))
    return found


def record_links(text: str, base: str) -> list[tuple[str, str]]:
    """(absolute URL, date shown or "") of each record, in list order."""
    return [(url, date) for url, _, date in records(text, base)]


def jpage(text: str, base: str) -> JPage | None:
    """The paging declared by a column page's script, or None when it declares none."""
    proxy = _PROXY.search(text)
    nextgroup = _NEXTGROUP.search(text)
    if proxy is None and nextgroup is None:
        return None
    form: dict[str, str] = {}
    if params := _PARAMS.search(text):
        for key, quoted, double, bare in _PAIR.findall(params[1]):
            form[key] = quoted or double or bare
    elif nextgroup:  # older columns: the fields ride in the nextgroup link's query
        href = nextgroup[1].replace("&amp;", "&")
        form = {k: v for k, v in parse_qsl(urlsplit(href).query, keep_blank_values=True) if k in FORM_FIELDS}
    numbers = {key: int(m[1]) for key, rx in _NUMBER.items() if (m := rx.search(text))}
    target = proxy[1] if proxy else nextgroup[1].split("?")[0] if nextgroup else ""
    return JPage(proxy=urljoin(base, target), form=form, total=numbers.get("totalRecord"),
                 per_page=numbers.get("perPage") or 15, group_size=numbers.get("groupSize") or 3)


def column_page(text: str, url: str) -> Listed:
    """A column page: the data island's records and the first proxy group after them."""
    links = record_links(text, url)
    listed = Listed(articles=[u for u, _ in links], dates={u: d for u, d in links if d})
    paging = jpage(text, url)
    if paging is not None and paging.form and (paging.total is None or len(links) < paging.total):
        group = paging.per_page * paging.group_size
        listed.lists.append(paging.url(len(links) + 1, len(links) + group))
    return listed


def proxy_page(text: str, url: str) -> Listed:
    """A proxy answer: its records, and the next group while records remain (totalrecord)."""
    links = record_links(text, url)
    listed = Listed(articles=[u for u, _ in links], dates={u: d for u, d in links if d}, only=True)
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    total = _TOTAL.search(text)
    try:
        start, end = int(query["startrecord"]), int(query["endrecord"])
    except (KeyError, ValueError):
        return listed
    if links and total and end < int(total[1]):
        query.update(startrecord=str(end + 1), endrecord=str(end + end - start + 1))
        listed.lists.append(url.split("?")[0] + "?" + urlencode(query))
    return listed


def list_page(text: str, url: str) -> Listed | None:
    """Links of a Hanweb list response, or None when it is not one."""
    if is_proxy(url):
        return proxy_page(text, url)
    return column_page(text, url) if recognise(text) else None
