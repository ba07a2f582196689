"""The licenses service: licenses, signed license keys, the tenant allotment, ``GET /api/v1/licenses/overview``."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from .routes import routes
from .rules import Licenses


def build(world: World, services: Services) -> Licenses:
    return Licenses(world)


SERVICE = Service("licenses", build, routes)
