"""The embed service: stand-ins for the tenant's embeddable pages (``/single/``), which carry the tenant's
Content-Security-Policy, so that a browser lets only the portals of its CSP origins frame them."""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..apps.rules import Apps
from ..csp_origins.rules import CspOrigins
from ..oauth.rules import OAuth
from ..users.rules import Users
from .routes import routes
from .rules import Embed


def build(world: World, services: Services) -> Embed:
    return Embed(
        world, services.get(OAuth), services.get(Apps), services.get(Users), services.get(CspOrigins)
    )


SERVICE = Service("embed", build, routes)
