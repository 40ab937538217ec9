"""Running `kexie add-site` in tests, and what a crawl stored: shared by the add-site tests
(tests/test_add_site.py, tests/test_platform_sites.py)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from .conftest import kexie


def add_site(url: str, *args: str, check: bool = True) -> Any:
    return kexie("add-site", url, "--delay", "0", "--timeout", "5", *args, check=check, timeout=120)


def generated(url: str, key: str, folder: Path, *args: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    out = add_site(url, "--key", key, "--sites-dir", str(folder), "--write", *args)
    assert "wrote" in out.stderr, out.stderr
    return folder / f"{key}.toml"


def stored_urls(db: Path) -> dict[str, set[str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT site, url FROM article_urls UNION SELECT site, url FROM rejects"
                            " WHERE reason != 'missing'").fetchall()  # a 404 link is not a page
    found: dict[str, set[str]] = {}
    for site, url in rows:
        found.setdefault(site, set()).add(re.sub(r"^https?://[^/]+", "", url))
    return found
