"""Typed state of the data connections service: connections and separate credentials, secrets as digests.

Passwords and connection secrets are write-only in Qlik's APIs; the emulator keeps only their SHA-256 digest
(enough for a test to check what was sent, never enough to leak it through the state file or an answer).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...world import iso, parse_iso


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass
class Credential:
    """A separate credential (data-credentials ``Credential``): a username and a password for connections."""

    id: str
    tenant_id: str
    owner_id: str
    name: str
    q_type: str
    username: str
    password_digest: str = field(repr=False)
    datasource_id: str
    created: datetime
    updated: datetime

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "ownerId": self.owner_id,
            "name": self.name,
            "qType": self.q_type,
            "username": self.username,
            "passwordDigest": self.password_digest,
            "datasourceId": self.datasource_id,
            "created": iso(self.created),
            "updated": iso(self.updated),
        }

    @classmethod
    def from_state(cls, d: dict[str, Any]) -> Credential:
        return cls(
            d["id"],
            d["tenantId"],
            d["ownerId"],
            d["name"],
            d["qType"],
            d["username"],
            d["passwordDigest"],
            d["datasourceId"],
            parse_iso(d["created"]),
            parse_iso(d["updated"]),
        )


@dataclass
class Connection:
    """A data connection (``ConnectionGet``) in a space (None: its owner's personal space)."""

    id: str
    tenant_id: str
    owner_id: str
    space_id: str | None
    name: str
    q_type: str
    datasource_id: str
    connect_statement: str
    created: datetime
    updated: datetime
    username: str = ""
    """The embedded credential's username (``qUsername``), when the connection has no separate credential."""
    password_digest: str = field(default="", repr=False)
    secret_digest: str = field(default="", repr=False)
    """Digest of ``qConnectionSecret`` (empty: none)."""
    credential_id: str | None = None
    tags: list[str] = field(default_factory=list)

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "ownerId": self.owner_id,
            "spaceId": self.space_id,
            "name": self.name,
            "qType": self.q_type,
            "datasourceId": self.datasource_id,
            "connectStatement": self.connect_statement,
            "created": iso(self.created),
            "updated": iso(self.updated),
            "username": self.username,
            "passwordDigest": self.password_digest,
            "secretDigest": self.secret_digest,
            "credentialId": self.credential_id,
            "tags": list(self.tags),
        }

    @classmethod
    def from_state(cls, d: dict[str, Any]) -> Connection:
        return cls(
            id=d["id"],
            tenant_id=d["tenantId"],
            owner_id=d["ownerId"],
            space_id=d["spaceId"],
            name=d["name"],
            q_type=d["qType"],
            datasource_id=d["datasourceId"],
            connect_statement=d["connectStatement"],
            created=parse_iso(d["created"]),
            updated=parse_iso(d["updated"]),
            username=d["username"],
            password_digest=d["passwordDigest"],
            secret_digest=d["secretDigest"],
            credential_id=d["credentialId"],
            tags=list(d["tags"]),
        )
