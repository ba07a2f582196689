"""The oauth service's rules: virtual hosts, OAuth clients, access tokens, the principal of a request, and
rate limits.

Tokens are opaque, stored by SHA-256 digest only, and valid only on the host that issued them.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from pulumi_qlik.regions import CONSOLE_HOST

from ...api_errors import ControlError, RateLimited, Unauthorized
from ...domain import Domain, locked
from ...principal import HostRef, Principal
from ...world import World
from ..tenants.models import Tenant, TenantStatus
from ..tenants.rules import Tenants
from ..users.rules import Users
from .exceptions import InvalidClient, InvalidTokenRequest, TenantDeactivated, TokenExpired, UnknownHost
from .models import AccessToken, OAuthClient


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


SessionLookup = Callable[[HostRef, Mapping[str, str], str, str | None], Principal | None]
"""(host, cookies, method, CSRF header) -> the session's principal, or None when no session cookie is sent."""


def _no_sessions(host: HostRef, cookies: Mapping[str, str], method: str, csrf: str | None) -> None:
    return None


class ClientDirectory(Protocol):
    """OAuth clients made through ``/api/v1/oauth-clients`` (the oauth_clients service): bound to a tenant."""

    def find(self, client_id: str) -> OAuthClient | None:
        """The client as a token's principal (None: no such client, or deleted)."""

    def verify(
        self, host: HostRef, client_id: str, client_secret: str, grant_type: str
    ) -> OAuthClient | None:
        """None when no such client; raises ``InvalidClient`` / ``InvalidTokenRequest`` when it may not get a
        token on this host (another tenant, wrong secret, grant not allowed)."""


@dataclass(frozen=True)
class IssuedToken:
    access_token: str = field(repr=False)
    expires_at: datetime
    expires_in: int


