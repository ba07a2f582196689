"""When to retry a Qlik Cloud request, and how long to wait: every retry rule of the client lives here.

- 429: wait ``Retry-After`` seconds (1 s if absent, capped at ``MAX_RETRY_AFTER``), for every request, until the
  call's rate-limit deadline (10 minutes by default; ``qlik:rateLimitDeadlineSeconds``). Qlik's guidance is to
  retry 5 times, but a count runs out when many calls share one budget; a deadline makes a 429 cost time only.
- 408, 5xx, timeouts, dropped connections: exponential backoff with jitter, for repeatable requests only.
- ``POST /api/v1/tenants`` is not idempotent (a second call creates a second tenant): it is retried only on
  429 and when the connection was never established. See :data:`Idempotency.CREATE`.
"""

from __future__ import annotations

import enum
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from ._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_RATE_LIMIT_DEADLINE,
    DEFAULT_RETRY_AFTER,
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
)

RETRYABLE_STATUS_CODES = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses retried for repeatable requests (any other 5xx is retried too)."""

NEVER_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)
"""Transport errors raised before any byte of the request left this process."""

RETRYABLE_BEFORE_SEND_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
"""Transient failures to open a connection: safe to retry even for a non-idempotent request."""

RETRYABLE_TRANSPORT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    httpx.ProxyError,
)
"""Transient transport failures: retried for repeatable requests."""


class Idempotency(enum.Enum):
    """How safe a request is to send again."""

    SAFE = "safe"
    """Repeating it has no further effect: GETs, PATCH with ``replace`` ops, deactivate/reactivate, tokens."""
    CREATE = "create"
    """Repeating it may create a second resource: retry only when the server surely did not act on it."""


@dataclass(frozen=True, slots=True)
class RetryDecision:
    """Retry after ``delay`` seconds, because ``reason`` (for the log)."""

    delay: float
    reason: str


def parse_retry_after(
    value: str | None,
    *,
    default: float = DEFAULT_RETRY_AFTER,
    cap: float = MAX_RETRY_AFTER,
    now: datetime | None = None,
) -> float:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), within ``[0, cap]``."""
    if value is None or not value.strip():
        return min(default, cap)
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            return min(default, cap)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if math.isnan(seconds):
        return min(default, cap)
    return min(max(seconds, 0.0), cap)


def request_never_sent(exc: httpx.TransportError) -> bool:
    """True when ``exc`` was raised before the request could reach the server."""
    return isinstance(exc, NEVER_SENT_ERRORS)


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """The retry rules of one client; :meth:`for_response` / :meth:`for_exception` say whether and when."""

    max_retries: int = DEFAULT_MAX_RETRIES
    """Retries of 5xx answers and transport errors."""
    rate_limit_deadline: float = DEFAULT_RATE_LIMIT_DEADLINE
    """Seconds from a call's first attempt within which its 429s are retried (0: never)."""
    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    max_retry_after: float = MAX_RETRY_AFTER
    random: Callable[[], float] = field(default=random.random, repr=False)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        if self.rate_limit_deadline < 0:
            raise ValueError(f"rate_limit_deadline must be >= 0, got {self.rate_limit_deadline}")

    def backoff(self, attempt: int) -> float:
        """Exponential backoff for retry number ``attempt`` (0-based), with up to 25 % jitter off."""
        delay = min(self.initial_delay * 2.0**attempt, self.max_delay)
        return delay * (1.0 - 0.25 * self.random())

    def for_response(
        self, response: httpx.Response, *, attempt: int, idempotency: Idempotency, elapsed: float = 0.0
    ) -> RetryDecision | None:
        """Whether to retry after an error ``response``; ``attempt`` counts retries of 5xx and transport errors
        already made, ``elapsed`` the seconds since the call's first attempt (for 429s)."""
        status = response.status_code
        retry_after_header = response.headers.get("Retry-After")
        if status == 429:
            delay = parse_retry_after(retry_after_header, cap=self.max_retry_after)
            if elapsed + delay > self.rate_limit_deadline:
                return None
            return RetryDecision(delay, f"rate limited (429, Retry-After {retry_after_header or 'absent'})")
        if attempt >= self.max_retries:
            return None
        if idempotency is not Idempotency.SAFE:
            return None
        if status in RETRYABLE_STATUS_CODES or status >= 500:
            if retry_after_header:
                delay = parse_retry_after(retry_after_header, cap=self.max_retry_after)
            else:
                delay = self.backoff(attempt)
            return RetryDecision(delay, f"server answered {status}")
        return None

    def for_exception(
        self, exc: httpx.TransportError, *, attempt: int, idempotency: Idempotency
    ) -> RetryDecision | None:
        """Whether to retry after a transport error; ``attempt`` counts retries already made."""
        if attempt >= self.max_retries:
            return None
        retryable = (
            RETRYABLE_TRANSPORT_ERRORS if idempotency is Idempotency.SAFE else RETRYABLE_BEFORE_SEND_ERRORS
        )
        if not isinstance(exc, retryable):
            return None
        return RetryDecision(self.backoff(attempt), f"{type(exc).__name__}: {exc}")
