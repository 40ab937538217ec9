"""Responses the spider must not read as pages: anti-bot challenges, and answers of another kind
than the callback expects (JSON where a list or article page should be HTML, HTML where JSON should be).

Either is an error of the site's run, with its reason (crawl_runs.errors_by_status), one log line,
and a crawl that exits 1 (stat `kexie/refused`), never a spider traceback with exit 0. A site that
answers with a challenge is asked for nothing more in this crawl (no retry storm): what it refused
stays in the frontier for the next crawl.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.platforms.challenge import challenge
from crawler.siteruns import SiteRun

_KINDS = {"html": "an HTML page", "json": "JSON", "xml": "XML"}


def body_kind(response: Response) -> str:
    """What a body is, by its first bytes (Content-Type headers lie): html, json, xml or other."""
    head = response.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head[:1] in (b"{", b"["):
        try:
            json.loads(response.body)
            return "json"
        except ValueError:
            pass
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<script", b"<div", b"<title",
                        b"<frameset", b"<!--")):
        return "html"
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return "html" if b"<html" in response.body[:4096].lower() else "xml"
    return "html" if b"<html" in response.body[:4096].lower() else "other"


class ResponseGuards:
    """Checks the spider's callbacks run first (crawler/spiders/site.py)."""

    crawler: Any
    logger: Any
    writer: Any
    note: Any

    def refused_by(self, run: SiteRun) -> str:
        """Why this site's crawl stopped asking for pages ("" while it goes on)."""
        return self._blocked().get(run.key, "")

    def _blocked(self) -> dict[str, str]:
        if not hasattr(self, "_blocked_sites"):
            self._blocked_sites: dict[str, str] = {}
        return self._blocked_sites

    def unusable(self, run: SiteRun, response: Response, expected: str = "html") -> bool:
        """True (and the run's error counted) when this 2xx response is a challenge or of the wrong kind."""
        return self.challenge_page(run, response) or self.wrong_kind(run, response, expected)

    def challenge_page(self, run: SiteRun, response: Response) -> bool:
        """True (and counted, and the site stopped) when a 2xx response is an anti-bot challenge."""
        why = challenge(response.status, response.body)
        if why:
            self._refuse(run, response.meta.get("kexie_url", response.url), response.meta.get("kexie_kind", "article"),
                         "anti-bot challenge", why, block=True)
        return bool(why)

    def wrong_kind(self, run: SiteRun, response: Response, expected: str = "html") -> bool:
        """True (and counted) when a response is JSON where HTML was expected, or HTML where JSON was
        (`expected="json"`, for a callback that reads an API)."""
        got = body_kind(response)
        if not (expected in ("html", "json") and got != expected and (got == "json" or expected == "json")):
            return False
        why = f"{_KINDS.get(got, 'a ' + got + ' document')} where {_KINDS[expected]} was expected"
        self._refuse(run, response.meta.get("kexie_url", response.url), response.meta.get("kexie_kind", "article"),
                     f"unexpected_{got}", why, block=False)
        return True

    def challenged(self, run: SiteRun, failure: Failure) -> bool:
        """True (and counted) when a failed request's error response (412, 521, 403…) is a challenge page,
        or the request was not sent because its site had answered with one (SkipRefusedSites)."""
        error = failure.value
        request = failure.request  # type: ignore[attr-defined]
        if isinstance(error, IgnoreRequest) and str(error) == REFUSED:
            self.note(run, "failed", url=request.meta.get("kexie_url", request.url),
                      kind=request.meta.get("kexie_kind", "article"), reason="anti-bot challenge")
            return True
        if not isinstance(error, HttpError):
            return False
        response = error.response
        why = challenge(response.status, response.body)
        if not why:
            return False
        self._refuse(run, request.meta.get("kexie_url", request.url), request.meta.get("kexie_kind", "article"),
                     "anti-bot challenge", why, block=True)
        return True

    def _refuse(self, run: SiteRun, url: str, kind: str, reason: str, why: str, block: bool) -> None:
        stats = self.crawler.stats
        stats.inc_value(f"kexie/site/{run.key}/errors/{reason}")
        first = run.key not in self._blocked()
        if block:
            self._blocked().setdefault(run.key, why)
            # asked again next crawl (a challenge may be lifted), never again in this one
            self.note(run, "failed", url=url, kind=kind, reason=reason)
            run.list_failures += kind != "article"
        else:  # the same URL will answer the same kind: nothing to ask again
            self.note(run, "visited", url=url)
            run.list_failures += kind != "article"
        refused = list(stats.get_value("kexie/refused", []))
        line = f"{run.key}: {why}"
        if line not in refused:
            stats.set_value("kexie/refused", [*refused, line])
        if not block or first:
            self.logger.error("%s: %s %s: %s%s", run.key, kind, url, why,
                              "; no more requests to this site in this crawl" if block else "")




REFUSED = "site answered with an anti-bot challenge"  # the IgnoreRequest message of a request not sent


class GuardedHTTP(HTTP11DownloadHandler):
    """Scrapy's HTTP download handler (DOWNLOAD_HANDLERS http, https), except that a request of a site
    that has answered with a challenge is not sent. Requests already queued in the site's download
    slot when the first challenge came back (a list page's article links) would otherwise each meet
    the challenge again; a downloader middleware cannot hold them back, as they pass the middlewares
    before they wait in the slot. The errback keeps them in the frontier for the next crawl."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.guarded = crawler

    async def download_request(self, request: Request) -> Response:
        refused = getattr(self.guarded.spider, "_blocked_sites", None)
        if refused and request.meta.get("kexie_site") in refused:
            raise IgnoreRequest(REFUSED)
        return await super().download_request(request)
