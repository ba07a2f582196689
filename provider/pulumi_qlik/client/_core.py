"""The core of ``QlikClient``: construction, auth, retries, pacing, redirects and parsing; no Qlik API.

Each Qlik API is a mixin in :mod:`pulumi_qlik.client.apis` built on :class:`ClientCore`'s ``_call`` and
``_parse``; :class:`~pulumi_qlik.client.QlikClient` is composed from them.
"""

from __future__ import annotations

import json
import logging
import re
import ssl
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from ._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_RATE_LIMIT_DEADLINE,
    DEFAULT_TIMEOUT,
    LOGGER_NAME,
    MAX_REDIRECTS,
)
from .errors import (
    QlikAPIError,
    QlikConfigurationError,
    QlikConnectionError,
    QlikTimeoutError,
    TenantCreationUncertainError,
    UnexpectedResponseError,
    make_api_error,
    redact_url,
)
from .models import AccessToken
from .pacing import PaceKey, Pacer, Slot, default_pacer, tier_of
from .retry import Idempotency, RetryPolicy, parse_retry_after, request_never_sent
from .tokens import QlikOAuth, TokenCache, default_token_cache
from .transport import EndpointTransport, parse_endpoint

logger = logging.getLogger(LOGGER_NAME)

_ModelT = TypeVar("_ModelT", bound=BaseModel)

_HOST_RE = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})*$"
)
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_USER_AGENT = "pulumi-qlik"

_CREATE_5XX_HINT = (
    "The tenant may have been created anyway; it was not retried to avoid a second one. Check My Qlik"
    " or the Management Console for a new tenant and adopt it (`adopt_tenant_id` and `adopt_hostname` on"
    " the resource), or deactivate it, before retrying"
)


def check_host(host: str, argument: str = "host") -> str:
    """``host`` lower-cased, or :class:`QlikConfigurationError` when it is not a bare hostname."""
    if not _HOST_RE.match(host):
        raise QlikConfigurationError(
            f"{argument} must be a bare hostname such as abc123def456ghi.us.qlikcloud.com or"
            f" register.us.qlikcloud.com (no scheme, port or path), got {host!r}"
        )
    return host.lower()


_ssl_context: ssl.SSLContext | None = None
_ssl_context_lock = threading.Lock()


def default_ssl_context() -> ssl.SSLContext:
    """One TLS context (system defaults, certificates verified) for every client of the process.

    httpx builds a context per client by default, loading the CA bundle each time (tens of ms of CPU); a provider
    process builds a client per resource type and region, often on several threads at once (hence the lock: a
    cache alone would let each of them build one), and a context is safe to share between threads.
    """
    global _ssl_context
    with _ssl_context_lock:
        if _ssl_context is None:
            _ssl_context = httpx.create_ssl_context(verify=True)
        return _ssl_context


def _check_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    result = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    if result.connect is None or result.read is None or result.write is None or result.pool is None:
        raise QlikConfigurationError(f"timeout must be set for connect, read, write and pool, got {result!r}")
    return result


