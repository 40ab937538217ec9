"""Anti-bot challenges: pages a browser must run JavaScript (or a person must solve a puzzle) to pass.

Many provincial government sites sit behind one: 瑞数 (Riversecurity) answers the first request
with HTTP 412 (some versions 202, or 200) and a page that is only
`<meta id=… content=… r='m'>`, `<script r='m'>$_ts=window['$_ts'];…$_ts.cd="…"</script>` and an
obfuscated external script, setting a cookie whose name ends in S; 知道创宇/加速乐 answer 521 with
a script setting `__jsl_clearance`/`__jsluid` cookies and reloading; others serve a 200 page titled
安全验证 with a slider or a captcha. The crawler does not try to pass them: it says so (the
reason names the challenge), stops asking that site for more pages, and the crawl exits 1.
"""

from __future__ import annotations

import re

ANTI_BOT = "anti-bot challenge"  # the words every reason starts with: the run's errors, rejects, health
_MAX_BODY = 64 * 1024  # a challenge page is small; a real article that quotes "$_ts" is not one
_RUISHU = re.compile(rb"\$_ts\s*=\s*window\[\s*['\"]\$_ts['\"]\s*\]|<script[^>]*\br=['\"]?m['\"]?[^>]*>\s*\$_ts")
_COOKIE_JS = re.compile(rb"document\.cookie\s*=\s*['\"]?(?:__jsl_clearance|__jsluid)")
_VERIFY_TITLE = re.compile(r"<title>\s*(?:安全验证|安全检查|人机验证|访问验证|请输入验证码)\s*</title>", re.IGNORECASE)
_VERIFY_WORDS = re.compile(r"安全验证|人机验证|滑动验证|拖动滑块|请完成验证|访问验证")
# what one of the patterns above needs in the bytes, in either codec the page is read in: most pages have
# none of it, and are neither decoded nor searched further (every page of a crawl comes through here).
# Plain `in` tests: a regex alternation of the same words costs twice as much.
_MAY_BE = (b"$_ts", b"document.cookie",
           *(word.encode(codec) for word in ("验证", "安全检查", "拖动滑块") for codec in ("utf-8", "gb18030")))


def challenge(status: int, body: bytes) -> str:
    """The reason a response is an anti-bot challenge ("anti-bot challenge: …"), or "" when it is not.

    Only a page with next to no text is one: 瑞数 also puts its $_ts script into the head of the real
    pages it lets through, and an article may well be about 验证码 fraud."""
    if len(body) > _MAX_BODY or not any(word in body for word in _MAY_BE):
        return ""
    html = body.decode("utf-8", "replace")
    if "\ufffd" in html:
        html = body.decode("gb18030", "replace")
    if _RUISHU.search(body):
        why = f"{ANTI_BOT}: HTTP {status} with a 瑞数-style JavaScript challenge ($_ts); the site needs a browser"
    elif _COOKIE_JS.search(body):
        why = f"{ANTI_BOT}: HTTP {status} with a cookie-setting JavaScript challenge (__jsl_clearance)"
    elif _VERIFY_TITLE.search(html) or _VERIFY_WORDS.search(html):
        why = f"{ANTI_BOT}: HTTP {status}, a 安全验证 (human verification) page instead of the content"
    else:
        return ""
    return why if _little_text(html) else ""


def _little_text(html: str) -> bool:
    """A verification page has a sentence or two of text, not an article's paragraphs."""
    text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>|\s+", "", html, flags=re.IGNORECASE | re.DOTALL)
    return len(text) < 200
