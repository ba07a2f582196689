"""The OAuth clients service: ``/api/v1/oauth-clients`` (oauth-clients spec), clients made on a tenant whose
tokens the oauth service issues on that tenant only."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..oauth.rules import OAuth
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import OAuthClients


def build(world: World, services: Services) -> OAuthClients:
    clients = OAuthClients(world, services.get(Users))
    services.get(OAuth).use_client_directory(clients)
    services.get(Tenants).on_purge(clients.forget_tenant)
    return clients


SERVICE = Service("oauth_clients", build, routes)
