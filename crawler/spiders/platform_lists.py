"""The site spider's side of crawler/platforms/: data islands, proxy and API pages, redirect shells.

Kept apart from crawler/spiders/site.py so that the generic spider only asks two questions of a
response: what a platform lists on it (`listed`), and whether it is a shell sending the browser
on (`shell_requests`). List dates ride with the article request and become the page's
`list_date`, which the date stage uses only when the article page itself has no date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import scrapy
from scrapy.http import Response, TextResponse

from crawler.platforms import Listed, hanweb
from crawler.platforms.dispatch import platform_list
from crawler.platforms.shells import redirect_target
from crawler.siteruns import SiteRun
from crawler.spiders.sources import SitemapsAndFeeds


class PlatformLists(SitemapsAndFeeds):
    """Mixed into SiteSpider before SitemapsAndFeeds."""

    list_dates: dict[str, str]
    wrong_kind: Callable[..., bool]  # crawler/spiders/guards.py's ResponseGuards, before this in the spider

    def listed(self, run: SiteRun, response: TextResponse) -> Listed | None:
        """What a platform lists on a response; an unreadable API answer is an error of the run
        (an HTML page where its JSON should be says so: a login or error page, a moved API)."""
        try:
            listed = platform_list(run.config, response.text, response.url)
        except ValueError as exc:
            if not self.wrong_kind(run, response, expected="json"):
                self._unreadable(run, response, "list", exc)
            return Listed(only=True)
        if listed is not None:
            if not hasattr(self, "list_dates"):
                self.list_dates = {}
            self.list_dates.update({u: d for u, d in listed.dates.items() if not self.is_known(run, u)})
        return listed

    def more_lists(self, run: SiteRun, listed: Listed | None) -> Iterator[scrapy.Request]:
        """The next proxy group or API page, within max_list_pages."""
        for url in listed.lists if listed else []:
            if url not in run.seen_lists and run.list_pages < run.config.max_list_pages and run.config.holds(url):
                request = self.list_request(run, url, "list")
                if hanweb.is_proxy(url):  # POSTed as jpage.js does; the query repeats the form for a resume
                    request = request.replace(method="POST", body=hanweb.post_form(url), headers={
                        **request.headers.to_unicode_dict(), "X-Requested-With": "XMLHttpRequest",
                        "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"})
                yield request

    def shell_requests(self, run: SiteRun, response: Response, kind: str) -> list[scrapy.Request] | None:
        """The request for the page a redirect shell points to (on the site), or None: not a shell."""
        if not isinstance(response, TextResponse):
            return None
        target = redirect_target(response.body, response.url)
        if target is None:
            return None
        self.logger.info("%s: %s is a redirect shell to %s", run.key, response.url, target)
        if not run.config.holds(target) or target == response.url:
            return []
        if kind == "list":
            return [] if target in run.seen_lists else [self.list_request(run, target, "list")]
        if shown := self.list_date(response.meta.get("kexie_url", response.url)):
            self.list_dates[target] = shown
        request = self.article_request(run, target)
        return [request] if request is not None else []

    def list_date(self, url: str) -> str:
        return getattr(self, "list_dates", {}).pop(url, "")
