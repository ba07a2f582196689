"""The tenants service: tenant lifecycle on the register host, ``GET``/``PATCH`` on the tenant's own host."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..licenses.rules import Licenses
from .routes import routes
from .rules import Tenants


def build(world: World, services: Services) -> Tenants:
    return Tenants(world, services.get(Licenses))


SERVICE = Service("tenants", build, routes)
