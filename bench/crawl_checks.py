"""CPU per page of the checks the crawl process runs on every response before any worker sees it
(issue 26): Scrapy's meta refresh middleware as the settings configure it, the anti-bot challenge
check and the redirect-shell check, over the synthetic web's article and list pages.

Why apart from bench/throughput.py: these are a few per cent of a whole crawl's CPU, below the
noise of a shared machine; here they are timed alone, the minimum of several rounds of
process_time. Run it from two checkouts to compare them (under `valgrind --tool=callgrind` with
--rounds 1 for instruction counts).

    python -m bench.crawl_checks [--pages 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scrapy.http import HtmlResponse, Request  # noqa: E402
from scrapy.utils.misc import load_object  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from bench.synthweb import generate  # noqa: E402
from crawler import settings  # noqa: E402
from crawler.platforms.challenge import challenge  # noqa: E402
from crawler.platforms.shells import redirect_target  # noqa: E402

_SCRAPYS = "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"


def _meta_refresh() -> Any:
    """The meta refresh middleware the settings run (Scrapy's own unless replaced at its place, 580)."""
    names = [name for name, order in settings.DOWNLOADER_MIDDLEWARES.items() if order == 580]
    return load_object(names[0] if names else _SCRAPYS).from_crawler(get_crawler())


def _best(rounds: int, bodies: list[bytes], check: Callable[[Request, HtmlResponse], object]) -> float:
    """ms of CPU per page, the fastest round (each round on fresh responses: Scrapy caches their text)."""
    request = Request("http://127.0.0.1:1/news/a.html")
    best = float("inf")
    for _ in range(rounds):
        responses = [HtmlResponse(request.url, body=body, request=request, headers={"Content-Type": "text/html"})
                     for body in bodies]
        start = time.process_time()
        for response in responses:
            check(request, response)
        best = min(best, time.process_time() - start)
    return 1000 * best / len(bodies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="checks-") as tmp:
        web = generate(Path(tmp) / "web", args.pages, False)
        bodies = [path.read_bytes() for path in sorted(web.root.rglob("*.htm*"))]
    middleware = _meta_refresh()
    checks: dict[str, Callable[[Request, HtmlResponse], object]] = {
        "meta refresh middleware": middleware.process_response,
        "challenge": lambda request, response: challenge(200, response.body),
        "redirect shell": lambda request, response: redirect_target(response.body, response.url),
    }
    print(f"{len(bodies)} pages of the synthetic web; ms of CPU per page, best of {args.rounds} rounds")
    total = 0.0
    for label, check in checks.items():
        cost = _best(args.rounds, bodies, check)
        total += cost
        print(f"  {label:<26}{cost:8.4f}")
    print(f"  {'all three':<26}{total:8.4f}")


if __name__ == "__main__":
    main()
