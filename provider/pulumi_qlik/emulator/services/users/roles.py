"""Qlik Cloud's default roles, the ones every emulated tenant has, and how a request names them.

Shapes follow users.d.ts (``AssignedRoles``, ``RefIDs | RefNames``); the users service's rules are in ``rules.py``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from .exceptions import UserBadRequest

TENANT_ADMIN = "TenantAdmin"

_DEFAULT_ROLES = (
    ("TenantAdmin", "admin"),
    ("AnalyticsAdmin", "admin"),
    ("AuditAdmin", "admin"),
    ("DataAdmin", "admin"),
    ("Developer", "user"),
    ("SharedSpaceCreator", "user"),
    ("ManagedSpaceCreator", "user"),
    ("DataSpaceCreator", "user"),
    ("PrivateAnalyticsContentCreator", "user"),
    ("DataServicesContributor", "user"),
    ("AutomationCreator", "user"),
    ("AutomlExperimentContributor", "user"),
    ("AutomlDeploymentContributor", "user"),
)
"""Qlik Cloud's default roles (name, level) that every emulated tenant has; no custom roles."""


@dataclass(frozen=True)
class Role:
    """users.d.ts ``AssignedRoles`` item."""

    id: str
    name: str
    level: Literal["admin", "user"]
    type: Literal["default", "custom"] = "default"

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "type": self.type, "level": self.level}


def _role_id(name: str) -> str:
    if name == TENANT_ADMIN:
        return "608050f7634644db3678b1a2"  # the id the emulator has always shown for TenantAdmin
    return hashlib.sha256(f"role:{name}".encode()).hexdigest()[:24]


ROLES: dict[str, Role] = {
    name: Role(_role_id(name), name, "admin" if level == "admin" else "user")
    for name, level in _DEFAULT_ROLES
}
_ROLES_BY_ID = {role.id: role for role in ROLES.values()}


def resolve_roles(value: Any, pointer: str) -> list[str]:
    """Role names from users.d.ts ``RefIDs | RefNames``; an unknown role is a 400 naming it."""
    if not isinstance(value, list):
        raise UserBadRequest("roles must be a list of {name} or {id} objects", pointer=pointer)
    by_id = [isinstance(ref, dict) and "name" not in ref and "id" in ref for ref in value]
    if any(by_id) and not all(by_id):  # RefIDs | RefNames: one list is all ids or all names
        raise UserBadRequest(
            "give every role by name ([{name}, ...]) or every role by id ([{id}, ...]), not a mix",
            pointer=pointer,
        )
    names: list[str] = []
    for index, ref in enumerate(value):
        role: Role | None = None
        if isinstance(ref, dict) and isinstance(ref.get("name"), str):
            role = ROLES.get(ref["name"])
            shown = ref["name"]
        elif isinstance(ref, dict) and isinstance(ref.get("id"), str):
            role = _ROLES_BY_ID.get(ref["id"])
            shown = ref["id"]
        else:
            raise UserBadRequest("each role is an object with a name or an id", pointer=f"{pointer}/{index}")
        if role is None:
            known = ", ".join(ROLES)
            raise UserBadRequest(f"unknown role {shown!r}; roles are: {known}", pointer=f"{pointer}/{index}")
        if role.name not in names:
            names.append(role.name)
    return names
