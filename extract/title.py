"""The headline of a page: a heading that the <title>/og:title confirms, else the cleaned <title>.

<title> usually carries chrome ("标题_栏目_某某科协", "网站名 - 标题"); og:title often too; an
<h1> is often the clean headline but on many sites it is the site logo.  So a heading wins only
when the page's own title agrees with it: the heading is (most of) what is left of the
<title> or og:title once clean_title has taken the site and column segments off.  When the
titles name only the site (every page of a small site has the same <title>; a gambling mirror
puts its brand there), the headline is the <h1>/<h2> standing right above the main text.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from itertools import islice

import lxml.html

from extract.clean import clean_title
from extract.normalise import hash_form, tidy, to_simplified
from extract.rules import load_rules

_HEADINGS = ("h1", "h2")
_MAX_HEADINGS = 8
_MAX_LEN = 200
_COVER = 0.6  # share of the cleaned title a heading must cover to be taken as the headline
_PROBE = 8  # leading characters of the main text's first line looked for in the page's markup
# the TRS / government-site meta tag holding the bare headline (名称大小写不一: ArticleTitle, articletitle)
# (as the XPath //meta[translate(@name, 'A…Z', 'a…z') = 'articletitle']/@content reads it: ASCII case only)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
# what separates a site's name from the headline in <title>: -- —— - _ | ｜ ： :
_AFFIX_SEP = r"\s*(?:--+|——|—|-|_|\||｜|：|:)\s*"
_REST_SEP = re.compile(rf"(?P<rest>.+?){_AFFIX_SEP}")  # what comes before a confirmer at the end
_SEP_REST = re.compile(rf"{_AFFIX_SEP}(?P<rest>.+?)")  # what comes after a confirmer at the start


def _text(node: lxml.html.HtmlElement) -> str:
    return tidy(node.text_content()).replace("\n", " ").strip()


def page_titles(tree: lxml.html.HtmlElement) -> list[str]:
    """ArticleTitle (Hanweb, NFCMS and TRS pages name the headline alone there), og:title and <title>,
    in that order, without empty values. (lxml's tag filter finds them: an XPath per element kind
    walked every node of the page.)"""
    metas = list(tree.iter("meta"))
    article = next((el for el in metas if el.get("name") == "ArticleTitle"), None)
    og = next((el for el in metas if "og:title" in (el.get("property"), el.get("name"))), None)
    title = next(tree.iter("title"), None)
    # some CMSs leave the headline's markup in ArticleTitle
    found = [re.sub(r"<[^>]*>", "", article.get("content") or "")] if article is not None else []
    found += [og.get("content") or ""] if og is not None else []
    found += [_text(title)] if title is not None else []
    return [t for t in (tidy(x).replace("\n", " ").strip() for x in found) if t]


def _article_title(tree: lxml.html.HtmlElement) -> list[str]:
    """The content of the first ArticleTitle meta tag, its name in any ASCII case."""
    return next(([content] for el in tree.iter("meta") if (content := el.get("content")) is not None
                 and (el.get("name") or "").translate(_ASCII_LOWER) == "articletitle"), [])


def names_only_site(title: str, site_name: str | None = None) -> bool:
    """Every segment of the title is the site's name, a spam brand or a word like 首页/官方网站."""
    rules = load_rules()
    site = hash_form(site_name) if site_name else ""
    segments = [to_simplified(t).strip() for t in rules.title_sep_re.split(tidy(title))[0::2]]
    return any(segments) and all(
        not seg
        or rules.title_spam_re.search(seg)
        or rules.title_generic_re.search(seg.lower())
        or (site and (h := hash_form(seg)) and (h in site or site in h))
        or (len(seg) <= rules.title_site_max_len and rules.title_site_re.search(seg))
        for seg in segments
    )


def content_heading(tree: lxml.html.HtmlElement, main_text: str, site_name: str | None = None) -> str:
    """The last real <h1>/<h2> before the main text starts in the markup ('' if none).

    Headings naming the site (logo, mirror brand) are skipped; when the main text cannot be
    found in the markup, the first real heading that is not a link is taken."""
    first = next((ln.strip() for ln in main_text.splitlines() if len(ln.strip()) >= _PROBE), "")
    probe, last, fallback = first[:_PROBE], "", ""
    for el in tree.iter():
        if el.tag in ("h1", "h2"):
            text = _text(el)
            if len(hash_form(text)) >= 2 and len(text) <= _MAX_LEN and not names_only_site(text, site_name):
                if probe and text.startswith(probe):  # the extractor kept the heading: it opens the text
                    return text
                last = text
                fallback = fallback or ("" if el.find(".//a") is not None else text)
        elif probe and (probe in (el.text or "") or probe in (el.tail or "")):
            return last or fallback
    return fallback


def without_site_affix(title: str, confirmers: list[str], site_name: str | None = None) -> str:
    """The title without a site-name prefix or suffix (禾丰县科学技术协会--县科协召开… → 县科协召开…), when
    what is left is exactly a heading or the ArticleTitle meta of the page and what goes names only
    the site; "" when no confirmer fits. Old ASP and TRS templates put the site's name first."""
    text = tidy(title).replace("\n", " ").strip()
    for confirmer in confirmers:
        if len(hash_form(confirmer)) < 2 or confirmer == text or names_only_site(confirmer, site_name):
            continue  # a logo heading (站名, a mirror's brand) confirms no headline
        # the confirmer is a literal at one end: match the other part alone with a compiled pattern
        # (a pattern built per page missed re's cache: ~4 % of a page's CPU in re.compile)
        ends = ((_REST_SEP, text[:-len(confirmer)]) if text.endswith(confirmer) else None,
                (_SEP_REST, text[len(confirmer):]) if text.startswith(confirmer) else None)
        for pattern, part in filter(None, ends):
            match = pattern.fullmatch(part)
            if match and names_only_site(match["rest"], site_name):
                return confirmer
    return ""


def choose_title(tree: lxml.html.HtmlElement, extracted: str | Callable[[], str] = "", site_name: str | None = None,
                 main_text: str = "") -> str:
    """The best headline; falls back to trafilatura's title (`extracted`, or a function giving it: it is
    worked out only if asked for), then the first <h1>."""
    titles = page_titles(tree)
    cleaned = [clean_title(t, site_name) for t in titles]
    targets = [h for h in (hash_form(t) for t in cleaned) if len(h) >= 2]
    headings = [t for t in (_text(el) for el in islice(tree.iter(*_HEADINGS), _MAX_HEADINGS)) if 0 < len(t) <= _MAX_LEN]
    confirmers = headings + [tidy(str(v)).strip() for v in _article_title(tree)]
    for title in titles:
        if bare := without_site_affix(title, confirmers, site_name):
            return bare
    if titles and all(names_only_site(t, site_name) for t in titles) and (
            found := content_heading(tree, main_text, site_name)):
        return found
    for heading in headings:
        h = hash_form(heading)
        if len(h) >= 2 and any(h in t and len(h) >= _COVER * len(t) for t in targets):
            return heading
    for title, clean in zip(titles, cleaned, strict=True):
        if clean:
            return title
    return (extracted() if callable(extracted) else extracted) or (headings[0] if headings else "")
