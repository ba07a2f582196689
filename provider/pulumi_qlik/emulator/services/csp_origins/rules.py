"""CSP origins per tenant (csp-origins.json): origins added to the tenant's Content-Security-Policy header.

Decisions (docs/emulator.md): ``origin`` is required (at most 256 characters) and is a host with an optional
scheme, port and leading ``*.`` wildcard, nothing after it; ``name`` at most 512 and ``description`` at
most 1024 characters; directives not given are false; origins need not be unique (the spec documents no
409); PUT replaces the whole entry; writes need TenantAdmin. Errors are csp-origins.json's
``ErrorResponse``; Qlik documents no codes, ours are ``HTTP-<status>``.
"""

from __future__ import annotations

import re
from typing import Any

from ...api_errors import QlikError
from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World
from ..tenants.models import Tenant
from ..users.rules import Users
from .models import DIRECTIVES, CspOrigin

_ORIGIN_RE = re.compile(
    r"^(?:(?:https?|wss?)://)?(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::[0-9]{1,5})?$"
)
_LIMITS = {"origin": 256, "name": 512, "description": 1024}


class CspBadRequest(QlikError):
    status, code, title = 400, "HTTP-400", "Bad Request"


class CspNotFound(QlikError):
    status, code, title = 404, "HTTP-404", "Not found"


class CspNotAcceptable(QlikError):
    """``generate-header`` for an ``Accept`` that takes neither JSON nor text (406, csp-origins.json)."""

    status, code, title = 406, "HTTP-406", "Not Acceptable"


class CspOrigins(Domain):
    """Every tenant's CSP entries."""

    def __init__(self, world: World, users: Users) -> None:
        super().__init__(world)
        self._users = users
        self._entries: dict[str, CspOrigin] = {}

    def to_state(self) -> dict[str, Any]:
        return {"cspOrigins": [e.to_state() for e in self._entries.values()]}

    def load_state(self, data: dict[str, Any]) -> None:
        self._entries = {e.id: e for e in map(CspOrigin.from_state, data.get("cspOrigins", []))}

    def forget_tenant(self, tenant: Tenant) -> None:
        for entry_id in [e.id for e in self._entries.values() if e.tenant_id == tenant.id]:
            del self._entries[entry_id]

    def _on(self, tenant: Tenant, entry_id: str) -> CspOrigin:
        entry = self._entries.get(entry_id)
        if entry is None or entry.tenant_id != tenant.id:
            raise CspNotFound(f"CSP origin {entry_id} not found")
        return entry

    @locked
    def listing(self, principal: Principal) -> list[CspOrigin]:
        tenant = require_tenant_host(principal)
        return [e for e in self._entries.values() if e.tenant_id == tenant.id]

    @locked
    def get(self, principal: Principal, entry_id: str) -> CspOrigin:
        return self._on(require_tenant_host(principal), entry_id)

    @locked
    def create(self, principal: Principal, body: Any) -> CspOrigin:
        tenant = self._users.require_tenant_admin(principal)
        origin, name, description, directives = _content(body)
        now = self.now()
        entry = CspOrigin(self.world.ids.hex(24), tenant.id, origin, name, description, now, now, directives)
        self._entries[entry.id] = entry
        self.world.changed()
        return entry

    @locked
    def replace(self, principal: Principal, entry_id: str, body: Any) -> CspOrigin:
        entry = self._on(self._users.require_tenant_admin(principal), entry_id)
        entry.origin, entry.name, entry.description, entry.directives = _content(body)
        entry.modified = self.now()
        self.world.changed()
        return entry

    @locked
    def delete(self, principal: Principal, entry_id: str) -> None:
        entry = self._on(self._users.require_tenant_admin(principal), entry_id)
        del self._entries[entry.id]
        self.world.changed()

    @locked
    def header(self, principal: Principal) -> str:
        """The compiled header of the caller's tenant."""
        return self.header_of(require_tenant_host(principal))

    @locked
    def header_of(self, tenant: Tenant) -> str:
        """The compiled header: for each directive, ``'self'`` and the origins that enable it. The tenant's
        pages carry it (``services/embed``): its ``frame-ancestors`` decides which portals may frame them."""
        entries = sorted(
            (e for e in self._entries.values() if e.tenant_id == tenant.id), key=lambda e: e.created
        )
        parts: list[str] = []
        for directive in dict.fromkeys(DIRECTIVES.values()):
            sources = ["'self'"]
            for entry in entries:
                for flag, name in DIRECTIVES.items():
                    if name == directive and entry.directives.get(flag):
                        source = (
                            f"wss://{entry.origin.split('://')[-1]}"
                            if flag == "connectSrcWSS"
                            else entry.origin
                        )
                        if source not in sources:
                            sources.append(source)
            parts.append(f"{directive} {' '.join(sources)}")
        return "; ".join(parts)


def _content(body: Any) -> tuple[str, str, str, dict[str, bool]]:
    """(origin, name, description, directives) from ``CSPEntryContent``; 400 naming the first bad field."""
    if not isinstance(body, dict):
        raise CspBadRequest("the body must be a JSON object")
    texts: dict[str, str] = {}
    for field, limit in _LIMITS.items():
        value = body.get(field, "" if field != "origin" else None)
        if not isinstance(value, str) or len(value) > limit:
            raise CspBadRequest(
                f"{field} must be a string of at most {limit} characters", pointer=f"/{field}"
            )
        texts[field] = value
    if not _ORIGIN_RE.match(texts["origin"]):
        raise CspBadRequest(
            f"origin {texts['origin']!r} is not an origin such as portal.example.com or https://*.example.com",
            pointer="/origin",
        )
    directives: dict[str, bool] = {}
    for flag in DIRECTIVES:
        value = body.get(flag, False)
        if not isinstance(value, bool):
            raise CspBadRequest(f"{flag} takes true or false", pointer=f"/{flag}")
        directives[flag] = value
    return texts["origin"], texts["name"], texts["description"], directives
