"""readability's text mended when it is chosen: embedded posts back, widget and credit lines out.

readability keeps the blocks of the article's container and judges them one by one, so where it
wins (extract/opinions.py) it brings along what stands in that container besides the story:
widget lines ("Like Loading…", "Comments"), image credits ("Photo: … / Getty Images") and promo
lines ("Also: …"); and it drops an embedded post (a tweet's <blockquote>, a Weibo card) whose
link-heavy attribution reads as boilerplate.  trafilatura's text, already at hand, is the check:

* a short line with no sentence in it that trafilatura left out is a widget line: out (not in
  Chinese, where such lines are headings as often);
* an image credit, an "Also:" / "Read also:" promo line or a line of nothing but widget words
  ("Comments", "Share this:", "Like Loading...") is out whoever kept it;
* an embedded post readability lacks goes back after the paragraph that stands before it.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from extract.visible import visible_text

_WIDGET_WORDS = 3  # latin words of a widget line at most
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORDS = re.compile(r"[^\W\d_]+")
_SENTENCE = re.compile(r"(?<!\.\.)[.!?。！？]\s*$|[,，;；]")  # "Loading..." ends no sentence
_WIDGET_LINE = re.compile(  # a line of nothing but widget words, whoever kept it
    r"^(?:(?:like|loading|comments?|share|this|tweet|email|print|reply|leave|a|facebook|twitter|"
    r"whatsapp|pinterest|linkedin|reddit)\W*){1,4}$", re.IGNORECASE)
_CREDIT = re.compile(
    r"^(?:photo(?:graph)?s?|images?|pictures?|illustration|credits?|image credit|photo credit|"
    r"图片来源|图片|图|摄影|供图)\s*[:：].{0,100}$|^.{0,100}(?:getty images|shutterstock|/\s*afp|"
    r"ap photo|/\s*reuters)\)?$", re.IGNORECASE)
_PROMO = re.compile(r"^(?:also|see also|read also|相关阅读|延伸阅读|推荐阅读)\s*[:：]",
                    re.IGNORECASE)
_PROMO_MAX = 120  # characters: a promo line is one linked headline
_EMBED = re.compile(r"tweet|twitter|weibo|instagram|tiktok|threads-post|mastodon|bluesky|fb-post|facebook-post",
                    re.IGNORECASE)
_EMBED_XPATH = "//*[@class or @id][not(self::body)]"
_PLATFORM_LINK = re.compile(r"//(?:[\w-]+\.)?(?:twitter|x|weibo|instagram|tiktok|threads|facebook)\.(?:com|cn|net)/")
_NO_TEXT = frozenset({"script", "style", "noscript", "template", "iframe"})
_PROBE = 20  # characters of a paragraph looked for in the chosen text


def _squash(text: str) -> str:
    return " ".join(text.split())




def _is_widget(line: str) -> bool:
    """A short line with no sentence, in a script with spaces: "Like Loading…", "Comments".

    Not Chinese: short Chinese lines are headings (·查 经·) and field rows (语言：韩语) as often as
    widgets, and config/boilerplate.toml knows the Chinese widgets (分享到, 点赞) by name."""
    return len(_WORDS.findall(line)) <= _WIDGET_WORDS and not _CJK.search(line) and not _SENTENCE.search(line)


def drop_chrome(text: str, reference: str) -> str:
    """`text` less its credit and promo lines and the widget lines `reference` lacks."""
    ref = _squash(reference)
    kept = []
    for raw in text.splitlines():
        line = _squash(raw)
        if line and (_CREDIT.match(line) or _WIDGET_LINE.match(line) or (
                _PROMO.match(line) and len(line) <= _PROMO_MAX)):
            continue
        if line and _is_widget(line) and line not in ref:  # a table cell is in it, somewhere
            continue
        kept.append(raw)
    return "\n".join(kept)


def _embeds(tree: lxml.html.HtmlElement) -> list[etree._Element]:
    """Outermost embedded posts: an element whose class or id names a platform (twitter-tweet,
    weibo-card…), or a <blockquote> linking to one."""
    found = [el for el in tree.xpath(_EMBED_XPATH) if _EMBED.search(f"{el.get('class', '')} {el.get('id', '')}")]
    found += [q for q in tree.iter("blockquote") if q not in found and any(
        _PLATFORM_LINK.search(a.get("href", "")) for a in q.iter("a"))]
    return [el for el in found if not any(anc in found for anc in el.iterancestors())]


def _before(el: etree._Element) -> str:
    """The text of the nearest block with words before an element (its preceding sibling, or its
    parent's), for placing the element's text back."""
    node: etree._Element | None = el
    while node is not None:
        for prev in node.itersiblings(preceding=True):
            if isinstance(prev.tag, str) and prev.tag not in _NO_TEXT and len(text := visible_text(prev).strip()) >= 8:
                return text
        node = node.getparent()
    return ""


def restore_embeds(tree: lxml.html.HtmlElement, text: str) -> str:
    """`text` with each embedded post it lacks put back after the paragraph before it."""
    for el in _embeds(tree):
        lines = [ln for ln in visible_text(el).splitlines() if ln.strip()]
        longest = max(lines, key=len, default="")
        if len(_squash(longest)) < 20 or _squash(longest) in _squash(text):
            continue  # no post to speak of, or the text has it (a kept card; its attribution is no proof)
        anchor = _before(el)[-_PROBE:]
        if not anchor or (at := text.find(anchor)) < 0:
            continue
        end = text.find("\n", at + len(anchor))
        post = "\n".join(lines)
        text = text + "\n" + post if end < 0 else text[:end] + "\n" + post + text[end:]
    return text


def mend_readability(tree: lxml.html.HtmlElement, text: str, reference: str) -> str:
    """readability's chosen text with embedded posts back and chrome lines out (see above)."""
    return drop_chrome(restore_embeds(tree, text), reference)
