"""Typed state of the groups service: groups and each tenant's group settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from ...world import iso, parse_iso

EVERYONE_ID = "000000000000000000000001"
EVERYONE_NAME = "com.qlik.Everyone"


@dataclass
class Group:
    """A group of a tenant (groups.json ``Group``); ``roles`` are role names."""

    id: str
    tenant_id: str
    name: str
    created: datetime
    last_updated: datetime
    provider_type: Literal["idp", "custom"] = "idp"
    description: str | None = None
    roles: list[str] = field(default_factory=list)
    created_by: str | None = None
    updated_by: str | None = None

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "name": self.name,
            "created": iso(self.created),
            "lastUpdated": iso(self.last_updated),
            "providerType": self.provider_type,
            "description": self.description,
            "roles": list(self.roles),
            "createdBy": self.created_by,
            "updatedBy": self.updated_by,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Group:
        return cls(
            id=data["id"],
            tenant_id=data["tenantId"],
            name=data["name"],
            created=parse_iso(data["created"]),
            last_updated=parse_iso(data["lastUpdated"]),
            provider_type=data["providerType"],
            description=data["description"],
            roles=list(data["roles"]),
            created_by=data["createdBy"],
            updated_by=data["updatedBy"],
        )


@dataclass
class GroupSettings:
    """A tenant's group settings (groups.json ``GroupSettings``); absent from the state = the defaults."""

    auto_create_groups: bool = False
    sync_idp_groups: bool = False
    everyone_roles: list[str] = field(default_factory=list)
    last_updated: datetime | None = None

    def to_state(self) -> dict[str, Any]:
        return {
            "autoCreateGroups": self.auto_create_groups,
            "syncIdpGroups": self.sync_idp_groups,
            "everyoneRoles": list(self.everyone_roles),
            "lastUpdated": iso(self.last_updated) if self.last_updated else None,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> GroupSettings:
        updated = data.get("lastUpdated")
        return cls(
            auto_create_groups=bool(data["autoCreateGroups"]),
            sync_idp_groups=bool(data["syncIdpGroups"]),
            everyone_roles=list(data["everyoneRoles"]),
            last_updated=parse_iso(updated) if updated else None,
        )
