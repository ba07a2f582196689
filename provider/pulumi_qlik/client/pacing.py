"""Client-side pacing under Qlik Cloud's rate limits, so that a fleet waits for its turn instead of meeting 429s.

Qlik limits API calls per tier, per user (our OAuth client's bot user), per host: tier 1 (most GETs) 1,000 a
minute, tier 2 (POST, PATCH, deactivate...) 100 a minute. Creating 150 tenants is 150 POSTs on one register
host: without pacing, the 101st and every later one within the minute gets a 429 and sleeps its
``Retry-After``, all at once, then they race again.

A :class:`Pacer` keeps, per (server, host, client id, tier), two budgets:

- the documented limit: the send times of the last requests, so that sending stays within it over any sliding
  window;
- what the server actually allows, learnt from its answers (AIMD): a 429 holds every request of that key until
  its ``Retry-After`` is over and widens the spacing between sends (multiplicative decrease of the rate, at once
  to about what the server let through); each accepted request narrows it again by a small step (the increase),
  back to no spacing at all. So calls that meet a tighter limit than documented (other processes on the same
  OAuth client, a lower tier, a strict emulator) go out one at a time at about the allowed rate instead of all
  retrying in the same second. A new host starts at the narrowest spacing its siblings (same server, client and
  tier) learnt: Qlik's limits are the same on every host, and the least contended sibling shows them best (a
  register host shared with other processes learns a wider spacing than a new tenant's host needs).

One pacer is shared by every client of the process (like the token cache), which covers a whole ``pulumi up``.
Separate processes using the same OAuth client do not see each other's requests; each learns its share from
the 429s it meets.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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

SPEED_UP: Final = 0.99
"""Each accepted request shortens the learnt spacing to this fraction of itself (the increase side): small, because
every probe past the server's rate costs a whole ``Retry-After``. With :data:`SLOW_DOWN`, a steady stream under a
limit of one a second goes out at about 1.13 s a request (0.95 and 1.5: 1.29 s)."""

SLOW_DOWN: Final = 1.2
"""A 429 widens the spacing at least by this factor (the multiplicative-decrease side)."""

MIN_SPACING: Final = 0.01
"""Below this the learnt spacing is dropped: the documented limit alone paces again."""

MAX_SPACING: Final = 60.0
"""The widest learnt spacing (Qlik's windows are a minute)."""

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


class Slot(NamedTuple):
    """A request's turn: when it was let go, and how long it waited for it."""

    sent_at: float
    waited: float


@dataclass(slots=True)
class _Flow:
    """One key's budgets."""

    spacing: float
    """Seconds between two sends, learnt from 429s; 0 = no spacing."""
    next_at: float = -math.inf
    """Earliest time the next request may leave (the spacing, or a 429's Retry-After)."""
    slowed_at: float = -math.inf
    """When the spacing last widened: a 429 for a request sent before then is already accounted for."""
    sent: deque[float] = field(default_factory=deque)
    """Send times within the documented limit's window."""
    accepted: deque[float] = field(default_factory=deque)
    """When recent requests were accepted (for the rate a 429 says the server allows)."""


class Pacer:
    """Per-key budgets, shared by threads: :meth:`acquire` waits for a turn; :meth:`rate_limited` and
    :meth:`accepted` tell it how the server answered."""

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
        self.clock = clock
        self.sleep = sleep
        """How this pacer waits; a client's retries wait the same way (one notion of time per process)."""
        self._lock = threading.Lock()
        self._flows: dict[PaceKey, _Flow] = {}

    def __repr__(self) -> str:
        return f"Pacer({self._limits!r})"

    def _flow(self, key: PaceKey) -> _Flow:
        flow = self._flows.get(key)
        if flow is None:
            learnt = [
                f.spacing
                for k, f in self._flows.items()
                if f.spacing and (k.server, k.client_id, k.tier) == (key.server, key.client_id, key.tier)
            ]
            flow = self._flows[key] = _Flow(min(learnt, default=0.0))
        return flow

    @staticmethod
    def _set_spacing(flow: _Flow, spacing: float) -> None:
        flow.spacing = 0.0 if spacing < MIN_SPACING else min(spacing, MAX_SPACING)

    def spacing(self, key: PaceKey) -> float:
        """The learnt spacing between sends under ``key`` (0 when none)."""
        with self._lock:
            return self._flow(key).spacing

    def acquire(self, key: PaceKey) -> Slot:
        """Wait until a request under ``key`` may leave, count it as sent, and return its slot."""
        limit = self._limits.get(key.tier)
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                flow = self._flow(key)
                delay = flow.next_at - now
                if limit is not None and delay <= 0:
                    window = limit.window_seconds + self._margin
                    while flow.sent and flow.sent[0] <= now - window:
                        flow.sent.popleft()
                    if len(flow.sent) >= limit.requests:
                        # Room comes back when the oldest request of the window leaves it.
                        delay = flow.sent[0] + window - now
                if delay <= 0:
                    if limit is not None:
                        flow.sent.append(now)
                    flow.next_at = now + flow.spacing
                    return Slot(now, waited)
            if not waited:
                logger.debug("pacing: %s tier-%d waits %.2f s", key.host, key.tier, delay)
            # Waiters re-check after waking: a 429 meanwhile may have pushed their turn further.
            self.sleep(delay)
            waited += delay

    def accepted(self, key: PaceKey) -> None:
        """The server accepted a request under ``key`` (any answer but 429): speed up a step."""
        with self._lock:
            flow = self._flow(key)
            flow.accepted.append(self.clock())
            while len(flow.accepted) > 1000:
                flow.accepted.popleft()
            if flow.spacing:
                self._set_spacing(flow, flow.spacing * SPEED_UP)

    def rate_limited(self, key: PaceKey, slot: Slot, retry_after: float) -> None:
        """The server answered 429 with ``retry_after`` to the request sent in ``slot``: hold and slow down."""
        with self._lock:
            now = self.clock()
            flow = self._flow(key)
            flow.next_at = max(flow.next_at, now + retry_after)
            if slot.sent_at <= flow.slowed_at:
                return  # sent before the last slow-down: that one already answered for it
            while flow.accepted and flow.accepted[0] < now - max(retry_after, 1.0):
                flow.accepted.popleft()
            # The server let len(accepted) requests through in about retry_after seconds: that rate at most.
            allowed = max(retry_after, 1.0) / max(len(flow.accepted), 1)
            before = flow.spacing
            self._set_spacing(flow, max(before * SLOW_DOWN, allowed))
            flow.slowed_at = now
        logger.info(
            "pacing: 429 on %s (tier %d, Retry-After %.1f s): one request every %.2f s (was %.2f s)",
            key.host,
            key.tier,
            retry_after,
            flow.spacing,
            before,
        )


_default_pacer = Pacer()


def default_pacer() -> Pacer:
    """The process-wide pacer that clients share unless given their own."""
    return _default_pacer
