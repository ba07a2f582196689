"""The licenses service: licenses, signed license keys, the tenant allotment, ``GET /api/v1/licenses/overview``;
and each tenant's license settings, ``GET/PUT /api/v1/licenses/settings`` (``settings.py``; the users service
attaches the TenantAdmin rule, the tenants service forgets a purged tenant's settings)."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from .routes import routes
from .rules import Licenses


def build(world: World, services: Services) -> Licenses:
    return Licenses(world)


SERVICE = Service("licenses", build, routes)
