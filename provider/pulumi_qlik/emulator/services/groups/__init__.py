"""The groups service: ``/api/v1/groups`` and ``/api/v1/groups/settings`` (groups.json)."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import Groups


def build(world: World, services: Services) -> Groups:
    groups = Groups(world, services.get(Users))  # attaches itself: group roles count for their members
    services.get(Tenants).on_purge(groups.forget_tenant)
    return groups


SERVICE = Service("groups", build, routes)
