"""A query in traditional or mixed script finds what its simplified form finds (issue 14).

The index holds the simplified text; the sample web's cdkx site is written in traditional script, so
its articles hold 科協 in text_original and 科协 in text. Every search path folds the query the same way:
`kexie search`, the scan of articles still queued for the index, and the SQL functions Datasette's
canned search uses.
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
import yaml

from archive import search_text
from archive.readonly import connect_read_only
from archive.search import rebuild_index
from archive.search_text import fts_query, needle, snippet
from tools.sampleweb.server import SampleWeb

from .conftest import ROOT, kexie, sample_archive

MIXED = "市科協召开2024年"  # traditional 協, simplified 开, digits: as stored, 市科协召开2024年


@pytest.fixture(scope="module")
def archive_db(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample web crawled and indexed once (shared with tests/test_search.py when both run)."""
    return sample_archive(sample_web, tmp_path_factory, "fold.db")


def search_urls(db: Path, query: str) -> list[str]:
    out = kexie("search", query, "--json", "--limit", "1000", "--with-duplicates", db=db).stdout
    return [json.loads(line)["url"] for line in out.splitlines()]


def test_traditional_query_finds_what_simplified_finds(archive_db: Path) -> None:
    with closing(sqlite3.connect(archive_db)) as conn:
        held = {r[0] for r in conn.execute("SELECT url FROM articles WHERE text_original LIKE '%科協%'")}
    simple = search_urls(archive_db, "科协")
    assert held and held <= set(simple)  # the sample has traditional articles, and 科协 finds them
    assert search_urls(archive_db, "科協") == simple
    hit = json.loads(kexie("search", "科協", "--json", "--limit", "1", db=archive_db).stdout.splitlines()[0])
    assert "<mark>科协</mark>" in hit["snippet"]  # highlighted in the stored, simplified text


def test_mixed_script_query(archive_db: Path) -> None:
    found = search_urls(archive_db, MIXED)
    assert found and found == search_urls(archive_db, "市科协召开2024年")
    assert search_urls(archive_db, "市科協召開2024年") == found  # all traditional too


def canned_search() -> str:
    config = yaml.safe_load((ROOT / "config" / "datasette.yaml").read_text("utf-8"))
    return str(config["databases"]["archive"]["queries"]["search"]["sql"])


def datasette_search(db: Path, q: str) -> list[dict[str, Any]]:
    params = {"q": q, "site": "", "level": "", "region": "", "since": "", "until": "", "with_duplicates": "1"}
    with closing(connect_read_only(db)) as conn:
        return [dict(row) for row in conn.execute(canned_search(), params)]


def test_datasette_search_sql_folds_the_query(archive_db: Path) -> None:
    simple = datasette_search(archive_db, "科协")
    traditional = datasette_search(archive_db, "科協")
    assert simple and [r["url"] for r in traditional] == [r["url"] for r in simple]
    assert all("<mark>科协</mark>" in r["snippet"] for r in traditional)
    mixed = [r["url"] for r in datasette_search(archive_db, MIXED)]
    assert mixed and mixed == [r["url"] for r in datasette_search(archive_db, "市科协召开2024年")]


def test_queued_articles_are_scanned_with_the_folded_query(archive_db: Path, tmp_path: Path) -> None:
    """Before `kexie index` catches up, queued articles are matched by kexie_needle/kexie_fold: same answer."""
    queued = tmp_path / "queued.db"
    queued.write_bytes(archive_db.read_bytes())
    rebuild_index(sqlite_utils.Database(queued))  # every article queued, none in the index
    assert search_urls(queued, "科協") and set(search_urls(queued, "科協")) == set(search_urls(archive_db, "科协"))
    assert {r["url"] for r in datasette_search(queued, "科協")} == set(search_urls(archive_db, "科协"))


def test_folding_keeps_latin_digits_case_and_width() -> None:
    assert needle("ＡＢＣ科協１２ x") == "abc科协12 x"
    assert fts_query("科協") == fts_query("科协")
    assert needle("乾隆") == "乾隆" and needle("後") == "后"  # phrase-level t2s, as the clean stage converts
    assert needle("公衆の") == "公衆の"  # kana: Japanese, whose kanji the clean stage leaves alone too
    assert snippet("常德市科协召开2024年全市科协工作", "科協", width=10).count("<mark>科协</mark>") == 1


def test_a_length_changing_conversion_falls_back_to_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """No t2s dictionary entry changes a length today; should one ever (科協會 -> 科协), the query keeps one
    character for one."""
    import opencc

    folder = Path(opencc.__file__).parent / "dictionary"
    for name in ("TSPhrases.txt", "TSCharacters.txt"):
        for line in (folder / name).read_text("utf-8").splitlines():
            source, _, targets = line.partition("\t")
            assert all(len(t) == len(source) for t in re.split(r"\s+", targets.strip())), line
    fake = {"科協會": "科协", "科": "科", "協": "协", "會": "会"}
    monkeypatch.setattr(search_text, "to_simplified", lambda s: fake.get(s, s))
    search_text.simplified.cache_clear()
    try:
        assert needle("科協會") == "科协会"
    finally:
        search_text.simplified.cache_clear()
