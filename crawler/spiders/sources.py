"""Sitemaps and feeds: where a site lists its articles besides its list pages.

Read defensively, because real sitemaps are gzipped (.xml.gz, with or without a gzip
Content-Encoding), carry a DOCTYPE, are empty, truncated or not XML at all, and sitemap
indexes can chain into each other without end. Scrapy's `Sitemap` raises on an empty body and
ends a generator with StopIteration, so the XML is parsed here with lxml directly: no entity
resolution, no network, bodies gunzipped no larger than DOWNLOAD_MAXSIZE, index chains followed
KEXIE_SITEMAP_DEPTH deep. A DOCTYPE is cut out before parsing: a sitemap needs no DTD, and one
declaring entities (billion laughs, an external file or URL) stops libxml2 part-way even with
entities off, dropping every <loc> after the first reference; without it such a reference is
just an undefined entity, skipped, and the plain <loc>s are kept. A document that cannot be read
is one warning line and one error of the site's run, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import scrapy
from lxml import etree
from scrapy.http import Response
from scrapy.utils.gz import gunzip

from crawler.incremental import modified_since
from crawler.siteruns import SiteRun
from crawler.spiders.links import SiteRequests
from crawler.work import answers

_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, remove_comments=True,
                          remove_pis=True, huge_tree=False)
# a DOCTYPE with its internal subset (quoted strings may hold ] or >); only the first, in the prolog
_DOCTYPE_START = re.compile(rb"<!DOCTYPE\s", re.I)
_DOCTYPE = re.compile(rb"""<!DOCTYPE\s[^\[>]*(?:\[(?:[^\]"']|"[^"]*"|'[^']*')*\])?\s*>""", re.I)


def parse_xml(body: bytes) -> Any:
    """The root element of an XML document read with entities and network access off and its
    DOCTYPE cut out (None when nothing could be read)."""
    start = _DOCTYPE_START.search(body, 0, 4096)  # the prolog; a DOCTYPE further in is text, not a DTD
    match = _DOCTYPE.match(body, start.start()) if start else None
    if match is not None:
        body = body[:match.start()] + body[match.end():]
    return etree.fromstring(body, _PARSER)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def read_sitemap(body: bytes, max_size: int = 0) -> tuple[str, list[tuple[str, str | None]]]:
    """(type, [(loc, lastmod)]) of a sitemap or sitemap index; raises ValueError when unreadable."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=max_size)
        except (OSError, EOFError) as exc:
            raise ValueError(f"a broken gzip file ({exc})") from exc
    if not body.strip():
        raise ValueError("an empty document")
    root = parse_xml(body)
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap (root element {_local(getattr(root, 'tag', '')) or 'none'})")
    entries = []
    for item in root:
        fields = {_local(child.tag): (child.text or "").strip() for child in item}
        if fields.get("loc"):
            entries.append((fields["loc"], fields.get("lastmod") or None))
    return _local(root.tag), entries


def feed_links(body: bytes) -> list[str]:
    """Article links of an RSS or Atom feed; raises ValueError when unreadable."""
    if not body.strip():
        raise ValueError("an empty document")
    root = parse_xml(body)
    if root is None:
        raise ValueError("not XML")
    links = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "link" and element.get("href"):  # Atom
            links.append(element.get("href"))
        elif name == "link" and element.text and element.text.strip():  # RSS
            links.append(element.text.strip())
    return links


class SitemapsAndFeeds(SiteRequests):
    """The spider's sitemap and feed callbacks (crawler/spiders/site.py)."""

    def _unreadable(self, run: SiteRun, response: Response, kind: str, error: Exception) -> None:
        self.crawler.stats.inc_value(f"kexie/site/{run.key}/errors/bad_{kind}")
        self.logger.warning("%s: %s %s unreadable: %s", run.key, kind, response.url, error)

    @answers
    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        run = self._run(response)
        if run is None:
            return
        try:
            try:
                kind, entries = read_sitemap(response.body, self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            except (ValueError, etree.XMLSyntaxError) as exc:
                self._unreadable(run, response, "sitemap", exc)
                return
            depth = response.meta.get("kexie_depth", 0) + 1
            for loc, lastmod in entries:
                url = response.urljoin(loc)
                if not run.config.holds(url):
                    continue
                if kind == "sitemapindex":
                    if depth > self.crawler.settings.getint("KEXIE_SITEMAP_DEPTH", 3):
                        self.logger.warning("%s: sitemap index %s goes deeper than %d levels; not followed",
                                            run.key, response.url, depth - 1)
                        break
                    if url not in run.seen_lists:
                        yield self.list_request(run, url, "sitemap", depth=depth)
                elif run.config.is_article(url):
                    request = self.article_request(run, url, refresh=modified_since(lastmod, run.last_run))
                    if request is not None:
                        yield request
        finally:
            self._answered(response, run)

    @answers
    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        run = self._run(response)
        if run is None:
            return
        try:
            try:
                links = feed_links(response.body)
            except (ValueError, etree.XMLSyntaxError) as exc:
                self._unreadable(run, response, "feed", exc)
                return
            yield from self.follow(run, (response.urljoin(link) for link in links))
        finally:
            self._answered(response, run)
