"""The extensions service: ``/api/v1/extensions`` (extensions spec), the themes service's rules over another
kind of upload (a ``.qext`` that is no theme; ``checksum`` of the archive)."""

from __future__ import annotations

from ...domain import Service, Services
from ...routing import RouteSpec
from ...world import World
from ..tenants.rules import Tenants
from ..themes.routes import bundle_routes
from ..themes.rules import Bundles
from ..users.rules import Users


class Extensions(Bundles):
    """Extensions (``/api/v1/extensions``)."""

    kind = "extension"
    state_key = "extensions"


def build(world: World, services: Services) -> Extensions:
    extensions = Extensions(world, services.get(Users))
    services.get(Tenants).on_purge(extensions.forget_tenant)
    return extensions


def routes(extensions: Extensions) -> list[RouteSpec]:
    return bundle_routes(extensions, "/api/v1/extensions")


SERVICE = Service("extensions", build, routes)
