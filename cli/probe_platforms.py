"""`kexie add-site` on platform pages (crawler/platforms/): Hanweb jpage columns, JSON-API shells
and redirect shells, recognised from the page itself.

A Hanweb column's articles are in its data island and behind dataproxy.jsp, which the probe asks
for once (GET, the fields from the page's script) to see a second list page. A shell's API is
found by cli/probe_json.py; its first two pages stand for the list pages, their items' URL and
title for the links. The links then go through the same shape analysis as any list page's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from cli.probe_fetch import Fetched, Fetcher
from cli.probe_json import describe, gkmlpt_template, script_sources, script_templates
from cli.probe_shapes import Link
from crawler.platforms import hanweb
from crawler.platforms.jsonapi import date_value
from crawler.platforms.shells import redirect_target
from extract.decode import decode_body

MAX_SHELL_HOPS = 3
MAX_SCRIPTS = 3  # same-site .js files read looking for the API


@dataclass
class PlatformFound:
    platform: str  # "hanweb" or "json_api"
    pages: list[list[Link]]  # the links of the start page and of one more list page (proxy group, API page)
    json_api: dict[str, Any] = field(default_factory=dict)  # the [json_api] table
    note: str = ""  # for the site file's comment
    dates: dict[str, str] = field(default_factory=dict)  # URL -> the date the list shows


def _text(got: Fetched) -> str:
    return decode_body(got.body, got.content_type).text or ""


def follow_shells(got: Fetched, fetcher: Fetcher) -> Fetched:
    """The page a redirect shell (meta refresh, location.href) sends the browser to, on the same site."""
    for _ in range(MAX_SHELL_HOPS):
        target = redirect_target(got.body, got.url)
        if target is None or urlsplit(target).netloc != urlsplit(got.url).netloc or target == got.url:
            return got
        got = fetcher.get(target)
    return got


def recognise(got: Fetched, start_url: str, fetcher: Fetcher) -> PlatformFound | None:
    """A Hanweb column or a gkmlpt shell, known from the page's own markup; None for other pages."""
    text = _text(got)
    if hanweb.recognise(text):
        return _hanweb(text, got.url, fetcher)
    if template := gkmlpt_template(start_url, text):
        return _json_api(template, got.url, fetcher)
    return None


def json_shell(got: Fetched, fetcher: Fetcher) -> PlatformFound | None:
    """A page without article links whose scripts call a JSON list API: that API, or None."""
    inline, files = script_sources(_text(got), got.url)
    templates = script_templates(inline)
    for url in files[:MAX_SCRIPTS]:
        if templates:
            break
        script = fetcher.try_get(url)
        templates += script_templates(script.body.decode("utf-8", "replace")) if script else []
    for template in templates[:2]:
        if found := _json_api(template, got.url, fetcher):
            return found
    return None


def _hanweb(text: str, url: str, fetcher: Fetcher) -> PlatformFound:
    entries = hanweb.records(text, url)
    pages = [[Link(u, t) for u, t, _ in entries]]
    paging = hanweb.jpage(text, url)
    note = f"Hanweb jpage column: {len(entries)} records in the page's data island"
    if paging is not None and paging.form:
        group = paging.per_page * paging.group_size
        more = fetcher.try_get(paging.url(len(entries) + 1, len(entries) + group))
        if more is not None:
            pages.append([Link(u, t) for u, t, _ in hanweb.records(_text(more), more.url)])
            note += f", {len(pages[-1])} more from {urlsplit(paging.proxy).path}"
    return PlatformFound("hanweb", pages, note=note, dates={u: d for u, _, d in entries if d})


def _json_api(template: str, page_url: str, fetcher: Fetcher) -> PlatformFound | None:
    parts = urlsplit(page_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if template.startswith(origin + "/"):
        template = template[len(origin):]
    for first in (1, 0):
        answer = _json(fetcher, _page(template, origin, first))
        found = describe(answer, origin) if answer is not None else None
        if found is None:
            continue
        api: dict[str, Any] = {"url": template, "first_page": first, **found}
        dates: dict[str, str] = {}
        pages = [_links(answer, api, origin, dates)]
        if (second := _json(fetcher, _page(template, origin, first + 1))) is not None:
            pages.append(_links(second, api, origin, dates))
        note = f"JSON list API: {len(pages[0])} items on its page {first}"
        return PlatformFound("json_api", pages, json_api=api, note=note, dates=dates)
    return None


def _page(template: str, origin: str, page: int) -> str:
    ref = template.replace("{page}", str(page))
    return origin + ref if ref.startswith("/") else ref


def _json(fetcher: Fetcher, url: str) -> Any:
    got = fetcher.try_get(url)
    if got is None:
        return None
    try:
        return json.loads(got.body.decode("utf-8-sig", "replace"))
    except ValueError:
        return None


def _links(answer: Any, api: dict[str, Any], origin: str, dates: dict[str, str]) -> list[Link]:
    """The items' links (with their titles), read as the crawl reads them; their dates into `dates`."""
    from jsonpath_ng.ext import parse

    links = []
    for match in parse(api["items"]).find(answer):
        url = next((m.value for m in parse(api["link"]).find(match.value)), None)
        title = next((m.value for m in parse(api["title"]).find(match.value)), "")
        if isinstance(url, str) and url.strip():
            links.append(Link(_absolute(url.strip(), origin), " ".join(str(title).split())))
            if api.get("date") and (shown := date_value(next((m.value for m in parse(api["date"]).find(
                    match.value)), None))):
                dates[links[-1].url] = shown
    return links


def _absolute(url: str, origin: str) -> str:
    return urljoin(origin + "/", url).split("#", 1)[0]
