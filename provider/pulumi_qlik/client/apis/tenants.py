"""The Tenants API (``/api/v1/tenants``): create, read, patch, deactivate and reactivate tenants."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
from pydantic import SecretStr

from .._core import ClientCore, check_host, segment
from ..errors import UnexpectedResponseError
from ..models import (
    CreateTenantRequest,
    DeactivatedTenant,
    DeactivateTenantRequest,
    PatchOperation,
    ReactivatedTenant,
    Tenant,
)
from ..retry import Idempotency

_CONFIRM_HOSTNAME_HEADER = "qlik-confirm-hostname"


class TenantsAPI(ClientCore):
    """Tenant registration and settings: the region's register host and each tenant's own host."""

    def create_tenant(
        self, register_host: str, *, license_key: SecretStr | str, datacenter: str | None = None
    ) -> Tenant:
        """``POST /api/v1/tenants`` on the register host; never retried once it may have reached the server.

        Raises:
            TenantCreationUncertainError: the request may have reached Qlik but no answer came.
            InternalServerError: Qlik answered 5xx; the tenant may exist (said in the message).
        """
        key = license_key if isinstance(license_key, SecretStr) else SecretStr(license_key)
        body = CreateTenantRequest(license_key=key, datacenter=datacenter).to_json()
        response = self._call(
            "POST", register_host, "/api/v1/tenants", json_body=body, idempotency=Idempotency.CREATE
        )
        try:
            return self._parse(Tenant, response)
        except UnexpectedResponseError as exc:
            # The tenant exists even though we can't read it: say so, with whatever we can tell of it.
            raise UnexpectedResponseError(
                f"{exc}. {self._created_tenant_hint(response)}",
                method=exc.method,
                url=exc.url,
                status_code=exc.status_code,
                created_tenant_id=self._created_tenant_id(response),
            ) from None

    def get_tenant(self, host: str, tenant_id: str) -> Tenant:
        """``GET /api/v1/tenants/{id}`` on the tenant's own host."""
        response = self._call("GET", host, f"/api/v1/tenants/{segment(tenant_id)}")
        return self._parse(Tenant, response)

    def get_my_tenant(self, host: str) -> Tenant:
        """``GET /api/v1/tenants/me``: the tenant of ``host`` (Qlik redirects to ``/tenants/{id}``)."""
        response = self._call("GET", host, "/api/v1/tenants/me", follow_redirects=True)
        return self._parse(Tenant, response)

    def patch_tenant(self, host: str, tenant_id: str, operations: Sequence[PatchOperation]) -> None:
        """``PATCH /api/v1/tenants/{id}`` with ``replace`` operations (repeatable); no request when empty."""
        if not operations:
            return
        body = [op.model_dump(mode="json", by_alias=True) for op in operations]
        self._call("PATCH", host, f"/api/v1/tenants/{segment(tenant_id)}", json_body=body)

    def deactivate_tenant(
        self,
        register_host: str,
        tenant_id: str,
        *,
        hostname: str,
        purge_after_days: int | None = None,
    ) -> DeactivatedTenant:
        """``POST /api/v1/tenants/{id}/actions/deactivate`` on the register host; ``hostname`` confirms it."""
        request = DeactivateTenantRequest(purge_after_days=purge_after_days)
        response = self._call(
            "POST",
            register_host,
            f"/api/v1/tenants/{segment(tenant_id)}/actions/deactivate",
            json_body=request.model_dump(mode="json", by_alias=True, exclude_none=True),
            headers={_CONFIRM_HOSTNAME_HEADER: check_host(hostname, "hostname")},
            idempotency=Idempotency.SAFE,  # deactivating twice is deactivated
        )
        return self._parse(DeactivatedTenant, response)

    def reactivate_tenant(self, register_host: str, tenant_id: str, *, hostname: str) -> ReactivatedTenant:
        """``POST /api/v1/tenants/{id}/actions/reactivate`` on the register host; ``hostname`` confirms it."""
        response = self._call(
            "POST",
            register_host,
            f"/api/v1/tenants/{segment(tenant_id)}/actions/reactivate",
            json_body={},
            headers={_CONFIRM_HOSTNAME_HEADER: check_host(hostname, "hostname")},
            idempotency=Idempotency.SAFE,
        )
        return self._parse(ReactivatedTenant, response, empty_ok=True)

    @staticmethod
    def _created_tenant_id(response: httpx.Response) -> str | None:
        try:
            data = response.json()
        except ValueError:
            return None
        tenant_id = data.get("id") if isinstance(data, dict) else None
        return tenant_id if isinstance(tenant_id, str) and tenant_id else None

    @classmethod
    def _created_tenant_hint(cls, response: httpx.Response) -> str:
        tenant_id = cls._created_tenant_id(response)
        if tenant_id is None:
            return (
                "A tenant was created but its id could not be read: find it in My Qlik or the Management Console,"
                " then adopt it (`adopt_tenant_id` and `adopt_hostname` on the resource) or deactivate it"
            )
        return (
            f"Tenant {tenant_id!r} was created: adopt it with `adopt_tenant_id={tenant_id!r}` and its"
            " `adopt_hostname` rather than creating another"
        )
