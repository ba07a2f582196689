"""The oauth service's state: OAuth clients and issued access tokens (by digest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...world import iso, parse_iso


@dataclass
class OAuthClient:
    """An OAuth client: regional (``region`` set) or organization-level (``region`` None, console host)."""

    client_id: str
    secret: str = field(repr=False)
    region: str | None
    name: str
    subject_hex: str
    """The bot users of this client are ``qlikbot\\<subject_hex>`` on every tenant."""

    def to_state(self) -> dict[str, Any]:
        return {
            "clientId": self.client_id,
            "secret": self.secret,
            "region": self.region,
            "name": self.name,
            "subjectHex": self.subject_hex,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> OAuthClient:
        return cls(data["clientId"], data["secret"], data["region"], data["name"], data["subjectHex"])


@dataclass
class AccessToken:
    """An issued token, stored by its SHA-256 digest only; valid on ``host`` until ``expires_at``."""

    digest: str = field(repr=False)
    host: str
    client_id: str
    expires_at: datetime

    def to_state(self) -> dict[str, Any]:
        return {
            "digest": self.digest,
            "host": self.host,
            "clientId": self.client_id,
            "expiresAt": iso(self.expires_at),
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> AccessToken:
        return cls(data["digest"], data["host"], data["clientId"], parse_iso(data["expiresAt"]))
