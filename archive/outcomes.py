"""Dedupe's actions and a page write's outcomes, declared once: what each outcome adds to a run's
crawl_runs counters and whether it makes the page's URL known (not fetched again).

Why here: the store stage, the local run counts (crawler/runstats.py), the archiver's run counts
(archive/remote_runs.py) and the archiver's known URLs (distributed/archiver.py) all read them;
archive/ is the one folder every one of them may import. Both are StrEnums: their values are the
strings the Scrapy stats and the wire already carry.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """Dedupe's decision for one page (dedupe/decide.py)."""

    NEW = "new"  # a text the archive does not have
    UNCHANGED = "unchanged"  # a known URL, the same text
    CHANGED = "changed"  # a known URL, a new text: a new version of its article
    EXACT = "exact"  # the same text at another URL: linked as a copy
    PROMOTE = "promote"  # the same text at a better URL: it becomes the original
    NEAR = "near"  # mostly another article's text: stored and linked as a near copy
    NEAR_ORIGINAL = "near_original"  # the same, but the better copy: the cluster's new original

    @property
    def outcome(self) -> Outcome:
        """What a write of this action reports (a near copy without a sketch is only stored)."""
        return _OUTCOME_OF[self]


class Outcome(StrEnum):
    """What one page's write did (dedupe/write.py), or that it never reached the file."""

    STORED = "stored"
    NEAR = "near"  # stored, and linked as a near copy
    DUPLICATE = "duplicate"  # an exact copy (or the copy that took over as original)
    UNCHANGED = "unchanged"
    CHANGED = "changed"  # a new version of a known article
    REJECTED = "rejected"
    LOST = "lost"  # could not be written (or sent): the next crawl fetches it again

    @property
    def counters(self) -> tuple[str, ...]:
        """The crawl_runs columns this outcome adds one to, besides `fetched`."""
        return _COUNTERS[self]

    def makes_known(self, reject_reason: str | None = None) -> bool:
        """Whether the page's URL is known once written: anything that reached the file, but a page
        that is missing (404/410) is asked for again next crawl."""
        if self is Outcome.REJECTED:
            return reject_reason != "missing"
        return self is not Outcome.LOST


_OUTCOME_OF = {
    Action.NEW: Outcome.STORED, Action.UNCHANGED: Outcome.UNCHANGED, Action.CHANGED: Outcome.CHANGED,
    Action.EXACT: Outcome.DUPLICATE, Action.PROMOTE: Outcome.DUPLICATE, Action.NEAR: Outcome.NEAR,
    Action.NEAR_ORIGINAL: Outcome.NEAR,
}
# a near copy is both: a stored article and a row of the duplicates view; a new version is counted
# with the unchanged pages (the URL was known)
_COUNTERS: dict[Outcome, tuple[str, ...]] = {
    Outcome.STORED: ("stored",), Outcome.NEAR: ("stored", "duplicates"), Outcome.DUPLICATE: ("duplicates",),
    Outcome.UNCHANGED: ("unchanged",), Outcome.CHANGED: ("unchanged",), Outcome.REJECTED: ("rejected",),
    Outcome.LOST: ("lost",),
}
RUN_COUNTERS = ("stored", "duplicates", "unchanged", "rejected", "lost")  # the crawl_runs columns outcomes count
