"""Models of the OAuth Clients API (``/api/v1/oauth-clients``), after Qlik's oauth-clients spec.

A client secret is shown once (creating the client, creating a secret): it is a ``SecretStr`` here, never in
a ``repr``; reading a client back gives only the hints of its secrets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypeAlias

from pydantic import Field, SecretStr

from ._common import PageLinks, RequestModel, ResponseModel

OAuthAppType: TypeAlias = Literal["web", "native", "spa", "anonymous-embed"]
OAuthGrantType: TypeAlias = Literal["client_credentials", "urn:qlik:oauth:user-impersonation"]
OAuthClientPatchPath: TypeAlias = Literal[
    "/allowedOrigins",
    "/clientName",
    "/clientUri",
    "/description",
    "/logoUri",
    "/redirectUris",
    "/allowedScopes",
    "/allowedGrantTypes",
    "/allowedAuthMethods",
]
MAX_CLIENT_SECRETS = 5
"""createOAuthClientSecret: "An OAuth client can have a maximum of 5 client secrets at one time" (409 beyond)."""


class OAuthClientSecretHint(ResponseModel):
    """One of a client's secrets as a read shows it: its hint, never the secret."""

    hint: str
    created_at: datetime | None = None
    created_by: str | None = None


class TenantOAuthClient(ResponseModel):
    """An OAuth client made on a tenant (``OAuthClientAdminReadResponse``)."""

    client_id: str
    app_type: str
    client_name: str
    description: str = ""
    owner_id: str | None = None
    client_uri: str | None = None
    logo_uri: str | None = None
    redirect_uris: list[str] = Field(default_factory=list)
    allowed_origins: list[str] = Field(default_factory=list)
    allowed_scopes: list[str] = Field(default_factory=list)
    allowed_grant_types: list[str] = Field(default_factory=list)
    allowed_auth_methods: list[str] = Field(default_factory=list)
    client_secrets: list[OAuthClientSecretHint] = Field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    published_at: datetime | None = None


class CreatedOAuthClient(TenantOAuthClient):
    """``OAuthClientCreateResponse``: the client and, for a ``web`` client, its first secret (shown once)."""

    client_secret: SecretStr | None = None


class OAuthClientList(ResponseModel):
    """``GET /api/v1/oauth-clients``: one page; ``links.next`` names the next page."""

    data: list[TenantOAuthClient] = Field(default_factory=list)
    links: PageLinks | None = None
    total_results: int | None = None


class OAuthClientSecret(ResponseModel):
    """``OAuthClientSecretResponse``: a new secret of a client, shown once, and its hint."""

    hint: str
    client_id: str
    client_secret: SecretStr
    created_at: datetime | None = None
    created_by: str | None = None


class CreateOAuthClientRequest(RequestModel):
    """Body of ``POST /api/v1/oauth-clients`` (``OAuthClientCreateRequest``); unset fields are not sent.

    A backend (machine-to-machine) client is ``app_type="web"`` with ``allowed_grant_types=
    ["client_credentials"]``; a browser app is ``spa`` with ``redirect_uris`` and ``allowed_origins``.
    """

    app_type: OAuthAppType
    client_name: str
    description: str | None = None
    client_uri: str | None = None
    logo_uri: str | None = None
    redirect_uris: list[str] | None = None
    allowed_origins: list[str] | None = None
    allowed_scopes: list[str] | None = None
    allowed_grant_types: list[OAuthGrantType] | None = None


class OAuthClientPatchOperation(RequestModel):
    """One ``OAuthClientUpdate``: ``replace`` sets a field (a list field takes the full list), ``add`` appends
    to a list, ``remove`` clears (or drops the given items of a list)."""

    op: Literal["add", "remove", "replace"] = "replace"
    path: OAuthClientPatchPath
    value: str | list[str] | None = None


class OAuthClientPublished(ResponseModel):
    """``OAuthClientPublishResponse``."""

    published_at: datetime
