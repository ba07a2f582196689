"""Pydantic models of the Qlik Cloud resources used for tenant provisioning.

Field names follow Qlik's published types (npm ``@qlik/api``: ``tenants.d.ts``, ``licenses.d.ts``,
``users.d.ts``), camelCase on the wire and snake_case in Python. Response models ignore unknown fields so a
new server field never breaks a ``pulumi up``; request models refuse unknown fields and loose types.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic.alias_generators import to_camel

TenantStatus: TypeAlias = Literal["active", "disabled", "deleted", "user-access-disabled"] | str
"""The documented tenant statuses; any other string from the server is kept as is."""

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


class QlikModel(BaseModel):
    """Base of all Qlik models: camelCase aliases on the wire, snake_case names in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class RequestModel(QlikModel):
    """A request body we send: unknown fields and loosely typed values are programming errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ResponseModel(QlikModel):
    """A response body we read: unknown fields are ignored so new server fields don't break us."""

    model_config = ConfigDict(extra="ignore")


# --- OAuth -----------------------------------------------------------------------------------------------


class AccessToken(ResponseModel):
    """An OAuth access token from ``POST /oauth/token``; valid only on the host that issued it."""

    model_config = ConfigDict(alias_generator=None)

    access_token: SecretStr
    token_type: str = "bearer"
    expires_at: datetime | None = None
    expires_in: float | None = None
    """Seconds the token lives from issue (Qlik: 21600)."""

    def lifetime_seconds(self, *, default: float, now: datetime | None = None) -> float:
        """Seconds the token is usable from now: ``expires_in``, else ``expires_at``, else ``default``."""
        if self.expires_in is not None:
            return max(self.expires_in, 0.0)
        if self.expires_at is not None:
            expires_at = self.expires_at
            if expires_at.tzinfo is None:
                expires_at = expires_at.replace(tzinfo=UTC)
            return max((expires_at - (now or datetime.now(UTC))).total_seconds(), 0.0)
        return default


# --- Errors -----------------------------------------------------------------------------------------------


class ErrorSource(ResponseModel):
    """Where in the request an error comes from."""

    pointer: str | None = None
    parameter: str | None = None


class ErrorItem(ResponseModel):
    """One entry of Qlik's ``errors[]`` array."""

    code: str | None = None
    title: str | None = None
    detail: str | None = None
    status: str | int | None = None
    """A string in most APIs' ``Error`` type, a number in the users API's (``users.d.ts``)."""
    meta: Any = None
    source: ErrorSource | None = None


class ErrorBody(ResponseModel):
    """Qlik's error body: ``{"errors": [...], "traceId": "..."}``."""

    errors: list[ErrorItem] = Field(default_factory=list)
    trace_id: str | None = None


# --- Licenses ---------------------------------------------------------------------------------------------


class Allotment(ResponseModel):
    """Units of one license type (professional, analyzer, analyzer_time) and how many are used."""

    name: str
    units: int = 0
    units_used: int = 0
    usage_class: str | None = None
    overage: int | None = None
    """Allowed overage; -1 means unbounded."""


class LicenseParameter(ResponseModel):
    """A license parameter set (provision)."""

    name: str
    valid: str | None = None
    """Per ``licenses.d.ts`` an ISO 8601 time interval string."""
    access: dict[str, Any] | None = None
    values: Any = None


class LicenseOverview(ResponseModel):
    """``GET /api/v1/licenses/overview``: a tenant's license, with the signed key that creates tenants."""

    license_number: str
    license_key: SecretStr
    """The signed entitlement key: a secret that lets its holder create tenants on the license."""
    valid: str
    """ISO 8601 interval, e.g. ``2025-01-01/2026-12-31`` or ``./2023-05-30``."""
    status: Literal["Ok", "Blacklisted", "Expired"] | str
    origin: Literal["Internal", "External"] | str | None = None
    trial: bool = False
    updated: datetime | None = None
    product: str | None = None
    secondary_number: str | None = None
    allotments: list[Allotment] = Field(default_factory=list)
    parameters: list[LicenseParameter] = Field(default_factory=list)
    change_time: datetime | None = None
    customer_id: str | None = None
    latest_valid_time: datetime | None = None
    license_type: str | None = None
    parent_license_number: str | None = None


# --- Tenants ----------------------------------------------------------------------------------------------


class Link(ResponseModel):
    """A hypermedia link."""

    href: str


class Links(ResponseModel):
    """The ``links`` object of a resource."""

    self: Link | None = None


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


# --- Users ------------------------------------------------------------------------------------------------


class AssignedRole(ResponseModel):
    """A role assigned to a user."""

    id: str | None = None
    name: str
    type: str | None = None
    level: str | None = None


class AssignedGroup(ResponseModel):
    """A group a user belongs to."""

    id: str | None = None
    name: str | None = None


class User(ResponseModel):
    """A user of a tenant, e.g. the OAuth client's bot user returned by ``GET /api/v1/users/me``."""

    id: str
    tenant_id: str
    subject: str
    name: str | None = None
    status: Literal["active", "invited", "disabled", "deleted", "provisioned"] | str | None = None
    email: str | None = None
    client_id: str | None = None
    """Set for the bot user of an OAuth client."""
    roles: list[str] | None = None
    assigned_roles: list[AssignedRole] = Field(default_factory=list)
    assigned_groups: list[AssignedGroup] = Field(default_factory=list)
    created_at: datetime | None = None
    last_updated_at: datetime | None = None
    links: Links | None = None


