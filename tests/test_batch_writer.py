"""The batch's write path stays cheap without giving up its guarantee (archive/writer.py): each write
under a savepoint of one fixed name (its statements stay compiled), one failing write undone alone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.db import Archive
from archive.writer import BatchWriter


@dataclass
class SiteNote:
    """A write that stores one `sites` row, then fails when told to (after its row went in)."""

    key: str
    fail: bool = False

    def apply(self, archive: Any) -> str:
        archive.db.execute("INSERT INTO sites (key, name) VALUES (?, ?)", [self.key, self.key])
        if self.fail:
            raise RuntimeError("a bug in this write")
        return "stored"


def test_each_write_runs_under_one_reused_savepoint_and_a_failing_one_is_undone_alone(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a.db")
    statements: list[str] = []
    archive.db.conn.set_trace_callback(statements.append)
    results: list[tuple[Any, BaseException | None]] = []
    writer = BatchWriter(archive, size=10)
    for n, fail in enumerate([False, True, False, False]):
        writer.add(SiteNote(f"s{n}", fail), lambda result, error: results.append((result, error)))
    assert writer.flush() is None
    archive.db.conn.set_trace_callback(None)
    assert [r for r, _ in results] == ["stored", None, "stored", "stored"]
    assert isinstance(results[1][1], RuntimeError)
    stored = [r[0] for r in archive.db.execute("SELECT key FROM sites ORDER BY key").fetchall()]
    assert stored == ["s0", "s2", "s3"]  # s1's row was undone with its savepoint, nothing else
    savepoints = {s for s in statements if "SAVEPOINT" in s.upper()}
    assert savepoints == {"SAVEPOINT kexie_write", "RELEASE SAVEPOINT kexie_write",
                          "ROLLBACK TO SAVEPOINT kexie_write"}  # the same few statements, compiled once
    archive.close()


def test_savepoint_journals_stay_in_memory(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a.db")
    assert archive.db.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY: no temporary file per write
    archive.close()