class OAuth(Domain):
    """Clients (regional and organization), live tokens, and per (host, client, tier) request windows."""

    def __init__(self, world: World, tenants: Tenants, users: Users) -> None:
        super().__init__(world)
        self._tenants = tenants
        self._users = users
        self._clients: dict[str, OAuthClient] = {}
        self._tokens: dict[str, AccessToken] = {}
        self._region_clients: dict[str, str] = {}
        self._org_client = ""
        self._rate: dict[tuple[str, str, int], deque[datetime]] = {}
        self._sessions: SessionLookup = _no_sessions
        self._directory: ClientDirectory | None = None
        tenants.on_purge(self._forget_hosts)

    # --- state ---------------------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {
            "clients": [c.to_state() for c in self._clients.values()],
            "tokens": [t.to_state() for t in self._tokens.values()],
            "regionClients": dict(self._region_clients),
            "orgClient": self._org_client,
        }

    def load_state(self, data: dict[str, Any]) -> None:
        self._clients = {c.client_id: c for c in map(OAuthClient.from_state, data["clients"])}
        self._tokens = {t.digest: t for t in map(AccessToken.from_state, data["tokens"])}
        self._region_clients = dict(data["regionClients"])
        self._org_client = data["orgClient"]

    def use_sessions(self, lookup: SessionLookup) -> None:
        """How a request without a bearer token is authenticated by its session cookie (the login service)."""
        self._sessions = lookup

    def use_client_directory(self, directory: ClientDirectory) -> None:
        """Clients made on tenants through the OAuth clients API (checked after the seeded clients)."""
        self._directory = directory

    def forget_sessions(self) -> None:
        """Drop every token and rate-limit window (a reset keeps clients, not sessions)."""
        self._tokens.clear()
        self._rate.clear()

    # --- clients -------------------------------------------------------------------------------------------

    def new_client(
        self,
        region: str | None,
        name: str,
        client_id: str | None = None,
        secret: str | None = None,
        *,
        seeded_for_region: bool = False,
    ) -> OAuthClient:
        """A regional client (``region`` set) or an organization client (None: the console host)."""
        client = OAuthClient(
            client_id=client_id or self.world.ids.hex(32),
            secret=secret or self.world.ids.secret(),
            region=region,
            name=name,
            subject_hex=self.world.ids.hex(32),
        )
        if client.client_id in self._clients:
            raise ControlError("client id already exists")
        self._clients[client.client_id] = client
        if seeded_for_region and region is not None:
            self._region_clients[region] = client.client_id
        elif seeded_for_region:
            self._org_client = client.client_id
        return client

    def clients(self) -> list[OAuthClient]:
        return list(self._clients.values())

    def client_of(self, region: str) -> OAuthClient:
        return self._clients[self._region_clients[region]]

    def organization_client(self) -> OAuthClient:
        return self._clients[self._org_client]

    # --- hosts ---------------------------------------------------------------------------------------------

    def _resolve(self, hostname: str) -> HostRef:
        hostname = hostname.lower().rstrip(".")
        if hostname == CONSOLE_HOST:
            return HostRef("console", hostname, None)
        for code, region in self.world.regions.items():
            if hostname == region.register_host:
                return HostRef("register", hostname, code)
        tenant = self._tenants.by_hostname(hostname)
        if tenant is None:
            raise UnknownHost(f"Unknown hostname {hostname}")
        if tenant.status is TenantStatus.DISABLED:
            raise TenantDeactivated("Tenant has been deactivated. Reactivate it through the register host.")
        return HostRef("tenant", hostname, tenant.region, tenant)

    @locked
    def resolve_host(self, hostname: str) -> HostRef:
        """Raises ``UnknownHost`` (LOGIN-2) or ``TenantDeactivated`` for hosts that cannot serve."""
        return self._resolve(hostname)

    # --- tokens --------------------------------------------------------------------------------------------

    @locked
    def issue_token(
        self, hostname: str, client_id: str | None, client_secret: str | None, grant_type: str | None
    ) -> IssuedToken:
        host = self._resolve(hostname)
        if not grant_type:
            raise InvalidTokenRequest("grant_type is required")
        if grant_type != "client_credentials":
            raise InvalidTokenRequest(f"unsupported grant_type {grant_type!r}")
        if not client_id or not client_secret:
            raise InvalidTokenRequest("client_id and client_secret are required")
        client = self._clients.get(client_id)
        made = (
            None
            if client or not self._directory
            else self._directory.verify(host, client_id, client_secret, grant_type)
        )
        if made is not None:
            return self._issue(host, made)
        expected = client.secret if client else secrets.token_hex(32)
        secret_ok = hmac.compare_digest(expected.encode("utf-8"), client_secret.encode("utf-8"))
        if client is None or not secret_ok:
            raise InvalidClient("invalid client credentials")
        if host.kind == "console" and client.region is not None:
            raise InvalidClient("a regional OAuth client cannot be used on the console host")
        if host.kind != "console" and client.region != host.region:
            raise InvalidClient(f"OAuth client is not valid in region {host.region!r}")
        return self._issue(host, client)

    def _issue(self, host: HostRef, client: OAuthClient) -> IssuedToken:
        if host.tenant is not None:
            self._users.bot_user(host.tenant, client)
        token = secrets.token_urlsafe(48)
        ttl = self.world.config.token_ttl_seconds
        expires_at = self.now() + timedelta(seconds=ttl)
        self._tokens[_digest(token)] = AccessToken(
            _digest(token), host.hostname, client.client_id, expires_at
        )
        self._drop_expired_tokens()
        self.world.changed()
        self.world.record(token)
        return IssuedToken(token, expires_at, ttl)

    def _drop_expired_tokens(self) -> None:
        now = self.now()
        for digest in [d for d, tok in self._tokens.items() if tok.expires_at <= now]:
            del self._tokens[digest]

    def _forget_hosts(self, tenant: Tenant) -> None:
        hosts = set(tenant.hostnames)
        for digest in [d for d, tok in self._tokens.items() if tok.host in hosts]:
            del self._tokens[digest]

    @locked
    def authenticate(
        self,
        hostname: str,
        bearer: str | None,
        cookies: Mapping[str, str] | None = None,
        method: str = "GET",
        csrf_header: str | None = None,
    ) -> Principal:
        """The caller: a bearer token wins; without one, a session cookie from ``/login/jwt-session``."""
        host = self._resolve(hostname)
        if not bearer:
            session = self._sessions(host, cookies or {}, method, csrf_header)
            if session is not None:
                return session
            raise Unauthorized("missing bearer token")
        token = self._tokens.get(_digest(bearer))
        if token is None or token.host != host.hostname:
            raise Unauthorized("invalid token for this host")
        if self.now() >= token.expires_at:
            raise TokenExpired("token expired")
        client = self._clients.get(token.client_id)
        if client is None and self._directory is not None:
            client = self._directory.find(token.client_id)
        if client is None:
            raise Unauthorized("client no longer exists")
        return Principal(client, host)

    # --- rate limits ---------------------------------------------------------------------------------------

    @locked
    def check_rate(self, principal: Principal, tier: int) -> None:
        """Sliding window per (host, client, tier); raises ``RateLimited`` with the seconds to wait."""
        config = self.world.config
        limit = config.tier1_limit if tier == 1 else config.tier2_limit
        window = timedelta(seconds=config.rate_window_seconds)
        now = self.now()
        hits = self._rate.setdefault((principal.host.hostname, principal.rate_key, tier), deque())
        while hits and hits[0] <= now - window:
            hits.popleft()
        if len(hits) >= limit:
            wait = (hits[0] + window - now).total_seconds()
            raise RateLimited(max(1, math.ceil(wait)))
        hits.append(now)
