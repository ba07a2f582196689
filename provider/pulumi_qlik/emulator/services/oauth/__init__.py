"""The oauth service: OAuth clients, ``POST /oauth/token``, the principal of every request, rate limits."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import OAuth


def build(world: World, services: Services) -> OAuth:
    return OAuth(world, services.get(Tenants), services.get(Users))


SERVICE = Service("oauth", build, routes)
