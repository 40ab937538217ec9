"""Leases and heartbeats in Redis, and riding out a Redis restart (distributed/queue.py's base).

A lease is a key with a time to live, renewed by its holder: only one process holds it, and it
passes to another once its holder stops renewing it (dead or cut off). A heartbeat is the time
of a process's last beat in Redis's own clock, with how often it beats: its age tells a live
process from a dead one before its lease runs out, whichever machine asks.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# delete / renew a lease only if this holder has it
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
# renew a lease this holder has, or take it again if it lapsed meanwhile (a slow start) and nobody took it
_RENEW = ("local v = redis.call('get', KEYS[1]) if v == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2])"
          " elseif not v then return redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) and 1 or 0 end return 0")


# record a heartbeat in Redis's clock: "milliseconds-since-epoch expected-interval-ms"
_BEAT = ("local t = redis.call('time') redis.call('hset', KEYS[1], ARGV[1],"
         " (t[1] * 1000 + math.floor(t[2] / 1000)) .. ' ' .. ARGV[2]) return 1")


class _RideOut(Retry):
    """redis-py's Retry that says once per command that Redis cannot be reached (a silent wait of
    minutes would look like a hang)."""

    seconds = 0.0

    def call_with_retry(self, do: Any, fail: Any, is_retryable: Any = None, with_failure_count: bool = False) -> Any:
        said: list[bool] = []

        def fail_and_say(error: Exception, *count: int) -> Any:
            if not said:
                logger.warning("Redis cannot be reached (%s): trying again for up to %.0f s", error, self.seconds)
                said.append(True)
            return fail(error, *count)

        result = super().call_with_retry(do, fail_and_say, is_retryable, with_failure_count)
        if said:
            logger.warning("Redis can be reached again")
        return result


def ride_out(seconds: float, cap: float = 5.0) -> Retry:
    """Retry a command whose connection failed (Redis restarting, loading its data) for at least
    `seconds`, waiting 0.1 s, 0.2 s, 0.4 s … at most `cap` between tries."""
    backoff, waited, retries = ExponentialBackoff(cap=cap, base=0.05), 0.0, 0
    while waited < seconds:
        retries += 1
        waited += backoff.compute(retries)
    retry = _RideOut(backoff, retries)
    retry.seconds = seconds
    return retry


class Leases:
    """Lease and heartbeat commands; `r`, `p` (key prefix) and `lease_ms` are set by the queue."""

    r: redis.Redis
    p: str
    lease_ms: int

    def hold(self, name: str, holder: str, wait: float = 0.0) -> bool:
        """Take the lease `name` for `holder` (or keep it if it is already the holder's), waiting up to
        `wait` seconds for a dead holder's lease to expire."""
        key, deadline = f"{self.p}:{name}", time.monotonic() + wait
        while True:
            if self.r.set(key, holder, nx=True, px=self.lease_ms) or self.renew(name, holder):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))

    def renew(self, name: str, holder: str) -> bool:
        return bool(self.r.eval(_RENEW, 1, f"{self.p}:{name}", holder, self.lease_ms))

    def release(self, name: str, holder: str) -> None:
        self.r.eval(_RELEASE, 1, f"{self.p}:{name}", holder)

    def holder(self, name: str) -> str | None:
        return self.r.get(f"{self.p}:{name}")  # type: ignore[return-value]

    def beat(self, name: str, every: float) -> None:
        """A heartbeat of `name` (worker:NAME, archiver), which beats every `every` seconds."""
        self.r.eval(_BEAT, 1, f"{self.p}:beats", name, int(every * 1000))

    def unbeat(self, name: str) -> None:
        """`name` stopped cleanly: no heartbeat to expect."""
        self.r.hdel(f"{self.p}:beats", name)

    def beats(self) -> dict[str, tuple[float, float]]:
        """Each process's heartbeat: (seconds since it, seconds between beats)."""
        seconds, micros = self.r.time()  # type: ignore[misc]
        now = int(seconds) * 1000 + int(micros) // 1000
        out = {}
        for name, value in self.r.hgetall(f"{self.p}:beats").items():  # type: ignore[union-attr]
            at, _, every = str(value).partition(" ")
            out[str(name)] = ((now - int(at)) / 1000, int(every or 0) / 1000)
        return out


def alive(beat: tuple[float, float] | None, leased: bool) -> bool:
    """Alive: it beat within two of its intervals (or, with no heartbeat recorded, holds its lease)."""
    if beat is None:
        return leased
    age, every = beat
    return age <= 2 * every + 1
