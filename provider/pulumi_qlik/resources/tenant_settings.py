"""`QlikTenantSettings`: a tenant's group and license settings (``/api/v1/groups/settings``,
``/api/v1/licenses/settings``), one per tenant.

Create and update apply the flags that are set (an unset flag is left as Qlik has it); refresh reads them back.
The settings are the tenant's, not an object Pulumi made: destroy leaves them as they are and logs a warning
saying so (deleting the tenant is what removes them).

Two `QlikTenantSettings` for one tenant would overwrite each other on every `up`. The provider detects it in
`check`: a dynamic provider runs in one process per deployment that serves every dynamic resource of the program,
so a process-wide claim table (tenant hostname -> the resource that claimed it) sees both resources' checks.
When the hostnames are known at preview (e.g. the tenant exists already), the preview fails; when a hostname is
only known during the update (the tenant is created in the same `up`), the second check fails there, before its
create. The claim is by resource name (`check` is not told the URN), so the same resource checked again —
preview and update in one process, or a second preview — is no conflict.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    UpdateResult,
)

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import (
    GroupSettings,
    GroupSettingsPatchOperation,
    LicenseSettings,
    LicenseSettingsRequest,
)
from pulumi_qlik.engine.redaction import SECRET_INPUTS, redact
from pulumi_qlik.engine.tenant_child import (
    TenantChildProvider,
    check_inputs,
    child_props,
    diff_inputs,
    read_result,
)

from .tenant_settings_inputs import (
    FLAGS,
    INPUT_NAMES,
    OWNER,
    REPLACE_ON_CHANGE,
    SECRET_CAPABLE,
    VALIDATORS,
)

logger = logging.getLogger("pulumi_qlik.provider")

OUTPUT_NAMES: Final = ("tenant_id",)
"""Besides the inputs; the three flags are outputs too, as Qlik reports them."""

_claims: dict[str, str] = {}
_claims_lock = threading.Lock()


def claim_tenant(host: str, owner: str) -> str | None:
    """Record that `owner` manages the settings of `host`; the other resource that already does, if any."""
    with _claims_lock:
        holder = _claims.setdefault(host, owner)
    return None if holder == owner else holder


@dataclass(frozen=True, kw_only=True)
class QlikTenantSettingsArgs:
    """The arguments of a `QlikTenantSettings`; an unset flag is left as the tenant has it."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname, e.g. a `QlikTenant`'s `hostname` output. One `QlikTenantSettings` per tenant."""
    auto_create_groups: pulumi.Input[bool] | None = None
    """Logins create the groups their `groups` claim names that do not exist yet (`/autoCreateGroups`)."""
    auto_assign_professional: pulumi.Input[bool] | None = None
    """A user's first login assigns a professional license, if one is available."""
    auto_assign_analyzer: pulumi.Input[bool] | None = None
    """A user's first login assigns an analyzer license (or analyzer capacity), if one is available."""


class QlikTenantSettings(Resource, module="qlik", name="TenantSettings"):
    """A tenant's group and license settings: one per tenant; destroy leaves them as they are."""

    tenant_id: pulumi.Output[str]
    auto_create_groups: pulumi.Output[bool]
    auto_assign_professional: pulumi.Output[bool]
    auto_assign_analyzer: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        args: QlikTenantSettingsArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        props = child_props(
            "QlikTenantSettings",
            args,
            kwargs,
            QlikTenantSettingsArgs,
            INPUT_NAMES,
            secret_capable=SECRET_CAPABLE,
            output_names=OUTPUT_NAMES,
        )
        parent = (
            opts.parent.pulumi_resource_name + "/" if opts is not None and opts.parent is not None else ""
        )
        props[OWNER] = parent + resource_name
        super().__init__(QlikTenantSettingsProvider(), resource_name, props, opts)


