"""The scheduling service: reload tasks of the scheduling tasks API (``/api/scheduling/tasks``) on an RFC 5545
recurrence, fired on the emulator's clock into the apps service's reloads."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..apps.rules import Apps
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import Scheduling


def build(world: World, services: Services) -> Scheduling:
    scheduling = Scheduling(world, services.get(Users), services.get(Apps))
    services.get(Tenants).on_purge(scheduling.forget_tenant)
    return scheduling


SERVICE = Service("scheduling", build, routes)
