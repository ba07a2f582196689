"""The identity providers service: JWT IdPs, ``/api/v1/identity-providers`` (identity-providers.json)."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import IdentityProviders


def build(world: World, services: Services) -> IdentityProviders:
    idps = IdentityProviders(world, services.get(Users))
    services.get(Tenants).on_purge(idps.forget_tenant)
    return idps


SERVICE = Service("identity_providers", build, routes)
