"""The OAuth Clients API (``/api/v1/oauth-clients``): clients a tenant's backends and web apps sign in with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .._core import ClientCore, segment
from ..models.oauth_clients import (
    CreatedOAuthClient,
    CreateOAuthClientRequest,
    OAuthClientList,
    OAuthClientPatchOperation,
    OAuthClientPublished,
    OAuthClientSecret,
    TenantOAuthClient,
)
from ..retry import Idempotency
from ._paging import PAGE_SIZE, pages

PATH = "/api/v1/oauth-clients"


class OAuthClientsAPI(ClientCore):
    """OAuth clients of a tenant, on the tenant's own host (TenantAdmin)."""

    def create_oauth_client(self, host: str, request: CreateOAuthClientRequest) -> CreatedOAuthClient:
        """``POST /api/v1/oauth-clients`` (201): the client and, for a ``web`` client, its secret (shown once)."""
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        response = self._call("POST", host, PATH, json_body=body, idempotency=Idempotency.CREATE)
        return self._parse(CreatedOAuthClient, response)

    def get_oauth_client(self, host: str, client_id: str) -> TenantOAuthClient:
        """``GET /api/v1/oauth-clients/{id}``: the client and the hints of its secrets."""
        return self._parse(TenantOAuthClient, self._call("GET", host, _path(client_id)))

    def list_oauth_clients(self, host: str) -> list[TenantOAuthClient]:
        """Every OAuth client of the tenant, all pages."""
        found: list[TenantOAuthClient] = []
        for page in pages(self, OAuthClientList, host, PATH, {"limit": str(PAGE_SIZE)}, what="OAuth clients"):
            found.extend(page.data)
        return found

    def patch_oauth_client(
        self, host: str, client_id: str, operations: Sequence[OAuthClientPatchOperation]
    ) -> None:
        """``PATCH /api/v1/oauth-clients/{id}`` (204); no request when empty."""
        if not operations:
            return
        body = [op.model_dump(mode="json", by_alias=True, exclude_none=True) for op in operations]
        self._call("PATCH", host, _path(client_id), json_body=body)

    def delete_oauth_client(self, host: str, client_id: str) -> None:
        """``DELETE /api/v1/oauth-clients/{id}`` (204), confirmed with ``qlik-confirm-delete``."""
        self._call("DELETE", host, _path(client_id), headers={"qlik-confirm-delete": client_id})

    def publish_oauth_client(self, host: str, client_id: str) -> datetime:
        """``POST .../actions/publish`` (201): the client then works on every tenant of its region."""
        response = self._call(
            "POST", host, f"{_path(client_id)}/actions/publish", idempotency=Idempotency.SAFE
        )
        return self._parse(OAuthClientPublished, response).published_at

    def create_oauth_client_secret(self, host: str, client_id: str) -> OAuthClientSecret:
        """``POST .../client-secrets`` (201): a new secret, shown once; 409 (``ConflictError``) at five."""
        response = self._call(
            "POST", host, f"{_path(client_id)}/client-secrets", idempotency=Idempotency.CREATE
        )
        return self._parse(OAuthClientSecret, response)

    def delete_oauth_client_secret(self, host: str, client_id: str, hint: str) -> None:
        """``DELETE .../client-secrets/{hint}`` (204)."""
        self._call("DELETE", host, f"{_path(client_id)}/client-secrets/{segment(hint, 'hint')}")


def _path(client_id: str) -> str:
    return f"{PATH}/{segment(client_id, 'client_id')}"
