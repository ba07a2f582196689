"""The web integrations service: ``/api/v1/web-integrations`` (web-integrations.json)."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import WebIntegrations


def build(world: World, services: Services) -> WebIntegrations:
    integrations = WebIntegrations(world, services.get(Users))
    services.get(Tenants).on_purge(integrations.forget_tenant)
    return integrations


SERVICE = Service("web_integrations", build, routes)
