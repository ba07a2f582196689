"""The tenants service: tenant lifecycle on the register host, ``GET``/``PATCH`` on the tenant's own host."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..licenses.rules import Licenses
from .routes import routes
from .rules import Tenants


def build(world: World, services: Services) -> Tenants:
    licenses = services.get(Licenses)
    tenants = Tenants(world, licenses)
    tenants.on_purge(licenses.settings.forget_tenant)  # a purged tenant's license settings go with it
    return tenants


SERVICE = Service("tenants", build, routes)
