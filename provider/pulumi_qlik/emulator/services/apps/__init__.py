"""The apps service: apps, temporary contents, items and reloads, as Qlik's content APIs serve them.

Apps live per tenant with their metadata and opaque content bytes; export writes a temporary content, import
reads one (or a request body), publish copies an app into a managed space and republish overwrites that copy
in place; ``/api/v1/items`` lists the apps; reloads advance on the emulator's clock. Space ids are checked and
typed by the spaces service, which in turn asks this one what a space holds before deleting it (412). Shapes
and codes follow the apps, items, reloads and temporary-contents specs; what they leave open is decided in
docs/emulator.md. Its control plane (seed an app, fail the next reload, timings) is in ``control/apps.py``.
"""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..spaces.models import SpaceContent
from ..spaces.rules import Spaces
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import Apps, AppsSettings, SpaceDirectory


def build(world: World, services: Services) -> Apps:
    apps = Apps(world, services.get(Users))
    services.get(Tenants).on_purge(apps.forget_tenant)  # a purged tenant's apps go with it
    spaces = services.get(Spaces)
    apps.spaces = spaces

    def content(tenant_id: str, space_id: str) -> list[SpaceContent]:
        return [SpaceContent("app", app.id, app.name) for app in apps.apps_in_space(tenant_id, space_id)]

    spaces.add_content_source(content)  # a space that holds apps is not deleted (412)
    return apps


SERVICE = Service("apps", build, routes)

__all__ = ["SERVICE", "Apps", "AppsSettings", "SpaceDirectory"]
