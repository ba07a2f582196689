"""Typed state of the OAuth clients service: clients made on a tenant and their secrets (digests only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...world import iso, parse_iso

APP_TYPES = ("web", "native", "spa", "anonymous-embed")
GRANT_TYPES = ("client_credentials", "urn:qlik:oauth:user-impersonation")
AUTH_METHODS = ("client_secret", "private_key_jwt")
MAX_SECRETS = 5
"""The createOAuthClientSecret operation: "An OAuth client can have a maximum of 5 client secrets"."""


@dataclass
class ClientSecret:
    """One secret of a client: its hint, the SHA-256 of the secret (the secret itself is shown once)."""

    hint: str
    digest: str = field(repr=False)
    created: datetime
    created_by: str

    def to_state(self) -> dict[str, Any]:
        return {
            "hint": self.hint,
            "digest": self.digest,
            "created": iso(self.created),
            "createdBy": self.created_by,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> ClientSecret:
        return cls(data["hint"], data["digest"], parse_iso(data["created"]), data["createdBy"])


@dataclass
class MadeClient:
    """An OAuth client made through ``POST /api/v1/oauth-clients`` on a tenant (``OAuthClientBase``)."""

    client_id: str
    tenant_id: str
    region: str
    app_type: str
    client_name: str
    owner_id: str
    created: datetime
    updated: datetime
    subject_hex: str
    """Its bot user on the tenant is ``qlikbot\\<subject_hex>``, as for the seeded clients."""
    description: str = ""
    client_uri: str = ""
    logo_uri: str = ""
    redirect_uris: list[str] = field(default_factory=list)
    allowed_origins: list[str] = field(default_factory=list)
    allowed_scopes: list[str] = field(default_factory=list)
    allowed_grant_types: list[str] = field(default_factory=list)
    allowed_auth_methods: list[str] = field(default_factory=list)
    published: datetime | None = None
    secrets: list[ClientSecret] = field(default_factory=list)

    @property
    def confidential(self) -> bool:
        """Only ``web`` clients hold secrets (spa, native and anonymous-embed clients are public clients)."""
        return self.app_type == "web"

    def to_state(self) -> dict[str, Any]:
        return {
            "clientId": self.client_id,
            "tenantId": self.tenant_id,
            "region": self.region,
            "appType": self.app_type,
            "clientName": self.client_name,
            "ownerId": self.owner_id,
            "created": iso(self.created),
            "updated": iso(self.updated),
            "subjectHex": self.subject_hex,
            "description": self.description,
            "clientUri": self.client_uri,
            "logoUri": self.logo_uri,
            "redirectUris": list(self.redirect_uris),
            "allowedOrigins": list(self.allowed_origins),
            "allowedScopes": list(self.allowed_scopes),
            "allowedGrantTypes": list(self.allowed_grant_types),
            "allowedAuthMethods": list(self.allowed_auth_methods),
            "published": iso(self.published) if self.published else None,
            "secrets": [s.to_state() for s in self.secrets],
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> MadeClient:
        return cls(
            client_id=data["clientId"],
            tenant_id=data["tenantId"],
            region=data["region"],
            app_type=data["appType"],
            client_name=data["clientName"],
            owner_id=data["ownerId"],
            created=parse_iso(data["created"]),
            updated=parse_iso(data["updated"]),
            subject_hex=data["subjectHex"],
            description=data["description"],
            client_uri=data["clientUri"],
            logo_uri=data["logoUri"],
            redirect_uris=list(data["redirectUris"]),
            allowed_origins=list(data["allowedOrigins"]),
            allowed_scopes=list(data["allowedScopes"]),
            allowed_grant_types=list(data["allowedGrantTypes"]),
            allowed_auth_methods=list(data["allowedAuthMethods"]),
            published=parse_iso(data["published"]) if data["published"] else None,
            secrets=[ClientSecret.from_state(s) for s in data["secrets"]],
        )
