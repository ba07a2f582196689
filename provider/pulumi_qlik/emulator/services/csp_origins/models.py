"""Typed state of the CSP origins service: one content-security-policy entry per origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...world import iso, parse_iso

DIRECTIVES: dict[str, str] = {
    "childSrc": "child-src",
    "connectSrc": "connect-src",
    "connectSrcWSS": "connect-src",
    "fontSrc": "font-src",
    "formAction": "form-action",
    "frameAncestors": "frame-ancestors",
    "frameSrc": "frame-src",
    "imgSrc": "img-src",
    "mediaSrc": "media-src",
    "objectSrc": "object-src",
    "scriptSrc": "script-src",
    "styleSrc": "style-src",
    "workerSrc": "worker-src",
}
"""csp-origins.json ``CSPEntryContent`` booleans and the header directive each adds the origin to
(``connectSrcWSS`` adds it to connect-src with ``wss://``)."""


@dataclass
class CspOrigin:
    """A CSP entry (csp-origins.json ``CSPEntry``)."""

    id: str
    tenant_id: str
    origin: str
    name: str
    description: str
    created: datetime
    modified: datetime
    directives: dict[str, bool] = field(default_factory=dict)

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "origin": self.origin,
            "name": self.name,
            "description": self.description,
            "created": iso(self.created),
            "modified": iso(self.modified),
            "directives": dict(self.directives),
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> CspOrigin:
        return cls(
            id=data["id"],
            tenant_id=data["tenantId"],
            origin=data["origin"],
            name=data["name"],
            description=data["description"],
            created=parse_iso(data["created"]),
            modified=parse_iso(data["modified"]),
            directives=dict(data["directives"]),
        )