class PageLinks(ResponseModel):
    """The ``links`` of a page: ``self``, ``next`` and ``prev``."""

    self: Link | None = None
    next: Link | None = None
    prev: Link | None = None


class UserList(ResponseModel):
    """``GET /api/v1/users``: one page of users; ``links.next`` names the next page (cursor paging)."""

    data: list[User] = Field(default_factory=list)
    links: PageLinks | None = None
    total_results: int | None = None


class RoleRef(RequestModel):
    """A role by name (users.d.ts ``RefNames``): Qlik resolves it, and answers 400 for an unknown one."""

    name: str


class CreateUserRequest(RequestModel):
    """Body of ``POST /api/v1/users`` (users.d.ts ``UserPostSchema``): an invited user."""

    subject: str
    email: str
    name: str | None = None
    status: Literal["invited"] = "invited"
    assigned_roles: list[RoleRef] | None = None


UserPatchPath: TypeAlias = Literal["/name", "/assignedRoles"]
"""The paths this client patches on a user (users.d.ts ``JSONPatch`` has more)."""


class UserPatchOperation(RequestModel):
    """One JSON Patch ``replace`` of ``PATCH /api/v1/users/{id}``: ``/name`` or ``/assignedRoles``."""

    op: Literal["replace"] = "replace"
    path: UserPatchPath
    value: str | list[RoleRef]

    @model_validator(mode="after")
    def _value_type_matches_path(self) -> UserPatchOperation:
        if (self.path == "/name") != isinstance(self.value, str):
            expected = "a string" if self.path == "/name" else "a list of roles"
            raise ValueError(f"{self.path} takes {expected}")
        return self


class InviteItem(RequestModel):
    """One invitee of ``POST /api/v1/users/actions/invite`` (users.d.ts ``InviteItem``)."""

    email: str
    name: str | None = None
    language: str | None = None
    resend: bool | None = None
    """True sends the email again to a user who is invited but has not logged in yet."""


class InviteResult(ResponseModel):
    """One entry of the invite action's 207 answer: ``ResultItem`` (ok/exists) or ``InviteErrorItem``."""

    email: str
    status: Literal["ok", "exists", "error"] | str
    subject: str | None = None
    user_id: str | None = None
    code: str | int | None = None
    """For ``status: error``: e.g. ``1001`` (active user), ``1002`` (disabled user)."""
    title: str | None = None


class InviteResponse(ResponseModel):
    """``POST /api/v1/users/actions/invite``: one result per invitee, in order (HTTP 207)."""

    data: list[InviteResult] = Field(default_factory=list)


# --- Organization API (console host) ----------------------------------------------------------------------


class OrganizationTenant(ResponseModel):
    """A tenant as the Organization API lists it (``GET /api/core/tenants`` on ``console.qlikcloud.com``).

    Lenient on purpose: Qlik's published type and the emulator have differed in which fields are required and
    in what ``regionCode`` holds (a region code or a datacenter name), so only ``id`` is required here.
    """

    id: str
    name: str | None = None
    hostnames: list[str] = Field(default_factory=list)
    region_code: str | None = None
    status: TenantStatus | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    license_number: str | None = None
    subscription_id: str | None = None
    country_code: str | None = None
    deletion_starts_at: datetime | None = None

    @property
    def hostname(self) -> str | None:
        return self.hostnames[0] if self.hostnames else None

    def never_configured(self) -> bool:
        """Nothing was applied after the create: no alias, and the display name is still the system name.

        A create that lost its answer leaves exactly this: the name and alias are set by PATCH afterwards.
        """
        if len(self.hostnames) != 1:
            return False
        system_name = self.hostnames[0].split(".", 1)[0]
        if self.name is not None and self.name.lower() != system_name.lower():
            return False
        # Where Qlik reports updatedAt, a tenant PATCHed later differs from its creation time.
        if self.updated_at is not None and self.created_at is not None:
            return abs((self.updated_at - self.created_at).total_seconds()) < 1.0
        return True


class OrganizationTenantPage(ResponseModel):
    """One page of ``GET /api/core/tenants``; the next page is at ``links.next.href``."""

    data: list[OrganizationTenant] = Field(default_factory=list)
    links: dict[str, Link | None] = Field(default_factory=dict)
    total_results: int | None = None

    @property
    def next_href(self) -> str | None:
        link = self.links.get("next")
        return link.href if link is not None else None


class LicenseKeyClaims(BaseModel):
    """What an entitlement key says about itself, read from its (unverified) middle part.

    Only used to find the tenants of the key's subscription; never trusted for anything else.
    """

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    license_number: str | None = Field(default=None, alias="licenseNumber")
    subscription_id: str | None = Field(default=None, alias="subscriptionId")


def read_license_key_claims(license_key: SecretStr | str) -> LicenseKeyClaims:
    """The claims of a ``header.payload.signature`` key, or empty claims when it can't be read.

    Never raises and never quotes the key: it is a secret.
    """
    key = license_key.get_secret_value() if isinstance(license_key, SecretStr) else license_key
    parts = key.split(".")
    if len(parts) != 3:
        return LicenseKeyClaims()
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
        return LicenseKeyClaims.model_validate(data if isinstance(data, dict) else {})
    except (ValueError, UnicodeError, binascii.Error):
        return LicenseKeyClaims()