class ClientCore:
    """What every Qlik API of ``QlikClient`` shares: one HTTP pool, OAuth per host, retries and pacing.

    Every call takes the bare hostname to talk to (a tenant's ``<name>.<region>.qlikcloud.com`` or the
    region's ``register.<region>.qlikcloud.com``) and fetches, caches and refreshes that host's token itself.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: SecretStr | str,
        *,
        endpoint: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limit_deadline: float = DEFAULT_RATE_LIMIT_DEADLINE,
        token_cache: TokenCache | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
        retry_policy: RetryPolicy | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        """Create a client.

        Args:
            client_id: the OAuth client id (a regional client from My Qlik for tenant creation).
            client_secret: its secret; kept as a ``SecretStr`` only.
            endpoint: send every request to this ``scheme://host:port`` (e.g. a local emulator) with the
                real host in the ``Host`` header; plain ``http://`` only on loopback.
            transport: the httpx transport to use (tests pass ``httpx.MockTransport``).
            timeout: per-request timeout, in seconds or as an ``httpx.Timeout`` with every part set.
            max_retries: retries of 5xx answers and transport errors (see :mod:`pulumi_qlik.client.retry`).
            rate_limit_deadline: seconds from a call's first attempt within which its 429s are retried.
            token_cache: where tokens are cached; by default one cache shared by the whole process.
            sleep: how to wait between retries; by default as the pacer waits (tests pass a recorder).
            clock: monotonic seconds, for the rate-limit deadline; by default the pacer's.
            retry_policy: the full retry rules; overrides ``max_retries`` and ``rate_limit_deadline``.
            pacer: keeps API calls within Qlik's rate limits; by default one pacer shared by the process.
        """
        if not client_id:
            raise QlikConfigurationError("client_id must not be empty")
        secret = client_secret if isinstance(client_secret, SecretStr) else SecretStr(client_secret)
        if not secret.get_secret_value():
            raise QlikConfigurationError("client_secret must not be empty")
        self._client_id = client_id
        self._client_secret = secret
        self._retry = retry_policy or RetryPolicy(
            max_retries=max_retries, rate_limit_deadline=rate_limit_deadline
        )

        self._endpoint = parse_endpoint(endpoint) if endpoint is not None else None
        if self._endpoint is not None:
            inner = transport or httpx.HTTPTransport(verify=default_ssl_context(), retries=0)
            transport = EndpointTransport(self._endpoint, inner)
        # transport=None lets httpx build its default (proxies from the environment) on the shared TLS context.
        self._http = httpx.Client(
            transport=transport,
            verify=default_ssl_context(),
            timeout=_check_timeout(timeout),
            follow_redirects=False,  # followed in _send, same host only
            headers={"Accept": "application/json", "User-Agent": _USER_AGENT},
        )
        server = str(self._endpoint) if self._endpoint is not None else "https"
        self._server = server
        self._pacer = pacer if pacer is not None else default_pacer()
        # Retries wait on the pacer's time, so a pacer on another clock (a test's) takes every wait with it.
        self._sleep = sleep if sleep is not None else self._pacer.sleep
        self._clock = clock if clock is not None else self._pacer.clock
        self._auth = QlikOAuth(
            client_id=client_id,
            server=server,
            cache=token_cache if token_cache is not None else default_token_cache(),
            fetch_token=self._fetch_token,
        )

    def __repr__(self) -> str:
        endpoint = str(self._endpoint) if self._endpoint is not None else None
        return f"QlikClient(client_id={self._client_id!r}, endpoint={endpoint!r})"

    @property
    def server(self) -> str:
        """Where requests really go: ``"https"`` for Qlik Cloud, the endpoint URL with an override (an emulator)."""
        return self._server

    @property
    def client_id(self) -> str:
        return self._client_id

    # --- lifecycle ----------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool (cached tokens stay in the token cache)."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- plumbing -----------------------------------------------------------------------------------------

    def _fetch_token(self, host: str) -> AccessToken:
        """``POST /oauth/token`` with client credentials on ``host`` (called by the token cache)."""
        body = {
            "client_id": self._client_id,
            "client_secret": self._client_secret.get_secret_value(),
            "grant_type": "client_credentials",
        }
        response = self._call(
            "POST", host, "/oauth/token", json_body=body, authenticated=False, idempotency=Idempotency.SAFE
        )
        return self._parse(AccessToken, response)

    def _call(
        self,
        method: str,
        host: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        idempotency: Idempotency | None = None,
        authenticated: bool = True,
        follow_redirects: bool = False,
    ) -> httpx.Response:
        """Send one API call with retries; return its 2xx response or raise a :class:`QlikError`.

        The body is ``json_body`` (JSON) or ``content`` (raw bytes, e.g. an app file), never both. A ``POST`` is a
        create unless its caller declares it ``Idempotency.SAFE``: it is never sent again after it may have
        reached Qlik (a second object), only after a 429 or a connection never made.
        """
        if idempotency is None:
            idempotency = Idempotency.CREATE if method == "POST" else Idempotency.SAFE
        url = httpx.URL(f"https://{check_host(host)}{path}", params=params)
        shown_url = redact_url(url)
        attempt = 0  # retries of 5xx and transport errors: counted; 429s have a deadline instead
        rate_limited = 0
        started = self._clock()
        while True:
            request = self._http.build_request(method, url, json=json_body, content=content, headers=headers)
            try:
                response = self._send(request, authenticated=authenticated, follow_redirects=follow_redirects)
            except httpx.TransportError as exc:
                decision = self._retry.for_exception(exc, attempt=attempt, idempotency=idempotency)
                if decision is None:
                    raise self._transport_error(exc, method, shown_url, idempotency, attempt) from exc
                level, what = logging.WARNING, f" failed ({decision.reason})"
            else:
                if response.is_success:
                    return response
                elapsed = self._clock() - started
                decision = self._retry.for_response(
                    response, attempt=attempt, idempotency=idempotency, elapsed=elapsed
                )
                if decision is None:
                    raise self._api_error(response, method, url, idempotency, elapsed=elapsed)
                if response.status_code == 429:
                    # Qlik pacing us, not a fault: it costs time, up to the deadline, never a retry of the count.
                    rate_limited += 1
                    logger.info(
                        "%s %s: %s; retry in %.1f s (%d so far, %.0f s of %.0f s)",
                        method,
                        shown_url,
                        decision.reason,
                        decision.delay,
                        rate_limited,
                        elapsed,
                        self._retry.rate_limit_deadline,
                    )
                    self._sleep(decision.delay)
                    continue
                level, what = logging.WARNING, f": {decision.reason}"
            logger.log(
                level,
                "%s %s%s; retry %d/%d in %.1f s",
                method,
                shown_url,
                what,
                attempt + 1,
                self._retry.max_retries,
                decision.delay,
            )
            self._sleep(decision.delay)
            attempt += 1

    def _send(self, request: httpx.Request, *, authenticated: bool, follow_redirects: bool) -> httpx.Response:
        """Send ``request``; follow redirects of a GET only within its host (tokens are per host)."""
        auth = self._auth if authenticated else None
        # The token endpoint is not rate-limited.
        slot = self._pace(request) if authenticated else None
        response = self._http.send(request, auth=auth)
        self._settle(request, slot, response)
        hops = 0
        while follow_redirects and request.method == "GET" and response.status_code in _REDIRECT_STATUSES:
            location = response.headers.get("Location")
            if not location:
                return response
            target = request.url.join(location)
            if target.host.lower() != request.url.host.lower():
                raise make_api_error(
                    response,
                    method=request.method,
                    url=request.url,
                    hint=f"Refused to follow its redirect to another host ({target.host})",
                )
            hops += 1
            if hops > MAX_REDIRECTS:
                raise make_api_error(
                    response,
                    method=request.method,
                    url=request.url,
                    hint=f"More than {MAX_REDIRECTS} redirects",
                )
            # Keep our own scheme and host: only the path and query of the Location are taken.
            request = self._http.build_request("GET", request.url.copy_with(raw_path=target.raw_path))
            logger.debug("following %d redirect to %s", response.status_code, redact_url(request.url))
            slot = self._pace(request)
            response = self._http.send(request, auth=auth)
            self._settle(request, slot, response)
        return response

    def _pace_key(self, request: httpx.Request) -> PaceKey:
        return PaceKey(self._server, request.url.host.lower(), self._client_id, tier_of(request.method))

    def _pace(self, request: httpx.Request) -> Slot:
        return self._pacer.acquire(self._pace_key(request))

    def _settle(self, request: httpx.Request, slot: Slot | None, response: httpx.Response) -> None:
        """Tell the pacer how the server took a paced request: a 429 slows its host down, anything else not."""
        if slot is None:
            return
        if response.status_code == 429:
            retry_after = parse_retry_after(
                response.headers.get("Retry-After"), cap=self._retry.max_retry_after
            )
            self._pacer.rate_limited(self._pace_key(request), slot, retry_after)
        else:
            self._pacer.accepted(self._pace_key(request))

    def _transport_error(
        self, exc: httpx.TransportError, method: str, url: str, idempotency: Idempotency, attempt: int
    ) -> QlikConnectionError:
        cause = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if idempotency is Idempotency.CREATE and not request_never_sent(exc):
            return TenantCreationUncertainError(method=method, url=url, cause=cause)
        retried = f" after {attempt} retries" if attempt else ""
        if isinstance(exc, httpx.TimeoutException):
            return QlikTimeoutError(
                f"Qlik Cloud timed out: {method} {url}{retried} ({cause})", method=method, url=url
            )
        return QlikConnectionError(
            f"could not reach Qlik Cloud: {method} {url}{retried} ({cause})", method=method, url=url
        )

    def _api_error(
        self,
        response: httpx.Response,
        method: str,
        url: httpx.URL,
        idempotency: Idempotency,
        *,
        elapsed: float,
    ) -> QlikAPIError:
        tenant_create = idempotency is Idempotency.CREATE and url.path == "/api/v1/tenants"
        hint = _CREATE_5XX_HINT if tenant_create and response.status_code >= 500 else None
        if response.status_code == 429:
            hint = (
                f"Still rate limited {elapsed:.0f} s after the first attempt (the limit for retrying 429s is"
                f" {self._retry.rate_limit_deadline:.0f} s): raise it with `pulumi config set"
                " qlik:rateLimitDeadlineSeconds 1800`, or spread the calls over time (fewer processes on this"
                " OAuth client)"
            )
        return make_api_error(response, method=method, url=url, hint=hint)

    @staticmethod
    def _parse(model: type[_ModelT], response: httpx.Response, *, empty_ok: bool = False) -> _ModelT:
        request = response.request
        try:
            data = {} if empty_ok and not response.content.strip() else json.loads(response.content)
            return model.model_validate(data)
        except (ValueError, ValidationError) as exc:
            # pydantic's message may quote the input: name only the failing fields, never the values.
            if isinstance(exc, ValidationError):
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}" for err in exc.errors()
                )
            else:
                problems = "body is not JSON"
            message = (
                f"unexpected answer to {request.method} {redact_url(request.url)}"
                f" ({response.status_code}, expected a {model.__name__}): {problems}"
            )
            raise UnexpectedResponseError(
                message, method=request.method, url=redact_url(request.url), status_code=response.status_code
            ) from None


def scim_value(value: str, argument: str) -> str:
    if not value or '"' in value or "\\" in value:
        raise QlikConfigurationError(f"{argument} must be non-empty and hold no quote or backslash")
    return value


def segment(value: str, what: str = "tenant_id") -> str:
    """``value`` quoted as one URL path segment (ids come from state files; never let them add a path)."""
    if not value:
        raise QlikConfigurationError(f"{what} must not be empty")
    return quote(value, safe="")


def filter_value(value: str) -> str:
    """A string inside a SCIM filter's double quotes (RFC 7644: JSON string escaping)."""
    # Non-ASCII as is (still a valid JSON string): a `\\uXXXX` escape is left undecoded by the emulator's filter
    # reader (and by any server that only unescapes quotes), so a group named `Süd` was never found by name.
    return json.dumps(value, ensure_ascii=False)[1:-1]
