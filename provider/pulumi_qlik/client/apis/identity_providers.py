"""The Identity Providers API (``/api/v1/identity-providers``)."""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from .._core import ClientCore, segment
from ..errors import QlikError
from ..models import (
    CreateJWTIdentityProviderRequest,
    IdentityProvider,
    IdentityProviderList,
    IdentityProviderPatchOperation,
)
from ..retry import Idempotency

_IDP_PAGE = 100
_MAX_IDP_PAGES = 50


class IdentityProvidersAPI(ClientCore):
    """Identity providers of a tenant, on the tenant's own host."""

    def create_identity_provider(
        self, host: str, request: CreateJWTIdentityProviderRequest
    ) -> IdentityProvider:
        """``POST /api/v1/identity-providers`` (201).

        Qlik has no unique key that would refuse a repeat, so it is never retried once it may have reached
        the server: a second identity provider would silently trust the same issuer twice.
        """
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        response = self._call(
            "POST", host, "/api/v1/identity-providers", json_body=body, idempotency=Idempotency.CREATE
        )
        return self._parse(IdentityProvider, response)

    def get_identity_provider(self, host: str, idp_id: str) -> IdentityProvider:
        """``GET /api/v1/identity-providers/{id}``."""
        response = self._call("GET", host, f"/api/v1/identity-providers/{segment(idp_id, 'idp_id')}")
        return self._parse(IdentityProvider, response)

    def list_identity_providers(self, host: str) -> list[IdentityProvider]:
        """Every identity provider of the tenant, all pages (``next`` cursor)."""
        params = {"limit": str(_IDP_PAGE)}
        found: list[IdentityProvider] = []
        for _ in range(_MAX_IDP_PAGES):
            page = self._parse(
                IdentityProviderList, self._call("GET", host, "/api/v1/identity-providers", params=params)
            )
            found.extend(page.data)
            if page.links is None or page.links.next is None or not page.data:
                return found
            cursor = httpx.URL(page.links.next.href).params.get("next")
            if not cursor:
                return found
            params = {"limit": str(_IDP_PAGE), "next": cursor}
        raise QlikError(f"more than {_MAX_IDP_PAGES} pages of identity providers on {host}")

    def patch_identity_provider(
        self, host: str, idp_id: str, operations: Sequence[IdentityProviderPatchOperation]
    ) -> None:
        """``PATCH /api/v1/identity-providers/{id}`` (204); for a JWT one only ``/description``."""
        if not operations:
            return
        body = [op.model_dump(mode="json", by_alias=True) for op in operations]
        self._call("PATCH", host, f"/api/v1/identity-providers/{segment(idp_id, 'idp_id')}", json_body=body)

    def delete_identity_provider(self, host: str, idp_id: str) -> None:
        """``DELETE /api/v1/identity-providers/{id}`` (204; ``NotFoundError`` when already gone)."""
        self._call("DELETE", host, f"/api/v1/identity-providers/{segment(idp_id, 'idp_id')}")
