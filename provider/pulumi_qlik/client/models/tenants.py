"""The Tenants API (``tenants.d.ts``)."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal, TypeAlias

from pydantic import Field, SecretStr, model_validator

from ._common import Links, RequestModel, ResponseModel

TenantStatus: TypeAlias = Literal["active", "disabled", "deleted", "user-access-disabled"] | str
"""The documented tenant statuses; any other string from the server is kept as is."""
TENANT_ACTIVE: Final = "active"
TENANT_DISABLED: Final = "disabled"
"""A deactivated tenant (Qlik's status for it)."""

TenantPatchPath: TypeAlias = Literal[
    "/name",
    "/hostnames/1",
    "/autoAssignCreateSharedSpacesRoleToProfessionals",
    "/autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals",
    "/autoAssignDataServicesContributorRoleToProfessionals",
    "/enableAnalyticCreation",
    "/enableAppOpeningFeedback",
]
"""The paths ``PATCH /api/v1/tenants/{id}`` accepts (``hostnames/0`` is system generated and fixed)."""

_STRING_PATCH_PATHS = frozenset({"/name", "/hostnames/1"})


class Tenant(ResponseModel):
    """A Qlik Cloud tenant, as returned by create/get (only ``id`` and ``name`` are required by the spec)."""

    id: str
    name: str
    hostnames: list[str] = Field(default_factory=list)
    """``[0]`` is the system-generated ``<name>.<region>.qlikcloud.com``; ``[1]`` the optional alias."""
    created_by_user: str | None = None
    datacenter: str | None = None
    region: str | None = None
    created: datetime | None = None
    last_updated: datetime | None = None
    status: TenantStatus | None = None
    status_last_updated_at: datetime | None = None
    auto_assign_create_shared_spaces_role_to_professionals: bool | None = None
    auto_assign_private_analytics_content_creator_role_to_professionals: bool | None = None
    auto_assign_data_services_contributor_role_to_professionals: bool | None = None
    enable_analytic_creation: bool | None = None
    """Deprecated by Qlik."""
    enable_app_opening_feedback: bool | None = None
    links: Links | None = None

    @property
    def hostname(self) -> str | None:
        """The tenant's own hostname (``hostnames[0]``), the host its API and OAuth token endpoint live on."""
        return self.hostnames[0] if self.hostnames else None

    @property
    def alias_hostname(self) -> str | None:
        """The optional alias (``hostnames[1]``)."""
        return self.hostnames[1] if len(self.hostnames) > 1 else None


class DeactivatedTenant(ResponseModel):
    """The answer to ``POST /api/v1/tenants/{id}/actions/deactivate``."""

    id: str | None = None
    status: TenantStatus | None = None
    estimated_purge_date: datetime | None = None
    """The tenant can be reactivated until then; afterwards it is purged for good."""


class ReactivatedTenant(ResponseModel):
    """The answer to ``POST /api/v1/tenants/{id}/actions/reactivate`` (its body is not specified by Qlik)."""

    id: str | None = None
    status: TenantStatus | None = None


class CreateTenantRequest(RequestModel):
    """Body of ``POST /api/v1/tenants``; name and alias are set by a PATCH after creation."""

    license_key: SecretStr
    datacenter: str | None = None

    def to_json(self) -> dict[str, str]:
        """The wire body, with the license key revealed (only here, just before sending)."""
        body = {"licenseKey": self.license_key.get_secret_value()}
        if self.datacenter is not None:
            body["datacenter"] = self.datacenter
        return body


class DeactivateTenantRequest(RequestModel):
    """Body of ``POST /api/v1/tenants/{id}/actions/deactivate``."""

    purge_after_days: int | None = None
    """Days before the tenant is purged (Qlik: 10..90, default 30; honoured for OEM licenses only)."""


class PatchOperation(RequestModel):
    """One JSON Patch operation of ``PATCH /api/v1/tenants/{id}`` (Qlik supports only ``replace``)."""

    op: Literal["replace"] = "replace"
    path: TenantPatchPath
    value: str | bool

    @model_validator(mode="after")
    def _value_type_matches_path(self) -> PatchOperation:
        wants_str = self.path in _STRING_PATCH_PATHS
        if wants_str != isinstance(self.value, str):
            expected = "a string" if wants_str else "a boolean"
            raise ValueError(f"{self.path} takes {expected}, got {self.value!r}")
        return self
