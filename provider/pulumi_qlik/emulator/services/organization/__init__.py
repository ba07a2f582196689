"""The organization service: the Organization API on the console host (``/api/core/tenants``)."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..licenses.rules import Licenses
from ..tenants.rules import Tenants
from .routes import routes
from .rules import Organization


def build(world: World, services: Services) -> Organization:
    return Organization(world, services.get(Tenants), services.get(Licenses))


SERVICE = Service("organization", build, routes)
