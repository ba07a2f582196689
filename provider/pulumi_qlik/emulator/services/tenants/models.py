"""The tenants service's state: a tenant, its status and its boolean settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from ...world import iso, parse_iso


class TenantStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


TENANT_FLAGS = (
    "autoAssignCreateSharedSpacesRoleToProfessionals",
    "autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals",
    "autoAssignDataServicesContributorRoleToProfessionals",
    "enableAnalyticCreation",
    "enableAppOpeningFeedback",
)
"""The boolean tenant fields PATCH may replace, under their JSON names."""


DEFAULT_TENANT_FLAGS = {
    "autoAssignCreateSharedSpacesRoleToProfessionals": True,
    "autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals": True,
    "autoAssignDataServicesContributorRoleToProfessionals": True,
    "enableAnalyticCreation": False,
    "enableAppOpeningFeedback": True,
}


@dataclass
class Tenant:
    """A tenant. ``hostnames[0]`` is ``<name>.<region>.qlikcloud.com``; ``hostnames[1]`` an optional alias."""

    id: str
    name: str
    hostnames: list[str]
    region: str
    datacenter: str
    license_number: str
    created: datetime
    last_updated: datetime
    status: TenantStatus
    status_last_updated: datetime
    flags: dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_TENANT_FLAGS))
    created_by_user: str = ""
    estimated_purge: datetime | None = None
    source: bool = False
    """A seeded source tenant (created 'in My Qlik', not through the API)."""

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "hostnames": list(self.hostnames),
            "region": self.region,
            "datacenter": self.datacenter,
            "licenseNumber": self.license_number,
            "created": iso(self.created),
            "lastUpdated": iso(self.last_updated),
            "status": self.status.value,
            "statusLastUpdated": iso(self.status_last_updated),
            "flags": dict(self.flags),
            "createdByUser": self.created_by_user,
            "estimatedPurge": iso(self.estimated_purge) if self.estimated_purge else None,
            "source": self.source,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Tenant:
        return cls(
            id=data["id"],
            name=data["name"],
            hostnames=list(data["hostnames"]),
            region=data["region"],
            datacenter=data["datacenter"],
            license_number=data["licenseNumber"],
            created=parse_iso(data["created"]),
            last_updated=parse_iso(data["lastUpdated"]),
            status=TenantStatus(data["status"]),
            status_last_updated=parse_iso(data["statusLastUpdated"]),
            flags=dict(data["flags"]),
            created_by_user=data["createdByUser"],
            estimated_purge=parse_iso(data["estimatedPurge"]) if data["estimatedPurge"] else None,
            source=data["source"],
        )
