"""The headline of a page: a heading that the <title>/og:title confirms, else the cleaned <title>.

<title> usually carries chrome ("标题_栏目_某某科协", "网站名 - 标题"); og:title often too; an
<h1> is often the clean headline but on many sites it is the site logo.  So a heading wins only
when the page's own title agrees with it: the heading is (most of) what is left of the
<title> or og:title once clean_title has taken the site and column segments off.
"""

from __future__ import annotations

import lxml.html

from pipelines.clean import clean_title
from pipelines.normalise import hash_form, tidy

_HEADINGS = "//h1|//h2"
_MAX_HEADINGS = 8
_MAX_LEN = 200
_COVER = 0.6  # share of the cleaned title a heading must cover to be taken as the headline


def _text(node: lxml.html.HtmlElement) -> str:
    return tidy(node.text_content()).replace("\n", " ").strip()


def page_titles(tree: lxml.html.HtmlElement) -> list[str]:
    """og:title and <title>, in that order, without empty values."""
    found = [el.get("content") or "" for el in tree.xpath("//meta[@property='og:title' or @name='og:title']")[:1]]
    found += [_text(el) for el in tree.xpath("//head/title|//title")[:1]]
    return [t for t in (tidy(x).replace("\n", " ").strip() for x in found) if t]


def choose_title(tree: lxml.html.HtmlElement, extracted: str = "", site_name: str | None = None) -> str:
    """The best headline; falls back to trafilatura's title (`extracted`), then the first <h1>."""
    titles = page_titles(tree)
    cleaned = [clean_title(t, site_name) for t in titles]
    targets = [h for h in (hash_form(t) for t in cleaned) if len(h) >= 2]
    headings = [t for t in (_text(el) for el in tree.xpath(_HEADINGS)[:_MAX_HEADINGS]) if 0 < len(t) <= _MAX_LEN]
    for heading in headings:
        h = hash_form(heading)
        if len(h) >= 2 and any(h in t and len(h) >= _COVER * len(t) for t in targets):
            return heading
    for title, clean in zip(titles, cleaned, strict=True):
        if clean:
            return title
    return extracted or (headings[0] if headings else "")
