"""--check: the files on disk are exactly what the generator makes, and the fixtures hang
together (site configs, links, a simulated crawl, expected.json phrases, duplicates).

Uses lxml and config/sample-sites/*.toml, which generating does not need.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from . import checks_content as content
from . import checks_crawl as crawl
from .build import all_articles
from .checks_site import load_site
from .common import SAMPLEWEB_DIR, SITES_DIR, Out

PLATFORM_SITES = ("jnast", "lnast", "hzkx")


def disk_problems(out: Out) -> Iterator[str]:
    """Files missing on disk, differing from the generator's output, or stray in sites/."""
    on_disk = (
        {p.relative_to(SAMPLEWEB_DIR).as_posix() for p in SITES_DIR.rglob("*") if p.is_file()}
        if SITES_DIR.exists()
        else set()
    )
    for rel, data in out.files.items():
        fp = SAMPLEWEB_DIR / rel
        if not fp.exists():
            yield f"missing on disk: {rel}"
        elif fp.read_bytes() != data:
            yield f"differs from generator output: {rel}"
    for rel in sorted(on_disk - set(out.files)):
        yield f"stray file not produced by the generator: {rel}"


def check(out: Out) -> int:
    """Print every problem found and a summary line; exit status 1 if there was any."""
    problems = list(disk_problems(out))
    expected = json.loads(out.files["expected.json"])["sites"]
    sites = all_articles()
    for key, arts in sites.items():
        site = load_site(key, out, expected[key])
        problems += site.problems
        problems += crawl.parsing(site)
        if key not in PLATFORM_SITES:  # their lists are data islands and APIs: the e2e crawl checks them
            problems += crawl.coverage(site)
            problems += crawl.links(site)
            problems += crawl.simulated_crawl(site)
        problems += content.articles(site, arts)
        problems += content.rejects(site)
        if key == "sxkjb":
            problems += content.epaper_dates(site)
        problems += content.duplicates(site, arts, sites)
    problems += content.similarity(sites)
    for msg in problems:
        print("PROBLEM:", msg)
    print(f"{len(out.files)} files, {len(problems)} problems")
    return 1 if problems else 0
