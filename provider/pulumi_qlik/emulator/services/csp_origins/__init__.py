"""The CSP origins service: ``/api/v1/csp-origins`` (csp-origins.json)."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import CspOrigins


def build(world: World, services: Services) -> CspOrigins:
    csp = CspOrigins(world, services.get(Users))
    services.get(Tenants).on_purge(csp.forget_tenant)
    return csp


SERVICE = Service("csp_origins", build, routes)
