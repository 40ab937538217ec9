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

from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive import frontier
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
        """True (and counted) when a failed request's error response (412, 521, 403…) is a challenge page."""
        error = failure.value
        if not isinstance(error, HttpError):
            return False
        response = error.response
        why = challenge(response.status, response.body)
        if not why:
            return False
        request = failure.request  # type: ignore[attr-defined]
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
            self.note(run, frontier.failed, url=url, kind=kind, reason=reason, run_id=run.run_id)
            run.list_failures += kind != "article"
        else:  # the same URL will answer the same kind: nothing to ask again
            self.note(run, frontier.visited, url=url)
            run.list_failures += kind != "article"
        refused = list(stats.get_value("kexie/refused", []))
        line = f"{run.key}: {why}"
        if line not in refused:
            stats.set_value("kexie/refused", [*refused, line])
        if not block or first:
            self.logger.error("%s: %s %s: %s%s", run.key, kind, url, why,
                              "; no more requests to this site in this crawl" if block else "")


