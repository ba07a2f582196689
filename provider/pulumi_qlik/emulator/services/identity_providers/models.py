"""Typed state of the identity providers service: JWT identity providers (``IDPJWTAuth``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...world import iso, parse_iso


@dataclass
class JwtIdentityProvider:
    """A JWT IdP of a tenant: an issuer and one static key (``kid`` + public key PEM)."""

    id: str
    tenant_id: str
    issuer: str
    kid: str
    pem: str
    clock_tolerance_sec: int
    created: datetime
    last_updated: datetime
    description: str | None = None
    active: bool = True

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "issuer": self.issuer,
            "kid": self.kid,
            "pem": self.pem,
            "clockToleranceSec": self.clock_tolerance_sec,
            "created": iso(self.created),
            "lastUpdated": iso(self.last_updated),
            "description": self.description,
            "active": self.active,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> JwtIdentityProvider:
        return cls(
            id=data["id"],
            tenant_id=data["tenantId"],
            issuer=data["issuer"],
            kid=data["kid"],
            pem=data["pem"],
            clock_tolerance_sec=int(data["clockToleranceSec"]),
            created=parse_iso(data["created"]),
            last_updated=parse_iso(data["lastUpdated"]),
            description=data["description"],
            active=bool(data["active"]),
        )
