"""The registry of emulated Qlik services: one entry each, in dependency order (a service after those it uses).

A service is a folder here: ``models.py`` (its typed state), ``rules.py`` (its domain object: state and
rules, no HTTP), ``routes.py`` (parse, call the rules, render), ``exceptions.py`` (its own Qlik error codes),
and ``__init__.py`` exposing ``SERVICE = Service(name, build, routes)`` (see ``domain.py``). The backend builds
the services in this order, the state file collects the parts of those that keep state, and the app serves
their routes. To add one: a new folder, its name in the import, and one entry in ``SERVICES``.

A service imports another service's modules only when that one is listed before it (its ``build`` gets it
from ``Services.get``); it may name a later service's types under ``TYPE_CHECKING`` only, so that no import
cycle forms.
"""

from __future__ import annotations

from typing import Any

from ..domain import Service
from . import (
    apps,
    csp_origins,
    data_connections,
    embed,
    extensions,
    groups,
    identity_providers,
    licenses,
    login,
    oauth,
    oauth_clients,
    organization,
    scheduling,
    spaces,
    tenants,
    themes,
    users,
    web_integrations,
)

SERVICES: tuple[Service[Any], ...] = (
    licenses.SERVICE,
    tenants.SERVICE,
    users.SERVICE,
    oauth.SERVICE,
    organization.SERVICE,
    groups.SERVICE,
    identity_providers.SERVICE,
    spaces.SERVICE,
    web_integrations.SERVICE,
    csp_origins.SERVICE,
    login.SERVICE,
    apps.SERVICE,
    oauth_clients.SERVICE,
    data_connections.SERVICE,
    scheduling.SERVICE,
    themes.SERVICE,
    extensions.SERVICE,
    embed.SERVICE,
)
