"""Who calls a Qlik API route, and on which virtual host: the oauth service resolves it, every service takes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .api_errors import RouteNotFound

if TYPE_CHECKING:  # types only: services import this module, never the other way round at run time
    from .services.oauth.models import OAuthClient
    from .services.tenants.models import Tenant


@dataclass(frozen=True)
class HostRef:
    """What a virtual hostname names."""

    kind: Literal["register", "tenant", "console"]
    hostname: str
    region: str | None
    tenant: Tenant | None = None


@dataclass(frozen=True)
class Principal:
    """The caller of an authenticated request, on the host its token or session was issued for.

    Either an OAuth client (``client`` set: it acts as its bot user) or a person logged in with a session
    cookie (``user_id`` set, from ``POST /login/jwt-session``).
    """

    client: OAuthClient | None
    host: HostRef
    user_id: str | None = None

    @property
    def rate_key(self) -> str:
        """Whose requests share a rate-limit window: Qlik's limits are per user."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"client:{self.client.client_id}" if self.client else "anonymous"


def require_host(principal: Principal, kind: Literal["register", "tenant", "console"], detail: str) -> None:
    """404 (the route is not served there) unless the caller is on a host of this kind."""
    if principal.host.kind != kind:
        raise RouteNotFound(detail)


def require_tenant_host(principal: Principal) -> Tenant:
    """The tenant whose host the caller is on; 404 on the register and console hosts."""
    if principal.host.tenant is None:
        raise RouteNotFound("only served on tenant hosts")
    return principal.host.tenant
