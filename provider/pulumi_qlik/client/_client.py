"""``QlikClient``: the Qlik Cloud REST calls that tenant provisioning needs, typed, with auth and retries."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from ._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    LOGGER_NAME,
    MAX_ORG_PAGES,
    MAX_REDIRECTS,
    ORG_PAGE_SIZE,
)
from .apis.csp_origins import CspOriginsAPI
from .apis.spaces import SpacesAPI
from .apis.web_integrations import WebIntegrationsAPI
from .apis_groups import GroupsAPI
from .apis_identity_providers import IdentityProvidersAPI
from .apis_license_settings import LicenseSettingsAPI
from .errors import (
    QlikAPIError,
    QlikConfigurationError,
    QlikConnectionError,
    QlikError,
    QlikTimeoutError,
    TenantCreationUncertainError,
    UnexpectedResponseError,
    make_api_error,
    redact_url,
)
from .models import (
    AccessToken,
    CreateTenantRequest,
    CreateUserRequest,
    DeactivatedTenant,
    DeactivateTenantRequest,
    InviteItem,
    InviteResponse,
    InviteResult,
    LicenseOverview,
    OrganizationTenant,
    OrganizationTenantPage,
    PatchOperation,
    ReactivatedTenant,
    Tenant,
    User,
    UserList,
    UserPatchOperation,
)
from .pacing import PaceKey, Pacer, default_pacer, tier_of
from .retry import Idempotency, RetryPolicy, request_never_sent
from .tokens import QlikOAuth, TokenCache, default_token_cache
from .transport import EndpointTransport, parse_endpoint

logger = logging.getLogger(LOGGER_NAME)

_ModelT = TypeVar("_ModelT", bound=BaseModel)

_HOST_RE = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})*$"
)
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CONFIRM_HOSTNAME_HEADER = "qlik-confirm-hostname"
_USER_AGENT = "pulumi-qlik"
_USERS_PAGE = 100

_CREATE_5XX_HINT = (
    "The tenant may have been created anyway; it was not retried to avoid a second one. Check My Qlik"
    " or the Management Console for a new tenant and adopt it (`adopt_tenant_id` and `adopt_hostname` on"
    " the resource), or deactivate it, before retrying"
)


def _check_host(host: str, argument: str = "host") -> str:
    if not _HOST_RE.match(host):
        raise QlikConfigurationError(
            f"{argument} must be a bare hostname such as abc123def456ghi.us.qlikcloud.com or"
            f" register.us.qlikcloud.com (no scheme, port or path), got {host!r}"
        )
    return host.lower()


def _check_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    result = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    if result.connect is None or result.read is None or result.write is None or result.pool is None:
        raise QlikConfigurationError(f"timeout must be set for connect, read, write and pool, got {result!r}")
    return result


class QlikClient(
    GroupsAPI, IdentityProvidersAPI, LicenseSettingsAPI, SpacesAPI, WebIntegrationsAPI, CspOriginsAPI
):
    """Client of the Qlik Cloud REST APIs used to provision tenants; safe to share between threads.

    Every method takes the bare hostname to talk to (a tenant's ``<name>.<region>.qlikcloud.com`` or the
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
        token_cache: TokenCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
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
            max_retries: retries after the first attempt (see :mod:`pulumi_qlik.client.retry`).
            token_cache: where tokens are cached; by default one cache shared by the whole process.
            sleep: how to wait between retries (tests pass a recorder instead of sleeping).
            retry_policy: the full retry rules; overrides ``max_retries`` when given.
            pacer: keeps API calls within Qlik's rate limits; by default one pacer shared by the process.
        """
        if not client_id:
            raise QlikConfigurationError("client_id must not be empty")
        secret = client_secret if isinstance(client_secret, SecretStr) else SecretStr(client_secret)
        if not secret.get_secret_value():
            raise QlikConfigurationError("client_secret must not be empty")
        self._client_id = client_id
        self._client_secret = secret
        self._sleep = sleep
        self._retry = retry_policy or RetryPolicy(max_retries=max_retries)

        self._endpoint = parse_endpoint(endpoint) if endpoint is not None else None
        if self._endpoint is not None:
            inner = transport or httpx.HTTPTransport(verify=True, retries=0)
            transport = EndpointTransport(self._endpoint, inner)
        # transport=None lets httpx build its default: TLS verified, proxies from the environment.
        self._http = httpx.Client(
            transport=transport,
            timeout=_check_timeout(timeout),
            follow_redirects=False,  # followed in _send, same host only
            headers={"Accept": "application/json", "User-Agent": _USER_AGENT},
        )
        server = str(self._endpoint) if self._endpoint is not None else "https"
        self._server = server
        self._pacer = pacer if pacer is not None else default_pacer()
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

    # --- API ----------------------------------------------------------------------------------------------

    def get_license_overview(self, host: str) -> LicenseOverview:
        """``GET /api/v1/licenses/overview`` on a tenant: its license and signed key."""
        response = self._call("GET", host, "/api/v1/licenses/overview")
        return self._parse(LicenseOverview, response)

    def create_tenant(
        self, register_host: str, *, license_key: SecretStr | str, datacenter: str | None = None
    ) -> Tenant:
        """``POST /api/v1/tenants`` on the register host; never retried once it may have reached the server.

        Raises:
            TenantCreationUncertainError: the request may have reached Qlik but no answer came.
            InternalServerError: Qlik answered 5xx; the tenant may exist (said in the message).
        """
        key = license_key if isinstance(license_key, SecretStr) else SecretStr(license_key)
        body = CreateTenantRequest(license_key=key, datacenter=datacenter).to_json()
        response = self._call(
            "POST", register_host, "/api/v1/tenants", json_body=body, idempotency=Idempotency.CREATE
        )
        try:
            return self._parse(Tenant, response)
        except UnexpectedResponseError as exc:
            # The tenant exists even though we can't read it: say so, with whatever we can tell of it.
            raise UnexpectedResponseError(
                f"{exc}. {self._created_tenant_hint(response)}",
                method=exc.method,
                url=exc.url,
                status_code=exc.status_code,
                created_tenant_id=self._created_tenant_id(response),
            ) from None

    def get_tenant(self, host: str, tenant_id: str) -> Tenant:
        """``GET /api/v1/tenants/{id}`` on the tenant's own host."""
        response = self._call("GET", host, f"/api/v1/tenants/{_segment(tenant_id)}")
        return self._parse(Tenant, response)

    def get_my_tenant(self, host: str) -> Tenant:
        """``GET /api/v1/tenants/me``: the tenant of ``host`` (Qlik redirects to ``/tenants/{id}``)."""
        response = self._call("GET", host, "/api/v1/tenants/me", follow_redirects=True)
        return self._parse(Tenant, response)

    def patch_tenant(self, host: str, tenant_id: str, operations: Sequence[PatchOperation]) -> None:
        """``PATCH /api/v1/tenants/{id}`` with ``replace`` operations (repeatable); no request when empty."""
        if not operations:
            return
        body = [op.model_dump(mode="json", by_alias=True) for op in operations]
        self._call("PATCH", host, f"/api/v1/tenants/{_segment(tenant_id)}", json_body=body)

    def deactivate_tenant(
        self,
        register_host: str,
        tenant_id: str,
        *,
        hostname: str,
        purge_after_days: int | None = None,
    ) -> DeactivatedTenant:
        """``POST /api/v1/tenants/{id}/actions/deactivate`` on the register host; ``hostname`` confirms it."""
        request = DeactivateTenantRequest(purge_after_days=purge_after_days)
        response = self._call(
            "POST",
            register_host,
            f"/api/v1/tenants/{_segment(tenant_id)}/actions/deactivate",
            json_body=request.model_dump(mode="json", by_alias=True, exclude_none=True),
            headers={_CONFIRM_HOSTNAME_HEADER: _check_host(hostname, "hostname")},
        )
        return self._parse(DeactivatedTenant, response)

    def reactivate_tenant(self, register_host: str, tenant_id: str, *, hostname: str) -> ReactivatedTenant:
        """``POST /api/v1/tenants/{id}/actions/reactivate`` on the register host; ``hostname`` confirms it."""
        response = self._call(
            "POST",
            register_host,
            f"/api/v1/tenants/{_segment(tenant_id)}/actions/reactivate",
            json_body={},
            headers={_CONFIRM_HOSTNAME_HEADER: _check_host(hostname, "hostname")},
        )
        return self._parse(ReactivatedTenant, response, empty_ok=True)

    def get_my_user(self, host: str) -> User:
        """``GET /api/v1/users/me``: the calling bot user of ``host`` (Qlik redirects to ``/users/{id}``)."""
        response = self._call("GET", host, "/api/v1/users/me", follow_redirects=True)
        return self._parse(User, response)

    def create_user(self, host: str, request: CreateUserRequest) -> User:
        """``POST /api/v1/users`` on a tenant: an invited user (409 ``ConflictError`` if subject or email exist).

        Repeating it cannot create a second user (Qlik refuses a duplicate with 409), so it is retried like
        any repeatable request; a 409 after a lost answer means the first attempt went through.
        """
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        response = self._call("POST", host, "/api/v1/users", json_body=body)
        return self._parse(User, response)

    def get_user(self, host: str, user_id: str) -> User:
        """``GET /api/v1/users/{id}`` on a tenant."""
        response = self._call("GET", host, f"/api/v1/users/{_segment(user_id, 'user_id')}")
        return self._parse(User, response)

    def find_users(self, host: str, *, email: str | None = None, subject: str | None = None) -> list[User]:
        """Users of the tenant with this email and/or subject (``filter`` ``eq``, case-insensitive).

        Both are unique on a tenant, so one page holds every match; more than a page is refused, not cut.
        """
        pairs = (("email", email), ("subject", subject))
        clauses = [f'{name} eq "{_filter_value(value)}"' for name, value in pairs if value]
        if not clauses:
            raise QlikConfigurationError("find_users needs an email or a subject")
        params = {"filter": " and ".join(clauses), "limit": str(_USERS_PAGE)}
        response = self._call("GET", host, "/api/v1/users", params=params)
        page = self._parse(UserList, response)
        if page.links is not None and page.links.next is not None:
            raise UnexpectedResponseError(
                f"more than {_USERS_PAGE} users match {params['filter']} (email and subject are unique)",
                method="GET",
                url=redact_url(response.request.url),
                status_code=response.status_code,
            )
        return page.data

    def patch_user(self, host: str, user_id: str, operations: Sequence[UserPatchOperation]) -> None:
        """``PATCH /api/v1/users/{id}`` with ``replace`` operations; no request when empty.

        Qlik answers 204, or 207 when some operations failed: that is raised as an error naming them.
        """
        if not operations:
            return
        body = [op.model_dump(mode="json", by_alias=True) for op in operations]
        path = f"/api/v1/users/{_segment(user_id, 'user_id')}"
        response = self._call("PATCH", host, path, json_body=body)
        if response.status_code == 207:
            raise make_api_error(
                response,
                method="PATCH",
                url=response.request.url,
                hint="Some patch operations were not applied",
            )

    def delete_user(self, host: str, user_id: str) -> None:
        """``DELETE /api/v1/users/{id}`` on a tenant (204; ``NotFoundError`` when already gone)."""
        self._call("DELETE", host, f"/api/v1/users/{_segment(user_id, 'user_id')}")

    def invite_users(self, host: str, invitees: Sequence[InviteItem]) -> list[InviteResult]:
        """``POST /api/v1/users/actions/invite``: Qlik emails each invitee; one result per invitee (207)."""
        body = {"invitees": [i.model_dump(mode="json", by_alias=True, exclude_none=True) for i in invitees]}
        response = self._call("POST", host, "/api/v1/users/actions/invite", json_body=body)
        return self._parse(InviteResponse, response).data

    # --- Organization API (console host, organization-level OAuth client) --------------------------------

    def list_subscription_tenants(
        self, console_host: str, subscription_id: str, *, hostname: str | None = None
    ) -> list[OrganizationTenant]:
        """Every tenant of a subscription (with ``hostname``: the one that has it), all pages.

        ``GET /api/core/tenants`` with a SCIM ``eq`` filter on the console host.
        """
        scim = f'subscriptionId eq "{_scim_value(subscription_id, "subscription_id")}"'
        if hostname is not None:
            scim += f' and hostnames eq "{_scim_value(_check_host(hostname, "hostname"), "hostname")}"'
        host = _check_host(console_host, "console_host")
        path, params = "/api/core/tenants", {"filter": scim, "limit": str(ORG_PAGE_SIZE)}
        found: list[OrganizationTenant] = []
        for _ in range(MAX_ORG_PAGES):
            page = self._parse(OrganizationTenantPage, self._call("GET", host, path, params=params))
            found.extend(page.data)
            if not page.next_href or not page.data:
                return found
            # Only the path and query of the link are taken: requests stay on the console host.
            target = httpx.URL(page.next_href)
            path, params = target.path, dict(target.params.items())
        raise QlikError(f"more than {MAX_ORG_PAGES} pages of tenants in subscription {subscription_id}")

    def get_organization_tenant(self, console_host: str, tenant_id: str) -> OrganizationTenant:
        """``GET /api/core/tenants/{id}`` on the console host: any tenant of the organization, any region."""
        response = self._call("GET", console_host, f"/api/core/tenants/{_segment(tenant_id)}")
        return self._parse(OrganizationTenant, response)

    # --- plumbing -----------------------------------------------------------------------------------------

    def _fetch_token(self, host: str) -> AccessToken:
        """``POST /oauth/token`` with client credentials on ``host`` (called by the token cache)."""
        body = {
            "client_id": self._client_id,
            "client_secret": self._client_secret.get_secret_value(),
            "grant_type": "client_credentials",
        }
        response = self._call("POST", host, "/oauth/token", json_body=body, authenticated=False)
        return self._parse(AccessToken, response)

    def _call(
        self,
        method: str,
        host: str,
        path: str,
        *,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        idempotency: Idempotency = Idempotency.SAFE,
        authenticated: bool = True,
        follow_redirects: bool = False,
    ) -> httpx.Response:
        """Send one API call with retries; return its 2xx response or raise a :class:`QlikError`."""
        url = httpx.URL(f"https://{_check_host(host)}{path}", params=params)
        shown_url = redact_url(url)
        attempt = 0
        while True:
            request = self._http.build_request(method, url, json=json_body, headers=headers)
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
                decision = self._retry.for_response(response, attempt=attempt, idempotency=idempotency)
                if decision is None:
                    raise self._api_error(response, method, url, idempotency)
                # A 429 is Qlik pacing us, not a fault.
                level = logging.INFO if response.status_code == 429 else logging.WARNING
                what = f": {decision.reason}"
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
        if authenticated:  # the token endpoint is not rate-limited
            self._pace(request)
        response = self._http.send(request, auth=auth)
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
            self._pace(request)
            response = self._http.send(request, auth=auth)
        return response

    def _pace(self, request: httpx.Request) -> None:
        key = PaceKey(self._server, request.url.host.lower(), self._client_id, tier_of(request.method))
        self._pacer.acquire(key)

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

    @staticmethod
    def _api_error(
        response: httpx.Response, method: str, url: httpx.URL, idempotency: Idempotency
    ) -> QlikAPIError:
        hint = _CREATE_5XX_HINT if idempotency is Idempotency.CREATE and response.status_code >= 500 else None
        return make_api_error(response, method=method, url=url, hint=hint)

    @staticmethod
    def _created_tenant_id(response: httpx.Response) -> str | None:
        try:
            data = response.json()
        except ValueError:
            return None
        tenant_id = data.get("id") if isinstance(data, dict) else None
        return tenant_id if isinstance(tenant_id, str) and tenant_id else None

    @classmethod
    def _created_tenant_hint(cls, response: httpx.Response) -> str:
        tenant_id = cls._created_tenant_id(response)
        if tenant_id is None:
            return (
                "A tenant was created but its id could not be read: find it in My Qlik or the Management Console,"
                " then adopt it (`adopt_tenant_id` and `adopt_hostname` on the resource) or deactivate it"
            )
        return (
            f"Tenant {tenant_id!r} was created: adopt it with `adopt_tenant_id={tenant_id!r}` and its"
            " `adopt_hostname` rather than creating another"
        )

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


def _scim_value(value: str, argument: str) -> str:
    if not value or '"' in value or "\\" in value:
        raise QlikConfigurationError(f"{argument} must be non-empty and hold no quote or backslash")
    return value


def _segment(value: str, what: str = "tenant_id") -> str:
    """``value`` quoted as one URL path segment (ids come from state files; never let them add a path)."""
    if not value:
        raise QlikConfigurationError(f"{what} must not be empty")
    return quote(value, safe="")


def _filter_value(value: str) -> str:
    """A string inside a SCIM filter's double quotes (RFC 7644: JSON string escaping)."""
    return json.dumps(value)[1:-1]
