"""What `kexie health` says about a site whose last crawl was refused: an anti-bot challenge
(crawler/platforms/challenge.py) or answers of another kind than expected (JSON for a list page)."""

from __future__ import annotations

import json

from crawler.platforms.challenge import ANTI_BOT


def refusal_flags(errors_by_status: str | None) -> list[str]:
    try:
        errors = json.loads(errors_by_status or "{}")
    except ValueError:
        return []
    if not isinstance(errors, dict):
        return []
    flags = []
    if blocked := errors.get(ANTI_BOT):
        flags.append(f"{ANTI_BOT}: {blocked} request(s) answered with a JavaScript or 安全验证 challenge instead of"
                     " pages; it cannot be crawled without a browser (the crawler does not try to pass it)")
    for key, count in sorted(errors.items()):
        if key.startswith("unexpected_"):
            flags.append(f"{count} response(s) of the wrong kind ({key[len('unexpected_'):]} where HTML or JSON was"
                         " expected): is a start URL an API, or an API a page?")
    return flags
