"""How `kexie add-site` reads a JSON list API it has never seen: where the API is, and which
JSONPaths (jsonpath-ng syntax, as the site file's [json_api] takes them) lead to the items and to
their URL, title and date.

The API is found where a browser would find it: gkmlpt shells name their SID (the API is
/gkmlpt/api/all/<classify>?page=N&sid=<SID>, the classify being the #fragment of the address a
person copies), other shells build the URL in their scripts (inline or a same-site .js file)
as `"/api/…?…&pageNum=" + n` or with a literal page number. The items are the longest list of
objects in the answer with a field that is an on-site page URL and one that is a headline.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

_GKMLPT_SID = re.compile(r"""\bSID\s*[:=]\s*['"]?(\d+)""")
_API_URL = re.compile(r"""["'](?P<url>(?:https?://[^"'\s]+)?/[^"'\s?]*\?[^"'\s]*?\b(?:page|pageNo|pageNum|pageIndex|"""
                      r"""currentPage|current|curPage)=)(?P<num>\d*)(?P<rest>[^"'\s]*)["']""", re.I)
_SCRIPT_SRC = re.compile(r"""<script[^>]+src=["']([^"']+\.js)(?:\?[^"']*)?["']""", re.I)
_INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.I | re.S)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PAGE_PATH = re.compile(r"\.(?:s?html?|jhtml|jsp|aspx?|php)$|/\d+/?$", re.I)
_DATE_TEXT = re.compile(r"^(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}")
_TOTAL_KEYS = ("total", "totalCount", "totalRecord", "totalElements", "recordsTotal", "count", "totalNum")


def gkmlpt_template(url: str, text: str) -> str | None:
    """The gkmlpt API of a /gkmlpt/ shell page (its SID in the page's script), or None."""
    parts = urlsplit(url)
    sid = _GKMLPT_SID.search(text)
    if "/gkmlpt/" not in parts.path or sid is None:
        return None
    root = parts.path[: parts.path.index("/gkmlpt/")]
    classify = parts.fragment if parts.fragment.isdigit() else "0"
    return f"{root}/gkmlpt/api/all/{classify}?page={{page}}&sid={sid[1]}"


def script_templates(text: str) -> list[str]:
    """API URL templates ({page} for the page number) a script builds."""
    found = []
    for match in _API_URL.finditer(text):
        found.append(f"{match['url']}{{page}}{match['rest']}")
    return list(dict.fromkeys(found))


def script_sources(html: str, url: str) -> tuple[str, list[str]]:
    """The inline scripts' text and the same-site script files a shell loads."""
    inline = "\n".join(_INLINE.findall(html))
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    files = [urljoin(url, src) for src in _SCRIPT_SRC.findall(html)]
    return inline, [f for f in dict.fromkeys(files) if f.startswith(origin + "/")]


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else f"'{name}'"


def _lists(data: Any, path: str = "$") -> list[tuple[str, list[dict[str, Any]], dict[str, Any] | None]]:
    """Every list of objects in the answer: (JSONPath of its items, the objects, the object holding it)."""
    found: list[tuple[str, list[dict[str, Any]], dict[str, Any] | None]] = []
    if isinstance(data, dict):
        for name, value in data.items():
            child = f"{path}.{_key(name)}"
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                found.append((f"{child}[*]", value, data))
            found += _lists(value, child)
    return found


def _share(items: list[dict[str, Any]], key: str, test: Any) -> float:
    return sum(bool(test(item.get(key))) for item in items) / len(items)


def _is_page_url(value: Any, origin: str) -> bool:
    if not isinstance(value, str) or not value.strip() or _CJK.search(value):
        return False
    absolute = urljoin(origin + "/", value.strip())
    return absolute.startswith(origin + "/") and bool(_PAGE_PATH.search(urlsplit(absolute).path))


def _is_date(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return 9 <= len(str(int(value))) <= 13
    return isinstance(value, str) and bool(_DATE_TEXT.match(value.strip()))


def _date_rank(key: str) -> int:
    name = key.lower()
    if re.search(r"updat|modif|end|expir|last", name):
        return 9
    return next((rank for rank, word in enumerate(("first_publish", "publish", "pub", "date", "time", "creat"))
                 if word in name), 8)


def describe(data: Any, origin: str) -> dict[str, str] | None:
    """The [json_api] paths of an API answer, or None when no list in it holds on-site article links."""
    best: tuple[int, dict[str, str]] | None = None
    for path, items, holder in _lists(data):
        keys = list(dict.fromkeys(k for item in items for k in item))
        links = [k for k in keys if _share(items, k, lambda v: _is_page_url(v, origin)) >= 0.8]
        titles = [k for k in keys if k not in links and _share(items, k, lambda v: isinstance(v, str)
                                                                and len(_CJK.findall(v)) >= 4) >= 0.8]
        if not links or not titles:
            continue
        title = max(titles, key=lambda k: sum(len(str(i.get(k, ""))) for i in items))
        found = {"items": path, "link": _key(min(links, key=lambda k: (k.lower() not in ("url", "link"), k))),
                 "title": _key(title)}
        dates = sorted((k for k in keys if _share(items, k, _is_date) >= 0.8), key=lambda k: (_date_rank(k), k))
        if dates and _date_rank(dates[0]) < 9:
            found["date"] = _key(dates[0])
        totals = [k for k in _TOTAL_KEYS if holder is not None and isinstance(holder.get(k), int)]
        if totals:
            found["total"] = path.rsplit(".", 1)[0] + "." + totals[0]
        if best is None or len(items) > best[0]:
            best = (len(items), found)
    return best[1] if best else None
