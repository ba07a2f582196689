"""Typed state of the spaces service: spaces, assignments, the roles each space type allows, and content."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from ...world import iso, parse_iso

SpaceType = Literal["shared", "managed", "data"]
SPACE_TYPES: tuple[SpaceType, ...] = ("shared", "managed", "data")

ASSIGNABLE_ROLES: dict[str, tuple[str, ...]] = {
    "shared": ("codeveloper", "consumer", "dataconsumer", "facilitator", "producer"),
    "managed": ("basicconsumer", "consumer", "contributor", "dataconsumer", "facilitator", "publisher"),
    "data": ("consumer", "dataconsumer", "datapreview", "facilitator", "operator", "producer", "publisher"),
}
"""spaces.json ``RoleType``: "Supported roles by space type" (its description lists them per type)."""

CREATOR_ROLE = {"shared": "SharedSpaceCreator", "managed": "ManagedSpaceCreator", "data": "DataSpaceCreator"}
"""The tenant role that lets a non-admin create a space of each type (Qlik Cloud's default roles)."""


@dataclass
class Space:
    """A space of a tenant (spaces.json ``Space``)."""

    id: str
    tenant_id: str
    name: str
    type: SpaceType
    owner_id: str
    created_by: str
    created: datetime
    updated: datetime
    description: str = ""

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "name": self.name,
            "type": self.type,
            "ownerId": self.owner_id,
            "createdBy": self.created_by,
            "created": iso(self.created),
            "updated": iso(self.updated),
            "description": self.description,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Space:
        return cls(
            id=data["id"],
            tenant_id=data["tenantId"],
            name=data["name"],
            type=data["type"],
            owner_id=data["ownerId"],
            created_by=data["createdBy"],
            created=parse_iso(data["created"]),
            updated=parse_iso(data["updated"]),
            description=data["description"],
        )


@dataclass
class Assignment:
    """One user's or group's roles in a space (spaces.json ``Assignment``)."""

    id: str
    space_id: str
    tenant_id: str
    type: Literal["user", "group"]
    assignee_id: str
    roles: list[str]
    created_by: str
    created: datetime
    updated: datetime
    updated_by: str = ""

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "spaceId": self.space_id,
            "tenantId": self.tenant_id,
            "type": self.type,
            "assigneeId": self.assignee_id,
            "roles": list(self.roles),
            "createdBy": self.created_by,
            "created": iso(self.created),
            "updated": iso(self.updated),
            "updatedBy": self.updated_by,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Assignment:
        return cls(
            id=data["id"],
            space_id=data["spaceId"],
            tenant_id=data["tenantId"],
            type=data["type"],
            assignee_id=data["assigneeId"],
            roles=list(data["roles"]),
            created_by=data["createdBy"],
            created=parse_iso(data["created"]),
            updated=parse_iso(data["updated"]),
            updated_by=data["updatedBy"],
        )


@dataclass(frozen=True)
class SpaceContent:
    """Something a space holds (an app, a data file, ...) that blocks deleting the space."""

    resource_type: str
    id: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"resourceType": self.resource_type, "id": self.id, "name": self.name}


@dataclass(frozen=True)
class SpaceView:
    """A space as one caller sees it: the space plus its ``meta`` for that caller."""

    space: Space
    roles: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
