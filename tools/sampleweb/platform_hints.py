"""What the sample server does for the platform replicas (a site's `_site.toml` asks for it):
answer every request with an anti-bot challenge, or serve ASP pages whose query string names them.

`challenge = "_challenge.html"` with `challenge_status = 412` answers every path (robots.txt
included, as 瑞数 does; only those matching the regex `challenge_only`, when given) with that
file, that status and a cookie whose name ends in S, like the real challenge; `query_files =
true` serves /NewsList.asp?ClassID=3&page=2 from the file `NewsList.asp@ClassID=3&page=2`, since
a static folder cannot hold a query string.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any


def query_file(path: str) -> str:
    """The file path standing for a URL path with a query string."""
    return path.split("#", 1)[0].replace("?", "@", 1)


def challenged(path: str, hints: dict[str, Any]) -> bool:
    """Whether this request gets the challenge page."""
    return not hints.get("challenge_only") or re.search(str(hints["challenge_only"]), path) is not None


def challenge(handler: Any, root: Path, hints: dict[str, Any]) -> io.BytesIO:
    """Send the challenge page's head and return its body, for SimpleHTTPRequestHandler.send_head."""
    body = (root / str(hints["challenge"])).read_bytes()
    handler.send_response(int(hints.get("challenge_status", 412)))
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.send_header("Set-Cookie", "NfBCSins2OywS=60oTFkBd3ZVbMW7bRlQqbWkWn4Jc; Path=/; HttpOnly")
    handler.end_headers()
    return io.BytesIO(body)
