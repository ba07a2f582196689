"""The data connections service: ``/api/v1/data-connections`` and ``/api/v1/data-credentials`` (one service:
a separate credential is made with, and counted by, the connections that use it)."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..spaces.models import SpaceContent
from ..spaces.rules import Spaces
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import DataConnections


def build(world: World, services: Services) -> DataConnections:
    spaces = services.get(Spaces)
    data = DataConnections(world, services.get(Users), spaces)
    services.get(Tenants).on_purge(data.forget_tenant)

    def content(tenant_id: str, space_id: str) -> list[SpaceContent]:
        return [SpaceContent("dataconnection", c.id, c.name) for c in data.in_space(tenant_id, space_id)]

    spaces.add_content_source(content)  # a space holding connections is not deleted (412)
    return data


SERVICE = Service("data_connections", build, routes)
