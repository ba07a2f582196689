"""The spaces service: spaces and their assignments, ``/api/v1/spaces`` (spaces.json).

Services that keep content in spaces (apps, items...) register it with ``Spaces.add_content_source`` in their
own ``build``, so that deleting a space that still holds content is refused (412).
"""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..groups.rules import Groups
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import Spaces


def build(world: World, services: Services) -> Spaces:
    spaces = Spaces(world, services.get(Users), services.get(Groups))
    services.get(Tenants).on_purge(spaces.forget_tenant)
    return spaces


SERVICE = Service("spaces", build, routes)
