"""The archive a crawl writes, compared field by field with the one stored in tests/snapshots/.

Why: the corridor between the crawl and the archive (write objects, dedupe outcomes, crawl modes)
is refactored without changing what reaches the file. Any stored field that changes (a dedupe
outcome, a count of a run, a reject reason, a link between rows) fails here, with the rows that
differ. A wanted change rewrites the snapshots: `.venv/bin/python -m tests.archive_snapshot --update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.archive_dump import differences, dump
from tests.archive_snapshot import crawl_synthetic, load
from tests.conftest import sample_archive
from tools.sampleweb.server import SampleWeb


def _same(name: str, actual: dict[str, list[str]]) -> None:
    found = differences(load(name), actual)
    assert not found, f"the {name} archive differs from tests/snapshots/{name}.json:\n" + "\n".join(found)


def test_the_sample_web_archive_is_the_stored_one_field_by_field(sample_web: SampleWeb,
                                                                  factory: pytest.TempPathFactory) -> None:
    db = sample_archive(sample_web, factory)
    _same("sample_web", dump(db, sample_web.base_urls))


def test_the_synthetic_web_archive_is_the_stored_one_field_by_field(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    base_urls = crawl_synthetic(tmp_path, db)
    _same("synthetic_web", dump(db, base_urls))
