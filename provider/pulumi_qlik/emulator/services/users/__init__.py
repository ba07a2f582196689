"""The users service: bot users of OAuth clients and people of a tenant, ``/api/v1/users`` (the Users API)."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..licenses.rules import Licenses
from ..tenants.rules import Tenants
from .routes import routes
from .rules import Users


def build(world: World, services: Services) -> Users:
    users = Users(world)
    services.get(Tenants).on_purge(users.forget_tenant)  # a purged tenant's users go with it
    services.get(Licenses).settings.attach_admin_check(users.require_tenant_admin)
    return users


SERVICE = Service("users", build, routes)