class QlikTenantSettingsProvider(TenantChildProvider):
    """Apply and read a tenant's settings on its own host; never delete them."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result = check_inputs(news, VALIDATORS, secret_capable=SECRET_CAPABLE)
        host, owner = result.inputs.get("tenant_hostname"), result.inputs.get(OWNER)
        if not result.failures and isinstance(host, str) and isinstance(owner, str):
            holder = claim_tenant(host, owner)
            if holder is not None:
                reason = (
                    f"tenant_hostname: {host} already has its settings managed by QlikTenantSettings {holder!r}"
                    f" in this stack; {owner!r} would overwrite them on every `pulumi up`. Keep one"
                    " QlikTenantSettings per tenant and set all its flags there."
                )
                result.failures.append(CheckFailure("tenant_hostname", redact(reason)))
        return result

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_inputs(
            olds,
            news,
            in_place=FLAGS,
            replace=REPLACE_ON_CHANGE,
            delete_before_replace=True,  # deleting only lets go of the old tenant's settings
            unset_keeps=FLAGS,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        host = str(props["tenant_hostname"])
        holder = claim_tenant(host, str(props.get(OWNER)))
        if holder is not None:  # only if `check` ran in another process than this create
            raise ValueError(f"{host} already has its settings managed by QlikTenantSettings {holder!r}")
        client = self.client_on(host)
        outs = self._apply(client, host, props)
        return CreateResult(id_=str(outs["tenant_id"]), outs=outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            raise ValueError(f"cannot read the settings of tenant {id_}: no tenant_hostname in the state")
        found = self.read_on_tenant(
            f"the settings of tenant {id_}", host, id_, lambda client: self._outputs(client, host, props, id_)
        )
        return read_result(id_, props, found, lambda settings: settings, INPUT_NAMES)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        host = str(news["tenant_hostname"])
        return UpdateResult(outs=self._apply(self.client_on(host), host, news, tenant_id=id_))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        flags = ", ".join(f"{name}={props.get(name)}" for name in FLAGS)
        logger.warning(
            "QlikTenantSettings: the settings of tenant %s (%s) are left as they are (%s); Pulumi no longer"
            " manages them",
            props.get("tenant_hostname") or id_,
            id_,
            flags,
        )

    # --- helpers -------------------------------------------------------------------------------------

    def _apply(
        self, client: QlikClient, host: str, inputs: Mapping[str, Any], tenant_id: str | None = None
    ) -> dict[str, Any]:
        """Set the flags the inputs give where Qlik differs; the settings as Qlik then reports them.

        A setting read here and left as it was is not read again for the outputs: only what was written is."""
        groups: GroupSettings | None = None
        wanted = inputs.get("auto_create_groups")
        if wanted is not None:
            groups = client.get_group_settings(host)
            if groups.auto_create_groups != wanted:
                client.patch_group_settings(
                    host, [GroupSettingsPatchOperation(path="/autoCreateGroups", value=bool(wanted))]
                )
                logger.info("set autoCreateGroups=%s on %s", wanted, host)
                groups = None
        licenses: LicenseSettings | None = None
        professional, analyzer = inputs.get("auto_assign_professional"), inputs.get("auto_assign_analyzer")
        if professional is not None or analyzer is not None:
            licenses = client.get_license_settings(host)
            request = LicenseSettingsRequest(
                auto_assign_professional=bool(
                    licenses.auto_assign_professional if professional is None else professional
                ),
                auto_assign_analyzer=bool(licenses.auto_assign_analyzer if analyzer is None else analyzer),
            )
            if (request.auto_assign_professional, request.auto_assign_analyzer) != (
                licenses.auto_assign_professional,
                licenses.auto_assign_analyzer,
            ):
                client.put_license_settings(host, request)
                logger.info("set license auto-assignment on %s", host)
                licenses = None
        return self._outputs(client, host, inputs, tenant_id, groups=groups, licenses=licenses)

    @staticmethod
    def _outputs(
        client: QlikClient,
        host: str,
        inputs: Mapping[str, Any],
        tenant_id: str | None,
        *,
        groups: GroupSettings | None = None,
        licenses: LicenseSettings | None = None,
    ) -> dict[str, Any]:
        """State = the inputs as checked + the settings as Qlik reports them (read unless given)."""
        if groups is None:
            groups = client.get_group_settings(host)
        if licenses is None:
            licenses = client.get_license_settings(host)
        known_tenant = tenant_id or groups.tenant_id or client.get_my_tenant(host).id
        outs: dict[str, Any] = {name: inputs.get(name) for name in INPUT_NAMES}
        outs.update(
            secret_inputs=inputs.get(SECRET_INPUTS),
            tenant_id=known_tenant,
            auto_create_groups=groups.auto_create_groups,
            auto_assign_professional=licenses.auto_assign_professional,
            auto_assign_analyzer=licenses.auto_assign_analyzer,
        )
        return outs


__all__ = ["QlikTenantSettings", "QlikTenantSettingsArgs", "QlikTenantSettingsProvider"]
