"""A distributed crawl's runs, as the archiver records them (distributed/archiver.py).

A local crawl writes a site's crawl_runs row from its own counts when the site ends. In a
distributed crawl the worker knows what it fetched, but only the archiver knows what each page
became; so the archiver counts every page into its run's row in the same transaction that
stores it, and the worker's end message adds what only the worker knows (requests, errors).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from archive.db import now_iso
from archive.outcomes import Outcome


def count_page(db: Any, run_id: int | None, outcome: Outcome, reject_reason: str | None) -> None:
    """Add one page's outcome to its run's counters (the columns archive/outcomes.py declares for it)."""
    if run_id is None:
        return
    sets = ", ".join(f"{c} = coalesce({c}, 0) + 1" for c in ("fetched", *outcome.counters))
    db.execute(f"UPDATE crawl_runs SET {sets} WHERE id = ?", [run_id])
    if outcome is Outcome.REJECTED and reject_reason:
        path = '$."' + reject_reason.replace('"', "") + '"'
        db.execute("UPDATE crawl_runs SET rejects_by_reason = json_set(coalesce(rejects_by_reason, '{}'), ?,"
                   " coalesce(json_extract(rejects_by_reason, ?), 0) + 1) WHERE id = ?", [path, path, run_id])


def begin_run(db: Any, run_id: int, worker: str, started_at: str) -> None:
    """A worker took the run's job (again, if the first worker died)."""
    db.execute("UPDATE crawl_runs SET worker = ?, started_at = ? WHERE id = ?", [worker, started_at, run_id])


def finish_run(db: Any, run_id: int, worker_counts: Mapping[str, Any]) -> bool:
    """The worker's end of the run; complete only if the worker left nothing and no page was lost
    here. Returns whether the run is complete."""
    db.execute(
        "UPDATE crawl_runs SET finish_reason = ?, requests = coalesce(requests, 0) + ?, errors = coalesce(errors, 0)"
        " + ?, errors_by_status = ?, duration_s = ?, finished_at = ?, fetched = coalesce(fetched, 0),"
        " stored = coalesce(stored, 0), duplicates = coalesce(duplicates, 0), unchanged = coalesce(unchanged, 0),"
        " rejected = coalesce(rejected, 0), lost = coalesce(lost, 0), rejects_by_reason ="
        " coalesce(rejects_by_reason, '{}'), complete = (? AND coalesce(lost, 0) = 0) WHERE id = ?",
        [worker_counts["finish_reason"], worker_counts["requests"], worker_counts["errors"],
         worker_counts["errors_by_status"], worker_counts["duration_s"], now_iso(), int(worker_counts["complete"]),
         run_id])
    row = db.execute("SELECT complete FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
    return bool(row and row[0])


def stream_position(db: Any, stream: str) -> str:
    """The last message of the stream applied to the archive ("0-0": none)."""
    row = db.execute("SELECT last_id FROM stream_positions WHERE stream = ?", [stream]).fetchone()
    return row[0] if row else "0-0"


def set_stream_position(db: Any, stream: str, last_id: str) -> None:
    db.execute("INSERT INTO stream_positions (stream, last_id, updated_at) VALUES (?, ?, ?) ON CONFLICT(stream)"
               " DO UPDATE SET last_id = excluded.last_id, updated_at = excluded.updated_at",
               [stream, last_id, now_iso()])


def mark_queued(db: Any, run_id: int, queue: str) -> None:
    """The run's job went to this Redis queue (so a Redis that lost it can be noticed)."""
    db.execute("UPDATE crawl_runs SET queue = ? WHERE id = ?", [queue, run_id])


def queued_runs(db: Any, queue: str) -> list[tuple[int, str]]:
    """(run id, site) of the runs queued to this Redis queue that have not ended."""
    rows = db.execute("SELECT id, site FROM crawl_runs WHERE queue = ? AND finished_at IS NULL ORDER BY id", [queue])
    return [(int(run_id), str(site)) for run_id, site in rows.fetchall()]


def mark_lost(db: Any, run_ids: list[int]) -> None:
    """Runs whose jobs Redis no longer has (it came back empty): ended as `lost`, to be queued again."""
    db.execute("UPDATE crawl_runs SET finish_reason = 'lost', finished_at = ?, complete = 0 WHERE id IN"
               " (SELECT value FROM json_each(?)) AND finished_at IS NULL", [now_iso(), json.dumps(run_ids)])
