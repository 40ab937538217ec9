"""--check, per site: pages parse in their encoding, URL patterns cover exactly the expected
pages, links resolve, and a simulated crawl reaches what expected.json says it should."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import lxml.html

from .checks_site import SiteView

SITEMAP_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


def _pages(site: SiteView) -> list[str]:
    return [p for p in sorted(site.served) if p.endswith((".htm", ".html"))]


def parsing(site: SiteView) -> Iterator[str]:
    """Every page parses with lxml; xyast pages are really GBK and say gb2312."""
    key = site.key
    for p in sorted(site.served):
        if p.endswith((".htm", ".html")):
            data = site.files[p]
            if key == "xyast":
                try:
                    data.decode("utf-8")
                    yield f"{key}{p}: GBK page is valid UTF-8"
                except UnicodeDecodeError:
                    pass
                if b"charset=gb2312" not in data:
                    yield f"{key}{p}: no gb2312 meta"
            try:
                lxml.html.fromstring(data.decode(site.enc))
            except Exception as ex:
                yield f"{key}{p}: lxml: {ex}"
        elif p.endswith(".xml"):
            ET.fromstring(site.files[p])


def coverage(site: SiteView) -> Iterator[str]:
    """Article files <-> expected.json, and every page matches one of the two patterns."""
    key, served = site.key, site.served
    art_files = {p for p in served if site.art_re.search(p)}
    for p in art_files | set(site.kinds):
        if p not in site.kinds:
            yield f"{key}: article file {p} not in expected.json"
        elif p not in served:
            yield f"{key}: expected.json lists {p} but no such file"
    for p in served:
        if p.endswith((".htm", ".html")) and not site.art_re.search(p) and not site.pag_re.search(p):
            yield f"{key}: served page {p} matches neither pattern"


def links(site: SiteView) -> Iterator[str]:
    """Every pattern-matching link resolves (or is an intended 404); nav links match nothing."""
    key, served, missing = site.key, site.served, site.missing
    for p in _pages(site):
        for link in site.links(p):
            if site.art_re.search(link):
                if link not in served and link not in missing:
                    yield f"{key}{p}: article link {link} -> no file and not listed missing"
            elif site.pag_re.search(link) and link not in served:
                yield f"{key}{p}: pagination link {link} -> no file"


def simulated_crawl(site: SiteView) -> Iterator[str]:
    """Start URLs + sitemap + feed, follow pagination and articles, obey robots.txt."""
    key, cfg, served, missing, not_fetched = site.key, site.cfg, site.served, site.missing, site.not_fetched
    seen_lists: set[str] = set()
    fetched: set[str] = set()
    queue: list[str] = list(cfg["start_urls"])
    for sm in cfg.get("sitemap_urls", []):
        queue += [e.text for e in ET.fromstring(site.files[sm]).iter(SITEMAP_LOC) if e.text]
    for fd in cfg.get("feed_urls", []):
        queue += [e.text for e in ET.fromstring(site.files[fd]).iter("link") if e.text and site.art_re.search(e.text)]
    while queue:
        u = queue.pop(0)
        if u in seen_lists or u in fetched:
            continue
        if not site.allowed(u):
            if u not in not_fetched:
                yield f"{key}: robots blocks {u} unexpectedly"
            fetched.add(u)
            continue
        if site.art_re.search(u):
            fetched.add(u)
            if u not in served and u not in missing:
                yield f"{key}: crawl hit unknown 404 {u}"
        elif site.pag_re.search(u) or u in cfg["start_urls"]:
            seen_lists.add(u)
            if u not in served:
                yield f"{key}: list page {u} missing"
                continue
            queue += [x for x in site.links(u) if site.art_re.search(x) or site.pag_re.search(x)]

    list_files = {p for p in served if site.pag_re.search(p)}
    if list_files - seen_lists:
        yield f"{key}: list pages never reached: {sorted(list_files - seen_lists)}"
    if len(list_files) < 3:
        yield f"{key}: fewer than 3 list pages"
    reach = {u for u in fetched if u in served and site.allowed(u)}
    want = {p for p, k in site.kinds.items() if k != "not_fetched"}
    if reach != want:
        yield f"{key}: crawl reaches {sorted(reach ^ want)} differently from expected"
    for nf in not_fetched:
        if site.allowed(nf):
            yield f"{key}: {nf} is not disallowed by robots.txt"
        if nf not in served:
            yield f"{key}: not_fetched {nf} does not exist"
        if not any(nf in site.links(lp) for lp in list_files):
            yield f"{key}: not_fetched {nf} not linked from a list page"
    for m in missing:
        if m in served:
            yield f"{key}: missing {m} exists"
        if m not in fetched:
            yield f"{key}: missing {m} not linked"
