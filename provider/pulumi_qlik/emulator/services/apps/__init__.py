"""The apps service: apps, temporary contents, items and reloads, as Qlik's content APIs serve them.

Apps live per tenant with their metadata and opaque content bytes; export writes a temporary content, import
reads one (or a request body), publish copies an app into a managed space and republish overwrites that copy
in place; ``/api/v1/items`` lists the apps; reloads advance on the emulator's clock. Shapes and codes follow
the apps, items, reloads and temporary-contents specs; what they leave open is decided in docs/emulator.md.
Its control plane (seed an app, fail the next reload, timings) is in ``control.py``.
"""

from __future__ import annotations

from ...domain import Service, Services
from ...world import World
from ..tenants.rules import Tenants
from ..users.rules import Users
from .routes import routes
from .rules import Apps, AppsSettings, SpaceDirectory


def build(world: World, services: Services) -> Apps:
    apps = Apps(world, services.get(Users))
    services.get(Tenants).on_purge(apps.forget_tenant)  # a purged tenant's apps go with it
    return apps


SERVICE = Service("apps", build, routes)

__all__ = ["SERVICE", "Apps", "AppsSettings", "SpaceDirectory"]
