"""What a program asks of a tenant: the validated, normalised form of `QlikTenant`'s inputs.

`check()` validates with these models (one failure per bad field, naming the fix); `diff()` and `update()`
compare the desired settings with what the tenant reports. Nothing here talks to Qlik or to Pulumi.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from pulumi_qlik.client.models import PatchOperation, Tenant
from pulumi_qlik.regions import CLOUD_DOMAIN, KNOWN_REGIONS

# Deactivation keeps a tenant this many days before purging it (Qlik's documented bounds and default).
MIN_PURGE_AFTER_DAYS: Final = 10
MAX_PURGE_AFTER_DAYS: Final = 90
DEFAULT_PURGE_AFTER_DAYS: Final = 30
MAX_DISPLAY_NAME_LENGTH: Final = 128

_ALIAS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")

# Settings a tenant PATCH can change in place: input/output property name -> JSON Patch path.
PATCHABLE_FLAGS: Final[dict[str, str]] = {
    "auto_assign_create_shared_spaces_role_to_professionals": "/autoAssignCreateSharedSpacesRoleToProfessionals",
    "auto_assign_private_analytics_content_creator_role_to_professionals": (
        "/autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals"
    ),
    "auto_assign_data_services_contributor_role_to_professionals": (
        "/autoAssignDataServicesContributorRoleToProfessionals"
    ),
    "enable_app_opening_feedback": "/enableAppOpeningFeedback",
}
MANAGED_SETTINGS: Final = ("display_name", "alias_hostname", *PATCHABLE_FLAGS)
# Changing where a tenant lives, or which existing tenant is adopted, means a different tenant.
REPLACE_ON_CHANGE: Final = ("region", "datacenter", "adopt_tenant_id")


class TenantSpec(BaseModel):
    """The checked inputs of a `QlikTenant`; unknown values (during preview) are skipped by the caller."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    license_key: str | None = Field(default=None, repr=False)
    region: str
    datacenter: str | None = None
    display_name: str | None = None
    alias_hostname: str | None = None
    auto_assign_create_shared_spaces_role_to_professionals: bool | None = None
    auto_assign_private_analytics_content_creator_role_to_professionals: bool | None = None
    auto_assign_data_services_contributor_role_to_professionals: bool | None = None
    enable_app_opening_feedback: bool | None = None
    purge_after_days: int = DEFAULT_PURGE_AFTER_DAYS
    adopt_tenant_id: str | None = None
    adopt_hostname: str | None = None

    @field_validator("license_key")
    @classmethod
    def _license_key_looks_signed(cls, value: str | None) -> str | None:
        # Never echo the value: it is a secret.
        if value is not None and value.count(".") != 2:
            raise ValueError(
                "is not a signed entitlement key (three dot-separated parts); pass the `licenseKey` from "
                "/api/v1/licenses/overview, e.g. `get_entitlement_key_output(source_tenant=...)`"
            )
        return value

    @field_validator("region")
    @classmethod
    def _region_code(cls, value: str) -> str:
        code = value.strip().lower()
        if not re.fullmatch(r"[a-z]{2,5}", code):
            raise ValueError(f"{value!r} is not a region code; use one of {', '.join(sorted(KNOWN_REGIONS))}")
        return code

    @field_validator("display_name")
    @classmethod
    def _display_name(cls, value: str | None) -> str | None:
        if value is not None and not (0 < len(value.strip()) <= MAX_DISPLAY_NAME_LENGTH):
            raise ValueError(f"must be 1 to {MAX_DISPLAY_NAME_LENGTH} characters, not blank")
        return value

    @field_validator("alias_hostname")
    @classmethod
    def _alias_is_one_label(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        region = info.data.get("region", "<region>")
        suffix = f".{region}.{CLOUD_DOMAIN}"
        label = value.strip().lower().rstrip(".").removesuffix(suffix)
        if "." in label or not _ALIAS_LABEL.match(label) or value != value.strip().lower():
            raise ValueError(
                f"{value!r} must be one DNS label (lowercase letters, digits and inner hyphens, at most 63) "
                f"or that label followed by {suffix!r}"
            )
        return value

    @field_validator("purge_after_days")
    @classmethod
    def _purge_after_days(cls, value: int) -> int:
        if not MIN_PURGE_AFTER_DAYS <= value <= MAX_PURGE_AFTER_DAYS:
            raise ValueError(
                f"{value} is out of range: Qlik keeps a deactivated tenant {MIN_PURGE_AFTER_DAYS} to "
                f"{MAX_PURGE_AFTER_DAYS} days before purging it"
            )
        return value

    def alias_full_hostname(self) -> str | None:
        return full_alias_hostname(self.alias_hostname, self.region) if self.alias_hostname else None


def full_alias_hostname(alias: str, region: str) -> str:
    """`customer-a` or `customer-a.eu.qlikcloud.com` -> `customer-a.eu.qlikcloud.com`."""
    alias = alias.strip().lower().rstrip(".")
    suffix = f".{region}.{CLOUD_DOMAIN}"
    return alias if alias.endswith(suffix) else f"{alias}{suffix}"


def spec_failures(props: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Validate known input values: one (property, reason) per bad field, each naming the fix."""
    failures: list[tuple[str, str]] = []
    try:
        spec = TenantSpec.model_validate(props)
    except ValidationError as exc:
        for error in exc.errors(include_input=False, include_url=False):
            field = str(error["loc"][0]) if error["loc"] else "(inputs)"
            failures.append((field, f"{field}: {error['msg'].removeprefix('Value error, ')}"))
        return failures
    failures.extend(_cross_field_failures(spec))
    return failures


def _cross_field_failures(spec: TenantSpec) -> list[tuple[str, str]]:
    failures: list[tuple[str, str]] = []
    known = KNOWN_REGIONS.get(spec.region)
    if known is None and not spec.datacenter:
        failures.append(
            (
                "region",
                f"region: {spec.region!r} is not a known Qlik Cloud region; use one of "
                f"{', '.join(sorted(KNOWN_REGIONS))}, or give `datacenter` explicitly for a newer region",
            )
        )
    if known is not None and spec.datacenter and spec.datacenter != known.datacenter:
        failures.append(
            (
                "datacenter",
                f"datacenter: {spec.datacenter!r} is not in region {spec.region!r}, whose datacenter is "
                f"{known.datacenter!r}; drop `datacenter` or pick the matching `region`",
            )
        )
    adopting = (spec.adopt_tenant_id is not None, spec.adopt_hostname is not None)
    if adopting == (True, False):
        failures.append(
            (
                "adopt_hostname",
                "adopt_hostname: required with adopt_tenant_id (the tenant's hostname, to reach it)",
            )
        )
    elif adopting == (False, True):
        failures.append(
            ("adopt_tenant_id", "adopt_tenant_id: required with adopt_hostname (the tenant's id)")
        )
    elif adopting == (False, False) and spec.license_key is None:
        failures.append(
            (
                "license_key",
                "license_key: required to create a tenant; pass `get_entitlement_key_output(source_tenant=...)` "
                "(or adopt an existing tenant with adopt_tenant_id and adopt_hostname)",
            )
        )
    return failures


def desired_patch(spec: TenantSpec, tenant: Tenant) -> list[PatchOperation]:
    """The JSON Patch operations that bring `tenant` to the settings `spec` manages (unset = unmanaged)."""
    operations: list[PatchOperation] = []
    if spec.display_name is not None and spec.display_name != tenant.name:
        operations.append(PatchOperation(op="replace", path="/name", value=spec.display_name))
    alias = spec.alias_full_hostname()
    if alias is not None and alias != current_alias(tenant):
        operations.append(PatchOperation(op="replace", path="/hostnames/1", value=alias))
    for prop, path in PATCHABLE_FLAGS.items():
        wanted = getattr(spec, prop)
        if wanted is not None and wanted != getattr(tenant, prop):
            operations.append(PatchOperation(op="replace", path=path, value=wanted))  # type: ignore[arg-type]
    return operations


def current_alias(tenant: Tenant) -> str | None:
    return tenant.hostnames[1] if len(tenant.hostnames) > 1 else None
