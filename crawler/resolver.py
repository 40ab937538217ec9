"""Name lookups for a crawl of many sites, some of them dead (TWISTED_DNS_RESOLVER).

Why not Scrapy's CachingThreadedResolver as it is: each lookup is a job on the reactor's thread
pool (REACTOR_THREADPOOL_MAXSIZE threads), and a job stays queued after its request gave up
(DOWNLOAD_TIMEOUT counts the time a lookup waits in that queue). With hundreds of hosts that do
not resolve, behind a slow or rate-limited resolver, the queue outgrows the timeouts: every site
run is over, yet the reactor's shutdown runs every queued lookup before the process can exit
(Twisted's thread team drains its queue on quit), minutes of idling. And a failure is not
remembered, so robots.txt and then the list page of a dead host wait for two lookups.

Here a queued lookup whose callers have all given up is skipped when its turn comes, one lookup
serves everyone asking for the same name meanwhile, and a failed name fails at once for
KEXIE_DNS_FAILURE_SECONDS (successes are cached as Scrapy does).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Sequence
from typing import Any

from scrapy.crawler import Crawler
from scrapy.resolver import CachingThreadedResolver, dnscache
from twisted.internet import defer, error, threads
from twisted.python.failure import Failure


class _Skipped(Exception):
    """Nobody waits for this lookup any more."""


class _Lookup:
    """One name being looked up, and who waits for it."""

    def __init__(self) -> None:
        self.waiting: list[defer.Deferred[str]] = []

    def gone(self) -> bool:
        return all(d.called for d in self.waiting)


class SiteResolver(CachingThreadedResolver):
    """CachingThreadedResolver that skips abandoned lookups, shares running ones, caches failures."""

    def __init__(self, reactor: Any, cache_size: int, timeout: float, failure_seconds: float = 300.0) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.failure_seconds = failure_seconds
        self.failed: dict[str, tuple[float, str]] = {}  # name -> (monotonic time, why)
        self.running: dict[str, _Lookup] = {}
        self.closing = False  # the reactor is shutting down: queued lookups are skipped
        reactor.addSystemEventTrigger("before", "shutdown", self.close)

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> SiteResolver:
        """A lookup still waiting when its request's download timeout has passed serves nobody."""
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        timeout = min(settings.getfloat("DNS_TIMEOUT"), settings.getfloat("DOWNLOAD_TIMEOUT"))
        return cls(reactor, cache_size, timeout, settings.getfloat("KEXIE_DNS_FAILURE_SECONDS", 300.0))

    def close(self) -> None:
        self.closing = True

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:  # noqa: N802 - Twisted's name
        if name in dnscache:
            return defer.succeed(dnscache[name])
        failed = self.failed.get(name)
        if failed is not None:
            if time.monotonic() - failed[0] < self.failure_seconds:
                return defer.fail(error.DNSLookupError(f"address {name!r} not found: {failed[1]} (remembered)"))
            del self.failed[name]
        user: defer.Deferred[str] = defer.Deferred()
        lookup = self.running.get(name)
        if lookup is None:
            lookup = self.running[name] = _Lookup()
            reactor: Any = self.reactor
            job = threads.deferToThreadPool(reactor, reactor.getThreadPool(), self._resolve, name, lookup)
            job.addBoth(self._answered, name, lookup)
        lookup.waiting.append(user)
        call = self.reactor.callLater(self.timeout, self._expired, user, name)
        user.addBoth(self._cancel_timer, call)
        return user

    def _resolve(self, name: str, lookup: _Lookup) -> str:
        """In a pool thread: the lookup, unless every caller gave up while it waited for a thread
        (or the crawl is over)."""
        if self.closing or lookup.gone():
            raise _Skipped(name)
        return socket.gethostbyname(name)

    def _answered(self, result: str | Failure, name: str, lookup: _Lookup) -> None:
        self.running.pop(name, None)
        if isinstance(result, Failure):
            if result.check(_Skipped):
                return
            why = result.getErrorMessage()
            self.failed[name] = (time.monotonic(), why)
            outcome: str | Failure = Failure(error.DNSLookupError(f"address {name!r} not found: {why}"))
        else:
            if dnscache.limit:
                dnscache[name] = result
            outcome = result
        for user in lookup.waiting:
            if not user.called:
                if isinstance(outcome, Failure):
                    user.errback(outcome)
                else:
                    user.callback(outcome)

    @staticmethod
    def _expired(user: defer.Deferred[str], name: str) -> None:
        if not user.called:
            user.errback(error.DNSLookupError(f"address {name!r} not found: timeout error"))

    @staticmethod
    def _cancel_timer(result: Any, call: Any) -> Any:
        if call.active():
            call.cancel()
        return result
