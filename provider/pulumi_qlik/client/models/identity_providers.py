"""Models of the Identity Providers API (``/api/v1/identity-providers``).

Only the JWT protocol (``jwtAuth``, non-interactive) is built; ``IdentityProvider`` reads any protocol, and an
interactive protocol (OIDC, SAML) would add its own create payload beside ``CreateJWTIdentityProviderRequest``."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypeAlias

from pydantic import ConfigDict, Field

from ._common import PageLinks, QlikModel, RequestModel, ResponseModel

IdentityProviderProtocol: TypeAlias = Literal["OIDC", "SAML", "jwtAuth", "qsefw-local-bearer-token"] | str


class StaticKey(QlikModel):
    """A JWT verification key: its ``kid`` and PEM-encoded public key (not a secret); sent and read alike."""

    model_config = ConfigDict(frozen=True)

    kid: str
    pem: str


class IdentityProviderOptions(ResponseModel):
    """The protocol's options as read; for ``jwtAuth`` the issuer and its one static key."""

    issuer: str | None = None
    static_keys: list[StaticKey] = Field(default_factory=list)


class IdentityProvider(ResponseModel):
    """An identity provider of a tenant, any protocol."""

    id: str
    protocol: IdentityProviderProtocol
    provider: str | None = None
    interactive: bool | None = None
    active: bool | None = None
    description: str | None = None
    tenant_ids: list[str] = Field(default_factory=list)
    clock_tolerance_sec: int | None = None
    options: IdentityProviderOptions | None = None
    created: datetime | None = None
    last_updated: datetime | None = None


class IdentityProviderList(ResponseModel):
    """``GET /api/v1/identity-providers``: one page of identity providers."""

    data: list[IdentityProvider] = Field(default_factory=list)
    links: PageLinks | None = None


class JWTAuthOptions(RequestModel):
    """The options of a JWT identity provider: the issuer it trusts and its one static key."""

    issuer: str
    static_keys: list[StaticKey]


class CreateJWTIdentityProviderRequest(RequestModel):
    """``POST /api/v1/identity-providers`` for a JWT identity provider (Qlik: ``CreateJWTAuthPayload``)."""

    protocol: Literal["jwtAuth"] = "jwtAuth"
    provider: Literal["external"] = "external"
    interactive: Literal[False] = False
    options: JWTAuthOptions
    description: str | None = None
    clock_tolerance_sec: int | None = None
    tenant_ids: list[str] | None = None


class IdentityProviderPatchOperation(RequestModel):
    """One ``replace`` of ``PATCH /api/v1/identity-providers/{id}``; for ``jwtAuth`` only the description."""

    op: Literal["replace"] = "replace"
    path: Literal["/description"]
    value: str
