"""The two reference crawls whose archives tests/test_archive_equality.py compares, field by field,
with the dumps stored in tests/snapshots/: the sample web and a synthetic web of generated pages.

A change that should alter what is stored (a better extractor, a new column) rewrites them:

    .venv/bin/python -m tests.archive_snapshot --update     # crawls both webs, writes tests/snapshots/*.json

and the diff of the JSON files shows what changed, row by row.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

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
    """Generate the synthetic web under `tmp`, serve it and crawl all of it into `db`; its base URLs."""
    from bench.synthweb import generate

    web = generate(tmp / "synthetic", pages=SYNTHETIC_PAGES)
    server = SampleWeb(root=web.root).start()
    try:
        moved = [arg for key, url in server.base_urls.items() for arg in ("--base-url", f"{key}={url}")]
        kexie("crawl", "--all", "--sites-dir", str(web.sites_dir), *moved, *LOCAL, db=db)
        return dict(server.base_urls)
    finally:
        server.stop()


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
