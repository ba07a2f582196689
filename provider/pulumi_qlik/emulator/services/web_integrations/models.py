"""Typed state of the web integrations service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...world import iso, parse_iso


@dataclass
class WebIntegration:
    """A web integration (web-integrations.json ``WebIntegration``): a name and the origins it allows."""

    id: str
    tenant_id: str
    name: str
    valid_origins: list[str]
    created_by: str
    created: datetime
    last_updated: datetime

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "name": self.name,
            "validOrigins": list(self.valid_origins),
            "createdBy": self.created_by,
            "created": iso(self.created),
            "lastUpdated": iso(self.last_updated),
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> WebIntegration:
        return cls(
            id=data["id"],
            tenant_id=data["tenantId"],
            name=data["name"],
            valid_origins=list(data["validOrigins"]),
            created_by=data["createdBy"],
            created=parse_iso(data["created"]),
            last_updated=parse_iso(data["lastUpdated"]),
        )
