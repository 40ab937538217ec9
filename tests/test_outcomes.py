"""A page write's outcomes are declared once (archive/outcomes.py): a local crawl's run row (from its
Scrapy stats, crawler/runstats.py) and a distributed crawl's (counted by the archiver as it stores,
archive/remote_runs.py) come out the same for the same pages, in a real archive file."""

from __future__ import annotations

import json
from pathlib import Path

from archive import remote_runs
from archive.db import Archive
from archive.outcomes import Action, Outcome
from crawler.runstats import run_counts

COLUMNS = ("fetched", "stored", "duplicates", "unchanged", "rejected", "lost", "rejects_by_reason")


def test_local_and_remote_run_counts_agree_for_every_outcome(tmp_path: Path) -> None:
    pages = [(outcome, "no_date" if outcome is Outcome.REJECTED else None) for outcome in Outcome for _ in range(2)]
    stats: dict[str, int] = {}
    archive = Archive(tmp_path / "archive.db")
    archive.db.table("sites").insert({"key": "s", "name": "s"})
    run_id = archive.start_run("s")
    for outcome, reason in pages:  # what the store stage counts (pipelines/store.py)
        for key in ("fetched", str(outcome), *([f"rejected/{reason}"] if reason else [])):
            stats[f"kexie/site/s/{key}"] = stats.get(f"kexie/site/s/{key}", 0) + 1
        remote_runs.count_page(archive.db, run_id, outcome, reason)
    local = run_counts(stats, "s", "finished", 1.0)
    row = archive.db.execute(f"SELECT {', '.join(COLUMNS)} FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
    archive.close()
    remote = dict(zip(COLUMNS, row, strict=True))
    assert json.loads(remote.pop("rejects_by_reason")) == json.loads(local["rejects_by_reason"]) == {"no_date": 2}
    assert remote == {c: local[c] for c in COLUMNS[:-1]}
    assert local["stored"] == 4 and local["duplicates"] == 4 and local["unchanged"] == 4  # near counts twice


def test_every_action_has_an_outcome_and_only_written_pages_are_known() -> None:
    assert {action.outcome for action in Action} == {Outcome.STORED, Outcome.NEAR, Outcome.DUPLICATE,
                                                      Outcome.UNCHANGED, Outcome.CHANGED}
    assert [o for o in Outcome if not o.makes_known()] == [Outcome.LOST]
    assert Outcome.REJECTED.makes_known("no_date") and not Outcome.REJECTED.makes_known("missing")
