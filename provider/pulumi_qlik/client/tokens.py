"""OAuth client-credentials tokens: a thread-safe per-host cache and the ``httpx.Auth`` that uses it.

A Qlik access token is valid only on the host that issued it, for six hours (qlik.dev, "create a tenant").
Tokens are cached per (server, host, client id), shared by every client of the process unless a client is
given its own :class:`TokenCache`, refreshed ``TOKEN_REFRESH_SKEW`` before they expire and when the host
answers 401 to them (the pattern of httpx's "authentication" docs and of Qlik's ``@qlik/api``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator
from typing import NamedTuple

import httpx
from pydantic import SecretStr

from ._constants import DEFAULT_TOKEN_LIFETIME, LOGGER_NAME, TOKEN_REFRESH_SKEW
from .codes import TENANT_DEACTIVATED_CODES, UNKNOWN_HOST
from .errors import error_code
from .models import AccessToken

logger = logging.getLogger(LOGGER_NAME)

NOT_TOKEN_401_CODES = TENANT_DEACTIVATED_CODES | {UNKNOWN_HOST}
"""401 codes that are about the tenant or host, not the token: a fresh token would not help."""


class TokenKey(NamedTuple):
    """What a cached token is valid for."""

    server: str
    """Where requests really go: ``"https"`` in production, the endpoint URL with an override."""
    host: str
    client_id: str


class _Slot:
    """One cache entry with its own lock, so fetching a token for one host never blocks another host."""

    __slots__ = ("lock", "refresh_at", "token")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.token: SecretStr | None = None
        self.refresh_at = 0.0


class TokenCache:
    """Access tokens by :class:`TokenKey`; thread-safe, one fetch per key at a time."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        refresh_skew: float = TOKEN_REFRESH_SKEW,
        default_lifetime: float = DEFAULT_TOKEN_LIFETIME,
    ) -> None:
        self._clock = clock
        self._refresh_skew = refresh_skew
        self._default_lifetime = default_lifetime
        self._lock = threading.Lock()
        self._slots: dict[TokenKey, _Slot] = {}

    def __repr__(self) -> str:
        return f"TokenCache({len(self)} tokens)"

    def __len__(self) -> int:
        with self._lock:
            return sum(1 for slot in self._slots.values() if slot.token is not None)

    def _slot(self, key: TokenKey) -> _Slot:
        with self._lock:
            return self._slots.setdefault(key, _Slot())

    def get(self, key: TokenKey, fetch: Callable[[], AccessToken]) -> SecretStr:
        """The cached token for ``key``, or a new one from ``fetch`` when absent or about to expire.

        Threads asking for the same key while a fetch is under way wait for it and share its token.
        """
        slot = self._slot(key)
        with slot.lock:
            if slot.token is not None and self._clock() < slot.refresh_at:
                return slot.token
            requested_at = self._clock()
            access = fetch()
            lifetime = access.lifetime_seconds(default=self._default_lifetime)
            # A short-lived token (an emulator's, say) is refreshed halfway rather than on every call.
            slot.refresh_at = requested_at + lifetime - min(self._refresh_skew, lifetime / 2)
            slot.token = access.access_token
            logger.debug(
                "new access token for %s (client %s), valid %.0f s", key.host, key.client_id, lifetime
            )
            return slot.token

    def invalidate(self, key: TokenKey, token: SecretStr | None = None) -> None:
        """Forget the token of ``key``; with ``token``, only if it is still the cached one.

        Several threads may see a 401 for the same stale token: only the first one drops it, the
        others then pick up the token it fetched instead of fetching again.
        """
        slot = self._slot(key)
        with slot.lock:
            if slot.token is None:
                return
            if token is None or slot.token.get_secret_value() == token.get_secret_value():
                slot.token = None
                slot.refresh_at = 0.0

    def clear(self) -> None:
        """Forget every token."""
        with self._lock:
            self._slots.clear()


_default_cache = TokenCache()


def default_token_cache() -> TokenCache:
    """The process-wide cache that clients share unless given their own."""
    return _default_cache


def is_token_rejection(response: httpx.Response) -> bool:
    """True when a 401 says the token was not accepted (and a new token may help)."""
    return response.status_code == 401 and error_code(response) not in NOT_TOKEN_401_CODES


class QlikOAuth(httpx.Auth):
    """Bearer auth with per-host client-credentials tokens; on a token 401, one new token and one resend."""

    requires_response_body = True  # to read the error code of a 401

    def __init__(
        self,
        *,
        client_id: str,
        server: str,
        cache: TokenCache,
        fetch_token: Callable[[str], AccessToken],
    ) -> None:
        self._client_id = client_id
        self._server = server
        self._cache = cache
        self._fetch_token = fetch_token

    def __repr__(self) -> str:
        return f"QlikOAuth(client_id={self._client_id!r}, server={self._server!r})"

    def _token(self, key: TokenKey) -> SecretStr:
        return self._cache.get(key, lambda: self._fetch_token(key.host))

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        key = TokenKey(self._server, request.url.host, self._client_id)
        token = self._token(key)
        request.headers["Authorization"] = f"Bearer {token.get_secret_value()}"
        response = yield request
        if not is_token_rejection(response):
            return
        logger.info(
            "%s %s: 401 %s, fetching a new access token for %s and resending once",
            request.method,
            request.url.copy_with(query=None),
            error_code(response) or "(no code)",
            key.host,
        )
        self._cache.invalidate(key, token)
        token = self._token(key)
        request.headers["Authorization"] = f"Bearer {token.get_secret_value()}"
        yield request
