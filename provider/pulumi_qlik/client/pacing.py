"""Client-side pacing under Qlik Cloud's rate limits, so that a fleet waits for its turn instead of meeting 429s.

Qlik limits API calls per tier, per user (our OAuth client's bot user), per host: tier 1 (most GETs) 1,000 a
minute, tier 2 (POST, PATCH, deactivate...) 100 a minute. Creating 150 tenants is 150 POSTs on one register
host: without pacing, the 101st and every later one within the minute gets a 429 and sleeps its
``Retry-After``, all at once, then they race again.

A :class:`Pacer` keeps, per (server, host, client id, tier), the send times of the last requests and makes a
caller wait until sending stays within the limit over any sliding window. One pacer is shared by every client
of the process (like the token cache), which covers a whole ``pulumi up``: all of a stack's tenants are served
by one provider process. Separate processes using the same OAuth client at the same moment (two stacks
deployed in parallel, say) do not see each other's requests; they may still meet 429s, which the retry policy
handles by waiting ``Retry-After``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, NamedTuple

from ._constants import LOGGER_NAME

logger = logging.getLogger(LOGGER_NAME)


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``requests`` requests in any ``window_seconds``."""

    requests: int
    window_seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1 or self.window_seconds <= 0:
            raise ValueError(f"a rate limit needs requests >= 1 and window_seconds > 0, got {self}")


QLIK_RATE_LIMITS: Final[Mapping[int, RateLimit]] = {
    1: RateLimit(requests=1000, window_seconds=60.0),
    2: RateLimit(requests=100, window_seconds=60.0),
}
"""Qlik's documented limits by tier, per user, per host. Qlik averages them over five minutes; keeping every
one-minute window within the per-minute figure keeps every five-minute window within five times it too."""

SAFETY_MARGIN_SECONDS: Final = 1.0
"""Added to each window: Qlik counts a request when it arrives, we count it when it leaves."""

_READ_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


def tier_of(method: str) -> int:
    """Qlik's rate tier of a request: reads are tier 1, writes (create, update, delete, actions) tier 2."""
    return 1 if method.upper() in _READ_METHODS else 2


class PaceKey(NamedTuple):
    """What one budget is shared by."""

    server: str
    host: str
    client_id: str
    tier: int


class Pacer:
    """Per-key sliding-window budgets, shared by threads; :meth:`acquire` waits for room, then takes it."""

    def __init__(
        self,
        limits: Mapping[int, RateLimit] = QLIK_RATE_LIMITS,
        *,
        margin_seconds: float = SAFETY_MARGIN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._limits = dict(limits)
        self._margin = margin_seconds
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._sent: dict[PaceKey, deque[float]] = {}

    def __repr__(self) -> str:
        return f"Pacer({self._limits!r})"

    def acquire(self, key: PaceKey) -> float:
        """Wait until a request under ``key`` keeps within its limit, count it as sent, and return the wait."""
        limit = self._limits.get(key.tier)
        if limit is None:
            return 0.0
        window = limit.window_seconds + self._margin
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                sent = self._sent.setdefault(key, deque())
                while sent and sent[0] <= now - window:
                    sent.popleft()
                if len(sent) < limit.requests:
                    sent.append(now)
                    return waited
                # Room comes back when the oldest request of the window leaves it.
                delay = sent[0] + window - now
            if not waited:
                logger.info(
                    "pacing: %d tier-%d requests to %s in the last %.0f s (limit %d); waiting %.1f s",
                    len(sent),
                    key.tier,
                    key.host,
                    limit.window_seconds,
                    limit.requests,
                    delay,
                )
            self._sleep(delay)
            waited += delay


_default_pacer = Pacer()


def default_pacer() -> Pacer:
    """The process-wide pacer that clients share unless given their own."""
    return _default_pacer
