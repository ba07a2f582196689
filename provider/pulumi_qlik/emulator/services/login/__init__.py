"""The login service: ``POST /login/jwt-session`` (login.json, tag tokens) and the session cookies it issues.

It is registered after the oauth service, which it tells how to authenticate a request by its session cookie.
"""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..groups.rules import Groups
from ..identity_providers.rules import IdentityProviders
from ..oauth.rules import OAuth
from ..tenants.rules import Tenants
from ..users.rules import Users
from ..web_integrations.rules import WebIntegrations
from .routes import routes
from .rules import JwtLogin


def build(world: World, services: Services) -> JwtLogin:
    oauth = services.get(OAuth)
    login = JwtLogin(
        world,
        services.get(Users),
        services.get(Groups),
        services.get(IdentityProviders),
        services.get(WebIntegrations),
        oauth.resolve_host,
    )
    oauth.use_sessions(login.principal)
    services.get(Tenants).on_purge(login.forget_tenant)
    return login


SERVICE = Service("login", build, routes)
