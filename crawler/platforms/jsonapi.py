"""JSON list APIs: a list page that is an empty shell its script fills from JSON.

Guangdong's gkmlpt (`/gkmlpt/api/all/5?page=1&sid=2` answering `{"articles": [{"title", "url",
"first_publish_time": 1700000000, …}], "total": 137}`) and the APIs Vue or React front ends call
(`{"code": 200, "data": {"list": [{"title", "linkUrl", "publishTime"}], "total": 9}}`) are read
the same way: a site file's [json_api] says the URL (with {page}), and as JSONPath (jsonpath-ng)
where the items are and which fields hold the URL, the title and the date. Pages are asked for
one after another until a page is empty or `total` items have been listed. Pure functions.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from dateutil import tz
from jsonpath_ng.ext import parse

from crawler.platforms import Listed
from siteconfig.platforms import JsonApi

SHANGHAI = tz.gettz("Asia/Shanghai")
_SIZE = re.compile(r"[?&](?:pageSize|page_size|pagesize|size|limit|rows|perPage|per_page)=(\d+)(?:&|$)", re.I)


def page_url(api: JsonApi, base: str, page: int) -> str:
    """The API's URL for one page, resolved against the site's base_url."""
    ref = api.url.replace("{page}", str(page))
    return urljoin(base.rstrip("/") + "/", ref.lstrip("/")) if ref.startswith("/") else ref


def page_of(api: JsonApi, base: str, url: str) -> int | None:
    """The page number of an API URL, or None when the URL is not the API's."""
    marker = "987654321"
    first, _, rest = page_url(api, base, int(marker)).partition(marker)
    if not (url.startswith(first) and url.endswith(rest)) or len(url) <= len(first) + len(rest):
        return None
    middle = url[len(first):len(url) - len(rest)]
    return int(middle) if middle.isdigit() else None


def _first(path: str, item: Any) -> Any:
    if not path:
        return None
    found = parse(path).find(item)
    return found[0].value if found else None


def date_value(value: Any) -> str:
    """A list date as text the date stage parses: Unix seconds (or milliseconds) become ISO 8601."""
    if isinstance(value, bool) or value in (None, ""):
        return ""
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit() and len(value) >= 9):
        seconds = float(value) / (1000 if float(value) > 1e11 else 1)
        return datetime.fromtimestamp(seconds, SHANGHAI).isoformat()
    return str(value).strip()


def api_page(api: JsonApi, base: str, text: str, url: str) -> Listed:
    """An API answer: its articles with their list dates, and the next page while there are more.

    Raises ValueError when the answer is not JSON."""
    data = json.loads(text)
    items = [match.value for match in parse(api.items).find(data)]
    listed = Listed(only=True)
    for item in items:
        link = _first(api.link, item)
        if not isinstance(link, str) or not link.strip():
            continue
        article = urljoin(url, link.strip())
        listed.articles.append(article)
        if shown := date_value(_first(api.date, item)):
            listed.dates[article] = shown
    page = page_of(api, base, url)
    total = _first(api.total, data) if api.total else None
    listed_so_far = None if page is None else (page - api.first_page + 1) * len(items)
    size = _SIZE.search(url)
    more = bool(items) and not (isinstance(total, int) and listed_so_far is not None and listed_so_far >= total) \
        and not (size and len(items) < int(size[1]))  # a short page is the last one
    if more and page is not None:
        listed.lists.append(page_url(api, base, page + 1))
    return listed


def list_page(api: JsonApi, base: str, text: str, url: str) -> Listed:
    """A shell page leads to the API's first page; an API answer is read as above."""
    if page_of(api, base, url) is not None:
        return api_page(api, base, text, url)
    return Listed(lists=[page_url(api, base, api.first_page)])
