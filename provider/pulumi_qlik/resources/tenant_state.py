"""What a tenant's state holds, and how it compares with new inputs: the outputs built from Qlik's answer, the
inputs a read gives back, and the diff rules of the settings and replace-on-change fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi_qlik.client.models import TENANT_ACTIVE, Tenant
from pulumi_qlik.engine.redaction import SECRET_INPUTS
from pulumi_qlik.engine.unknowns import is_unknown
from pulumi_qlik.operations.existence import iso
from pulumi_qlik.regions import Region, same_datacenter

from .tenant_inputs import INPUT_NAMES

OUTPUT_ONLY: Final = (
    "tenant_id",
    "name",
    "hostname",
    "hostnames",
    "status",
    "created",
    "estimated_purge_date",
    "bot_user_id",
    "bot_user_subject",
)


def forces_replace(prop: str, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    wanted = news.get(prop)
    if wanted is None:
        return False  # unset: keep what the tenant has (a default never moves an existing tenant)
    if is_unknown(wanted):
        return True
    if prop == "adopt_tenant_id":
        # Adopting the tenant the resource already manages is no change at all.
        return bool(wanted != (olds.get("tenant_id") or id_))
    current = olds.get(prop)
    if prop == "datacenter" and isinstance(wanted, str) and isinstance(current, str):
        # Filled from our region table, compared with Qlik's spelling: only another datacenter replaces.
        return not same_datacenter(wanted, current)
    return current is not None and wanted != current


def setting_differs(wanted: Any, current: Any) -> bool:
    if wanted is None:
        return False  # unset means unmanaged
    return is_unknown(wanted) or bool(wanted != current)


def whole(value: Any) -> int | None:
    """Numbers come back from the engine as floats."""
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def outputs(
    inputs: Mapping[str, Any], region: Region, tenant: Tenant, previous: Mapping[str, Any]
) -> dict[str, Any]:
    """State = the checked inputs (for diffs) + what the tenant reports for the settings we manage."""
    outs: dict[str, Any] = {name: inputs.get(name) for name in INPUT_NAMES}
    outs.update(
        secret_inputs=inputs.get(SECRET_INPUTS) or previous.get(SECRET_INPUTS),
        region=region.code,
        datacenter=tenant.datacenter or region.datacenter,
        purge_after_days=whole(inputs.get("purge_after_days")),
        display_name=tenant.name,
        alias_hostname=tenant.alias_hostname,
        auto_assign_create_shared_spaces_role_to_professionals=(
            tenant.auto_assign_create_shared_spaces_role_to_professionals
        ),
        auto_assign_private_analytics_content_creator_role_to_professionals=(
            tenant.auto_assign_private_analytics_content_creator_role_to_professionals
        ),
        auto_assign_data_services_contributor_role_to_professionals=(
            tenant.auto_assign_data_services_contributor_role_to_professionals
        ),
        enable_app_opening_feedback=tenant.enable_app_opening_feedback,
        tenant_id=tenant.id,
        name=tenant.name,
        hostname=tenant.hostname or previous.get("hostname"),
        hostnames=list(tenant.hostnames) or previous.get("hostnames") or [],
        status=tenant.status or TENANT_ACTIVE,
        created=iso(tenant.created) or previous.get("created"),
        estimated_purge_date=None
        if (tenant.status or TENANT_ACTIVE) == TENANT_ACTIVE
        else previous.get("estimated_purge_date"),
        bot_user_id=previous.get("bot_user_id"),
        bot_user_subject=previous.get("bot_user_subject"),
    )
    return outs


def read_inputs(props: Mapping[str, Any], region: Region) -> dict[str, Any] | None:
    """Refresh keeps the inputs the program last gave (None); a `get` records which tenant it reads."""
    if props.get("tenant_id"):
        return None
    adopted = {name: props[name] for name in ("adopt_tenant_id", "adopt_hostname") if props.get(name)}
    return {**adopted, "region": region.code}


def hostname_of(props: Mapping[str, Any]) -> str | None:
    # In a `get`, `hostname` is still the secret marker (True), not a hostname.
    for key in ("hostname", "adopt_hostname"):
        value = props.get(key)
        if isinstance(value, str) and value:
            return value
    return None
