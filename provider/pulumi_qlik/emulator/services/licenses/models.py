"""The licenses service's state: a license (entitlement) and its status."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from ...world import iso, parse_iso


class LicenseStatus(StrEnum):
    OK = "Ok"
    EXPIRED = "Expired"
    BLACKLISTED = "Blacklisted"


@dataclass
class License:
    """A signed entitlement: a validity interval, a status, and a tenant allotment."""

    number: str
    subscription_id: str
    region: str
    """The region whose source tenant shows this license (keys are accepted on every register host)."""
    max_tenants: int
    valid_from: date
    valid_to: date | None
    status: LicenseStatus
    """The stored status; an Ok license outside its interval still reads as Expired."""
    trial: bool
    key_revision: int
    min_key_revision: int
    """Keys signed with a revision below this one were revoked by a rotation."""
    key_issued_at: datetime
    updated: datetime

    def effective_status(self, today: date) -> LicenseStatus:
        if self.status is not LicenseStatus.OK:
            return self.status
        if today < self.valid_from or (self.valid_to is not None and today > self.valid_to):
            return LicenseStatus.EXPIRED
        return LicenseStatus.OK

    def valid_interval(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else ""
        return f"{self.valid_from.isoformat()}/{end}"

    def version(self) -> str:
        """A content hash of the license definition: it changes whenever the license does."""
        content = f"{self.number}|{self.status.value}|{self.valid_interval()}|{self.max_tenants}|{iso(self.updated)}"
        return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]

    def to_state(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "subscriptionId": self.subscription_id,
            "region": self.region,
            "maxTenants": self.max_tenants,
            "validFrom": self.valid_from.isoformat(),
            "validTo": self.valid_to.isoformat() if self.valid_to else None,
            "status": self.status.value,
            "trial": self.trial,
            "keyRevision": self.key_revision,
            "minKeyRevision": self.min_key_revision,
            "keyIssuedAt": iso(self.key_issued_at),
            "updated": iso(self.updated),
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> License:
        return cls(
            number=data["number"],
            subscription_id=data["subscriptionId"],
            region=data["region"],
            max_tenants=data["maxTenants"],
            valid_from=date.fromisoformat(data["validFrom"]),
            valid_to=date.fromisoformat(data["validTo"]) if data["validTo"] else None,
            status=LicenseStatus(data["status"]),
            trial=data["trial"],
            key_revision=data["keyRevision"],
            min_key_revision=data["minKeyRevision"],
            key_issued_at=parse_iso(data["keyIssuedAt"]),
            updated=parse_iso(data["updated"]),
        )
