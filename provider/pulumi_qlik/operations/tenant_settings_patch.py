"""The settings a tenant PATCH manages: what differs from what is wanted, and the tenant after a PATCH."""

from __future__ import annotations

import logging
from typing import Any, Final, Protocol

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import PatchOperation, Tenant

logger = logging.getLogger("pulumi_qlik.provider")

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


class WantedSettings(Protocol):
    """The managed settings a program declares (None = unmanaged); `TenantSpec` is one."""

    @property
    def display_name(self) -> str | None: ...
    @property
    def alias_hostname(self) -> str | None: ...
    @property
    def auto_assign_create_shared_spaces_role_to_professionals(self) -> bool | None: ...
    @property
    def auto_assign_private_analytics_content_creator_role_to_professionals(self) -> bool | None: ...
    @property
    def auto_assign_data_services_contributor_role_to_professionals(self) -> bool | None: ...
    @property
    def enable_app_opening_feedback(self) -> bool | None: ...


def desired_patch(wanted: WantedSettings, tenant: Tenant) -> list[PatchOperation]:
    """The JSON Patch operations that bring `tenant` to the settings `wanted` manages (unset = unmanaged)."""
    operations: list[PatchOperation] = []
    if wanted.display_name is not None and wanted.display_name != tenant.name:
        operations.append(PatchOperation(op="replace", path="/name", value=wanted.display_name))
    if wanted.alias_hostname is not None and wanted.alias_hostname != tenant.alias_hostname:
        operations.append(PatchOperation(op="replace", path="/hostnames/1", value=wanted.alias_hostname))
    for prop, path in PATCHABLE_FLAGS.items():
        value = getattr(wanted, prop)
        if value is not None and value != getattr(tenant, prop):
            operations.append(PatchOperation(op="replace", path=path, value=value))  # type: ignore[arg-type]
    return operations


def apply_patch(tenant: Tenant, operations: list[PatchOperation]) -> Tenant:
    """The tenant as Qlik reports it after a successful (204) PATCH of `operations`: no GET needed."""
    changes: dict[str, Any] = {}
    hostnames = list(tenant.hostnames)
    paths = {path: prop for prop, path in PATCHABLE_FLAGS.items()}
    for op in operations:
        if op.path == "/name":
            changes["name"] = op.value
        elif op.path == "/hostnames/1":
            hostnames = [*hostnames[:1], str(op.value), *hostnames[2:]]
            changes["hostnames"] = hostnames
        elif op.path in paths:
            changes[paths[op.path]] = op.value
    return tenant.model_copy(update=changes)


def converge_settings(client: QlikClient, wanted: WantedSettings, tenant: Tenant) -> Tenant:
    """PATCH whatever managed setting differs; a 204 means Qlik applied it, so no GET is needed."""
    operations = desired_patch(wanted, tenant)
    if not operations or tenant.hostname is None:
        return tenant
    client.patch_tenant(tenant.hostname, tenant.id, operations)
    logger.info("patched tenant %s: %s", tenant.id, ", ".join(op.path for op in operations))
    return apply_patch(tenant, operations)
