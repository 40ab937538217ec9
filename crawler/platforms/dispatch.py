"""Which platform reads a list response (crawler/platforms/), from the site file and the response."""

from __future__ import annotations

from crawler.platforms import Listed, hanweb, jsonapi
from siteconfig.sites import SiteConfig


def platform_list(config: SiteConfig, text: str, url: str) -> Listed | None:
    """What a platform makes of a list response, or None for a plain HTML list page.

    A data island is read on any site (it costs a substring test); dataproxy.jsp paging only
    where the site file says platform = "hanweb". Raises ValueError for an API answer that is
    not JSON."""
    if config.platform == "json_api" and config.json_api is not None:
        return jsonapi.list_page(config.json_api, config.base_url, text, url)
    if config.platform == "hanweb":
        return hanweb.list_page(text, url)
    if "<datastore" in text:
        links = hanweb.record_links(text, url)
        return Listed(articles=[u for u, _ in links], dates={u: d for u, d in links if d})
    return None
