"""Named limits of the Qlik Cloud client: timeouts, retries, token refresh, redirects."""

from __future__ import annotations

from typing import Final

import httpx

DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=10.0)
"""Per-request timeout: 30 s to read/write/wait for a pooled connection, 10 s to connect."""

DEFAULT_MAX_RETRIES: Final = 5
"""Retries after the first attempt for 5xx and transport errors (429s have a deadline instead)."""

DEFAULT_RATE_LIMIT_DEADLINE: Final = 600.0
"""Seconds a call keeps retrying 429s (from its first attempt): a rate limit costs time, never the run. Qlik's own
guidance (retry 5 times) loses the run when many calls share one budget, e.g. several processes on one client."""

DEFAULT_RETRY_AFTER: Final = 1.0
"""Seconds to wait after a 429 without a usable ``Retry-After`` header (Qlik's guidance: 1 s)."""

MAX_RETRY_AFTER: Final = 60.0
"""Cap on a server-sent ``Retry-After`` so one answer cannot stall a ``pulumi up`` for long."""

INITIAL_RETRY_DELAY: Final = 0.5
"""First backoff delay (seconds) for 5xx and transport errors; doubled on each further attempt."""

MAX_RETRY_DELAY: Final = 8.0
"""Ceiling of the exponential backoff delay (seconds), before jitter."""

TOKEN_REFRESH_SKEW: Final = 300.0
"""Fetch a new access token this many seconds before the cached one expires."""

DEFAULT_TOKEN_LIFETIME: Final = 6 * 60 * 60.0
"""Lifetime assumed for a token response that gives neither ``expires_in`` nor ``expires_at`` (Qlik: 6 h)."""

MAX_REDIRECTS: Final = 5
"""Redirect hops followed for one GET (``/tenants/me`` and ``/users/me`` answer with one)."""

LOGGER_NAME: Final = "pulumi_qlik.client"

USERS_PAGE_SIZE: Final = 100
"""Users per page of ``GET /api/v1/users`` (its maximum); a lookup by email or subject needs one page."""

ORG_PAGE_SIZE: Final = 100
"""Tenants per page of the Organization API's ``GET /api/core/tenants`` (its maximum)."""

MAX_ORG_PAGES: Final = 1000
"""A bound on paging, so a server that keeps answering with a ``next`` link cannot loop us forever."""
