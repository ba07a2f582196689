"""The themes service: ``/api/v1/themes`` (themes spec), uploads stored and served back. The extensions
service reuses its rules and routes for ``/api/v1/extensions``."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import Themes


def build(world: World, services: Services) -> Themes:
    themes = Themes(world, services.get(Users))
    services.get(Tenants).on_purge(themes.forget_tenant)
    return themes


SERVICE = Service("themes", build, routes)
