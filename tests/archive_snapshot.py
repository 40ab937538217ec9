"""The two reference crawls whose archives tests/test_archive_equality.py compares, field by field,
with the dumps stored in tests/snapshots/: the sample web and a synthetic web of generated pages.

A change that should alter what is stored (a better extractor, a new column) rewrites them:

    .venv/bin/python -m tests.archive_snapshot --update     # crawls both webs, writes tests/snapshots/*.json

and the diff of the JSON files shows what changed, row by row.
"""

from __future__ import annotations

import argparse
import html
import json
import tempfile
from pathlib import Path
from typing import Any

from tests.archive_dump import dump
from tests.conftest import LOCAL, crawl_sample, free_port_base, kexie
from tools.sampleweb.server import SampleWeb

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
SYNTHETIC_PAGES = 48  # eight articles in each of the six templates


def snapshot_path(name: str) -> Path:
    return SNAPSHOTS / f"{name}.json"


def load(name: str) -> dict[str, list[str]]:
    return json.loads(snapshot_path(name).read_text("utf-8"))


def save(name: str, tables: dict[str, list[str]]) -> None:
    SNAPSHOTS.mkdir(exist_ok=True)
    text = json.dumps(tables, ensure_ascii=False, indent=1, sort_keys=True)
    snapshot_path(name).write_text(text + "\n", encoding="utf-8")


def crawl_synthetic(tmp: Path, db: Path) -> dict[str, str]:
    """Generate the synthetic web under `tmp`, with copies between its sites, serve it and crawl it in
    three rounds into `db`, so that dedupe's actions happen, not only `new`; its base URLs.

    The spam mirror (xpjmirror) is crawled first; then every site, one at a time in key order (esast
    before nyrb), where esast carries an exact copy of a mirror article (`promote`: the official copy
    takes over), nyrb a near copy of a mirror article and of an esast article (`near`) and an exact
    copy of an esast one (`exact`); then esast again with --full after one of its articles changed
    (`changed`, the others `unchanged`)."""
    from bench.synthweb import generate

    web = generate(tmp / "synthetic", pages=SYNTHETIC_PAGES)
    long = {key: [j for j in range(len(web.articles[key])) if len(_paragraphs(key, j)) >= 4]
            for key in ("esast", "xpjmirror")}
    mirror, official = long["xpjmirror"], [j for j in long["esast"] if j != 0]
    _copy(web, ("xpjmirror", mirror[0]), ("esast", 0))
    _copy(web, ("xpjmirror", mirror[1]), ("nyrb", 0), near=True)
    _copy(web, ("esast", official[0]), ("nyrb", 1), near=True)
    _copy(web, ("esast", official[1]), ("nyrb", 2))
    server = SampleWeb(root=web.root).start()
    try:
        def crawl(*args: str, keys: tuple[str, ...] = tuple(server.base_urls)) -> None:
            moved = [arg for key in keys for arg in ("--base-url", f"{key}={server.base_urls[key]}")]
            kexie("crawl", *args, "--sites-dir", str(web.sites_dir), *moved, *LOCAL, "-s", "KEXIE_ACTIVE_SITES=1",
                  db=db)

        crawl("xpjmirror", keys=("xpjmirror",))
        crawl("--all")
        _copy(web, ("esast", official[2]), ("esast", official[2]), near=True)
        crawl("esast", "--full", keys=("esast",))
        return dict(server.base_urls)
    finally:
        server.stop()


SPAM_MARK = "88805tccn新蒲京官方版-"
ADDED = "另据介绍，本次活动共吸引周边群众两百余人参加，现场发放科普资料五百余份。"


def _paragraphs(key: str, j: int) -> list[str]:
    """The generated paragraphs of site `key`'s article j, as bench/synthweb.py wrote them."""
    from datetime import timedelta

    from bench.synthtext import article
    from bench.synthweb import END, SPAN_DAYS, SPECS

    per_site = SYNTHETIC_PAGES // len(SPECS)
    index = sorted(SPECS).index(key) + j * len(SPECS)
    day = END - timedelta(days=j * SPAN_DAYS // per_site)
    return ["".join(pieces) for pieces in article(index, day)[1]]


def _copy(web: Any, source: tuple[str, int], target: tuple[str, int], near: bool = False) -> None:
    """Site/article `source`'s page served at `target`'s address too, with a sentence added if `near`."""
    (key, j), (to_key, to_j) = source, target
    page = (web.root / key / web.articles[key][j].lstrip("/")).read_text("utf-8")
    if to_key != key:  # without the mirror's casino name the copy does not look like spam itself
        page = page.replace(SPAM_MARK, "")
    if near:
        first = html.escape(_paragraphs(key, j)[0], quote=False)
        assert first in page, f"{key} article {j}: its first paragraph is not in its page"
        at = page.rindex(first) + len(first)  # the body's, not the description meta tag's
        page = page[:at] + ADDED + page[at:]
    (web.root / to_key / web.articles[to_key][to_j].lstrip("/")).write_text(page, "utf-8")


def crawl_sample_web(db: Path) -> dict[str, str]:
    """Crawl the sample web into `db` and build its search index, as tests' shared sample archive is."""
    web = SampleWeb(port_base=free_port_base()).start()
    try:
        crawl_sample(web, db)
        kexie("index", db=db)
        return dict(web.base_urls)
    finally:
        web.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="crawl both webs and rewrite tests/snapshots/")
    args = parser.parse_args()
    if not args.update:
        parser.error("nothing to do without --update")
    with tempfile.TemporaryDirectory(prefix="kexie-snapshot-") as tmp:
        sample_db, synthetic_db = Path(tmp) / "sample.db", Path(tmp) / "synthetic.db"
        save("sample_web", dump(sample_db, crawl_sample_web(sample_db)))
        save("synthetic_web", dump(synthetic_db, crawl_synthetic(Path(tmp), synthetic_db)))
    print(f"wrote {snapshot_path('sample_web')} and {snapshot_path('synthetic_web')}")


if __name__ == "__main__":
    main()
