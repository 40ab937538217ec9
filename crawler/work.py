"""A site run's open work as tokens: one per request until it is answered, one per page or file until
it is written. A run ends when its last token is released (crawler/siteruns.py, `SiteRuns.settle`).

Why tokens and not a count per site: a count is raised and lowered in many places, and one answer
seen twice (a request both parked and dropped, a redirect's copy of the meta) ended a site early. A
token rides on what it stands for (a request's meta, an item's attribute) and is released at most
once, whoever sees the end first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from scrapy import Request

META = "kexie_work"  # where a request carries its token
_ATTRIBUTE = "_kexie_work"  # where an item (Page, Attachment) carries its token


class Work:
    """One outstanding piece of a run's work; released once (a second release does nothing)."""

    __slots__ = ("released", "run")

    def __init__(self, run: Any) -> None:
        self.run = run
        self.released = False

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        """A token never crosses a process: the copy a page takes to an extraction worker is inert."""
        return (_inert, ())


def _inert() -> Work:
    work = Work(None)
    work.released = True
    return work


def carry(item: Any, work: Work) -> Any:
    """The item, now carrying `work` (released when the item is written or fails in a stage)."""
    setattr(item, _ATTRIBUTE, work)
    return item


def work_of(thing: Any) -> Work | None:
    """The token a request (in its meta) or an item carries, if any."""
    found = thing.meta.get(META) if isinstance(thing, Request) else getattr(thing, _ATTRIBUTE, None)
    return found if isinstance(found, Work) else None


def answers(callback: Callable[..., Any]) -> Callable[..., Iterator[Any]]:
    """A spider callback or errback of a site's requests: once it has yielded everything (or failed),
    the answered request's token is released. The callback never releases anything itself."""

    @functools.wraps(callback)
    def answered(spider: Any, result: Any) -> Iterator[Any]:
        try:
            yield from callback(spider, result) or ()
        finally:
            request = getattr(result, "request", None)  # a Failure's request, or a Response's
            spider.runs.settle(work_of(request) if request is not None else None)

    return answered
