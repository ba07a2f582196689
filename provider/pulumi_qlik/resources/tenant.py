"""`QlikTenant`: a Qlik Cloud tenant as a Pulumi dynamic resource (its args, the resource, its provider).

The provider object is pickled by reference into the state, unpickled in the provider process and configured
there from the stack config: it never carries credentials or clients across the pickle. States written before
this module moved name `pulumi_qlik.tenant.QlikTenantProvider`, which re-exports this class: renaming
`QlikTenantProvider` or removing that module would break existing state.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pulumi
import pulumi.output
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    UpdateResult,
)

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    QlikAPIError,
)
from pulumi_qlik.client.models import TENANT_ACTIVE, TENANT_DISABLED, Tenant
from pulumi_qlik.engine.early_start import start_provider_early
from pulumi_qlik.engine.program import warn_plain_secrets
from pulumi_qlik.engine.props import from_engine, input_props, to_engine
from pulumi_qlik.engine.provider import QlikProvider
from pulumi_qlik.engine.redaction import SECRET_INPUTS, redact
from pulumi_qlik.engine.secret_inputs import hiding_secret_inputs, secret_input_names, secret_markers
from pulumi_qlik.operations.backup import back_up_before_deactivation
from pulumi_qlik.operations.create_journal import CreateJournal
from pulumi_qlik.operations.creation import TenantMaker, make_tenant
from pulumi_qlik.operations.deactivation import is_disabled, purge_date_after
from pulumi_qlik.operations.existence import (
    RegisterHostReads,
    confirm_gone,
    estimated_purge_date,
    no_such_tenant,
    says_host_unknown,
    status_elsewhere,
)
from pulumi_qlik.operations.factories import organization_client
from pulumi_qlik.operations.lost_create import CreateLedger
from pulumi_qlik.operations.made_here import made_here
from pulumi_qlik.operations.tenant_settings_patch import converge_settings
from pulumi_qlik.regions import Region, region_of_host

from .tenant_inputs import (
    INPUT_NAMES,
    MANAGED_SETTINGS,
    REPLACE_ON_CHANGE,
    SECRET_CAPABLE,
    SECRET_MARKERS,
    TenantSpec,
    hidden_values,
    normalize_inputs,
)
from .tenant_state import (
    OUTPUT_ONLY,
    forces_replace,
    hostname_of,
    outputs,
    read_inputs,
    setting_differs,
    whole,
)

logger = logging.getLogger("pulumi_qlik.provider")

PROVIDER_KEY: Final = "__provider"


@dataclass(frozen=True, kw_only=True)
class QlikTenantArgs:
    """The arguments of a `QlikTenant`."""

    license_key: pulumi.Input[str] | None = None
    """The signed entitlement key (kept secret). Needed only to create; a renewed key never touches a tenant."""
    region: pulumi.Input[str] | None = None
    """Region code (`us`, `eu`, ...); defaults to the region of `adopt_hostname`, else `qlik:region` at creation.
    Changing it replaces the tenant."""
    datacenter: pulumi.Input[str] | None = None
    """Datacenter; defaults to the region's. Needed only for a region this package does not list."""
    display_name: pulumi.Input[str] | None = None
    """The tenant's display name (`name` in Qlik's API). Unset leaves whatever the tenant has."""
    alias_hostname: pulumi.Input[str] | None = None
    """An alias hostname: a label (`customer-a`) or the full `customer-a.<region>.qlikcloud.com`."""
    auto_assign_create_shared_spaces_role_to_professionals: pulumi.Input[bool] | None = None
    auto_assign_private_analytics_content_creator_role_to_professionals: pulumi.Input[bool] | None = None
    auto_assign_data_services_contributor_role_to_professionals: pulumi.Input[bool] | None = None
    enable_app_opening_feedback: pulumi.Input[bool] | None = None
    purge_after_days: pulumi.Input[int] | None = None
    """Days (10-90, default 30) a destroyed tenant stays deactivated, and can be reactivated, before purge.

    Qlik honours it for OEM licenses only ("Only available to OEMs" in the tenants API); other licenses purge on
    Qlik's own schedule."""
    adopt_tenant_id: pulumi.Input[str] | None = None
    """Adopt this existing tenant instead of creating one (with `adopt_hostname`)."""
    adopt_hostname: pulumi.Input[str] | None = None
    """The hostname of the tenant to adopt."""
    reactivate_deactivated: pulumi.Input[bool] | None = None
    """When this customer's own deactivated tenant still holds the alias: reactivate and adopt it on create."""
    backup_dir: pulumi.Input[str] | None = None
    """Before destroy deactivates the tenant, export its apps and configuration here (folder or s3://)."""


class QlikTenant(Resource, module="qlik", name="Tenant"):
    """A Qlik Cloud tenant, created through the region's registration endpoint and deactivated on destroy."""

    tenant_id: pulumi.Output[str]
    name: pulumi.Output[str]
    """The display name (secret when `display_name` is)."""
    hostname: pulumi.Output[str]
    """The tenant's own hostname, `<system name>.<region>.qlikcloud.com`."""
    hostnames: pulumi.Output[list[str]]
    """The hostname and the alias (secret when `alias_hostname` or `adopt_hostname` is)."""
    alias_hostname: pulumi.Output[str | None]
    region: pulumi.Output[str]
    datacenter: pulumi.Output[str]
    status: pulumi.Output[str]
    created: pulumi.Output[str]
    estimated_purge_date: pulumi.Output[str | None]
    bot_user_id: pulumi.Output[str | None]
    """The OAuth client's bot user on the tenant, proving the tenant answers and trusts our client."""
    bot_user_subject: pulumi.Output[str | None]
    license_key: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        args: QlikTenantArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        props = input_props("QlikTenant", args, kwargs, QlikTenantArgs, INPUT_NAMES)
        warn_plain_secrets()
        start_provider_early()  # while the tenant's inputs (its key, say) are still being worked out
        if props["license_key"] is not None:
            # Whatever the caller passed, the key is stored as a secret.
            props["license_key"] = pulumi.Output.secret(props["license_key"])
        props[SECRET_INPUTS] = pulumi.Output.from_input(secret_input_names(props, SECRET_CAPABLE))
        props.update(secret_markers(props, SECRET_MARKERS))
        if props["adopt_hostname"] is not None:
            # The `hostname` marker carries the adopted hostname itself (secret exactly when it is): the create's
            # preview shows it as `hostname`, so children given `tenant.hostname` get a host, not the marker True.
            props["hostname"] = pulumi.Output.from_input(props["adopt_hostname"])
        for output in OUTPUT_ONLY:
            props.setdefault(output, None)
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=["license_key"])
        )
        super().__init__(QlikTenantProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        hostname: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> QlikTenant:
        """Read an existing tenant into the program without managing it (its hostname is needed to reach it).

        The engine reads it at every `preview`, `up` and `refresh` (one token and one GET on the tenant's host).
        """
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return QlikTenant(resource_name, QlikTenantArgs(adopt_tenant_id=id, adopt_hostname=hostname), merged)


_hiding_secret_inputs = hiding_secret_inputs(hidden_values)


class QlikTenantProvider(QlikProvider):
    """CRUD for `QlikTenant` against Qlik Cloud's tenant registration flow."""

    def configure(self, req: ConfigureRequest) -> None:
        super().configure(req)
        self._ledger = CreateLedger()
        self._journal = CreateJournal()
        self._org_client: QlikClient | None = None
        self._register_reads = RegisterHostReads()

    def close(self) -> None:
        super().close()
        org_client = self.__dict__.pop("_org_client", None)
        if org_client is not None:
            org_client.close()

    # --- plumbing -------------------------------------------------------------------------------------

    def _organization_client(self) -> QlikClient | None:
        """The organization-level client (`qlik:organizationClientId`), or None when none is configured."""
        with self._clients_lock:
            if self._org_client is None:
                self._org_client = organization_client(self.settings)
            return self._org_client

    def _maker(self, region: Region) -> TenantMaker:
        return TenantMaker(
            self.client_for(region),
            self._organization_client(),
            self._ledger,
            self._journal,
            self.settings.request_timeout,
        )

    def _region(self, props: Mapping[str, Any]) -> Region:
        """The tenant's region: its checked `region` (outputs carry it too), else that of its hostname (a `get`)."""
        code = props.get("region")
        if not isinstance(code, str):
            hostname = hostname_of(props)
            code = region_of_host(hostname) if hostname else None
        datacenter = props.get("datacenter")
        return self.settings.region(code, datacenter if isinstance(datacenter, str) else None)

    # --- CRUD ----------------------------------------------------------------------------------------

    @_hiding_secret_inputs
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        previous = from_engine(olds)
        existing = any(key != PROVIDER_KEY for key in previous)
        normalized = normalize_inputs(
            from_engine(news), previous if existing else None, default_region=self.settings.default_region
        )
        self._warn_if_default_region_moved(news, previous, normalized.inputs)
        failures = [CheckFailure(prop, redact(reason)) for prop, reason in normalized.failures]
        return CheckResult(to_engine(normalized.inputs), failures)

    @_hiding_secret_inputs
    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        news = from_engine(news)
        replaces = [prop for prop in REPLACE_ON_CHANGE if forces_replace(prop, id_, olds, news)]
        changed = [prop for prop in MANAGED_SETTINGS if setting_differs(news.get(prop), olds.get(prop))]
        if olds.get("status") not in (None, TENANT_ACTIVE):
            changed.append("status")  # deactivated out of band: `up` reactivates it
        if olds.get("tenant_id") and not olds.get("hostname"):
            changed.append("hostname")  # a create that could not read its tenant back: `up` reads it
        if news.get("purge_after_days") != whole(olds.get("purge_after_days")):
            changed.append("purge_after_days")
        if news.get("backup_dir") != olds.get("backup_dir"):
            changed.append("backup_dir")  # destroy reads it from the state
        # license_key is deliberately absent: a renewed entitlement key must never touch existing tenants.
        if replaces and news.get("license_key") is None and news.get("adopt_tenant_id") is None:
            raise ValueError(
                f"changing {', '.join(replaces)} replaces tenant {id_} with a new tenant, and creating one needs "
                "license_key: pass `license_key=get_entitlement_key_output(...)`, or revert the change"
            )
        return DiffResult(changes=bool(replaces or changed), replaces=replaces, delete_before_replace=False)

    @_hiding_secret_inputs
    def create(self, props: dict[str, Any]) -> CreateResult:
        region = self._region(props)
        made = make_tenant(self._maker(region), region, TenantSpec.from_inputs(props))
        outs = outputs(props, region, made.tenant, previous={})
        if made.bot_user is not None:
            outs.update(bot_user_id=made.bot_user.id, bot_user_subject=made.bot_user.subject)
        return CreateResult(id_=made.tenant.id, outs=outs)

    @_hiding_secret_inputs
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        region = self._region(props)
        client = self.client_for(region)
        hostname = hostname_of(props)
        tenant = self._register_reads.read(client, region, id_) if props.get("tenant_id") else None
        if tenant is not None and tenant.status == TENANT_DISABLED:
            return self._disabled(id_, props, region, hostname, tenant)
        if tenant is not None:
            return ReadResult(id_=id_, outs=outputs(props, region, tenant, previous=props))
        try:
            tenant = client.get_tenant(hostname or region.register_host, id_)
        except (NotFoundError, AuthenticationError, PermissionDeniedError) as exc:
            if says_host_unknown(exc):
                tenant_or_none = confirm_gone(client, region, id_, hostname, exc)
                if tenant_or_none is None:
                    return ReadResult(id_="", outs={})
                tenant = tenant_or_none
            else:
                # Refused by its own host: deactivated, or a credential problem. Its status tells which.
                status = status_elsewhere(client, self._organization_client(), region, id_)
                if status == "gone":
                    return ReadResult(id_="", outs={})
                if status != TENANT_DISABLED:
                    raise
                return self._disabled(id_, props, region, hostname)
        outs = outputs(props, region, tenant, previous=props)
        return ReadResult(id_=id_, outs=outs, inputs=read_inputs(props, region))

    @_hiding_secret_inputs
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = TenantSpec.from_inputs(news)
        region = self._region(news)
        client = self.client_for(region)
        hostname = hostname_of(olds)
        if hostname is None:
            tenant = client.get_tenant(region.register_host, id_)
            hostname = tenant.hostname
        if hostname is None:
            raise QlikError(f"tenant {id_}: Qlik reports no hostname for it; run `pulumi refresh` first")
        if (olds.get("status") or TENANT_ACTIVE) != TENANT_ACTIVE:
            self._reactivate(client, region, id_, hostname)
        try:
            tenant = client.get_tenant(hostname, id_)
        except (AuthenticationError, PermissionDeniedError):
            if status_elsewhere(client, self._organization_client(), region, id_) != TENANT_DISABLED:
                raise
            # Deactivated out of band since the last refresh: the program declares it, so bring it back.
            self._reactivate(client, region, id_, hostname)
            tenant = client.get_tenant(hostname, id_)
        tenant = converge_settings(client, spec, tenant)
        return UpdateResult(outs=outputs(news, region, tenant, previous=olds))

    @_hiding_secret_inputs
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        region = self._region(props)
        client = self.client_for(region)
        hostname = hostname_of(props)
        if hostname is None:
            raise QlikError(
                f"tenant {id_}: no hostname in the state to confirm the deactivation; run `pulumi refresh`"
            )
        # Its hostnames may soon name another tenant (a new customer with the same alias, in this very run).
        made_here().forget(client.server, [hostname, *(props.get("hostnames") or [])])
        days = whole(props.get("purge_after_days"))
        org_client = self._organization_client()
        # A backup that fails raises: the tenant stays active.
        back_up_before_deactivation(
            client, org_client, self.settings, region, id_, hostname, props.get("backup_dir")
        )
        try:
            result = client.deactivate_tenant(
                region.register_host, id_, hostname=hostname, purge_after_days=days
            )
        except QlikAPIError as exc:
            if no_such_tenant(exc):
                logger.info("tenant %s is already gone", id_)
                return
            if is_disabled(client, org_client, region, id_):
                logger.info("tenant %s was already deactivated", id_)
                return
            if isinstance(exc, NotFoundError):
                # Not Qlik's "no such tenant": a server that does not serve the route. Taking it for "gone"
                # would leave an active tenant holding a license slot, outside the stack.
                raise QlikError(
                    f"cannot deactivate tenant {id_} ({hostname}): {region.register_host} answered 404 ({exc}),"
                    " not Qlik's answer for an unknown tenant (TENANTS-8), so the request may have gone to a"
                    " server that does not serve the Tenants API. The tenant may still be active and stays in the"
                    " stack. Check `qlik:endpoint` (and any proxy in between), then run the command again."
                ) from None
            raise
        logger.info("deactivated tenant %s; purge expected %s", id_, result.estimated_purge_date)

    # --- helpers -------------------------------------------------------------------------------------

    def _disabled(
        self,
        id_: str,
        props: Mapping[str, Any],
        region: Region,
        hostname: str | None,
        tenant: Tenant | None = None,
    ) -> ReadResult:
        """A tenant deactivated out of band: recorded as such, with its purge date (Qlik's, else estimated from
        its deactivation time and `purge_after_days`)."""
        deactivated_at = tenant.status_last_updated_at if tenant else None
        purge = estimated_purge_date(self._organization_client(), id_) or purge_date_after(
            deactivated_at, props.get("purge_after_days")
        )
        outs = {**props, "tenant_id": id_, "hostname": hostname, "status": TENANT_DISABLED}
        outs["estimated_purge_date"] = purge or props.get("estimated_purge_date")
        return ReadResult(id_=id_, outs=outs, inputs=read_inputs(props, region))

    def _reactivate(self, client: QlikClient, region: Region, id_: str, hostname: str) -> None:
        client.reactivate_tenant(region.register_host, id_, hostname=hostname)
        logger.info("reactivated tenant %s", id_)

    def _warn_if_default_region_moved(
        self, news: Mapping[str, Any], previous: Mapping[str, Any], normalized: Mapping[str, Any]
    ) -> None:
        default = (self.settings.default_region or "").strip().lower()
        kept = previous.get("region")
        moved = isinstance(kept, str) and bool(default) and kept != default
        if moved and news.get("region") is None and normalized.get("region") == kept:
            logger.warning(
                f"a tenant stays in region {kept!r} although qlik:region is now {default!r}: the default "
                "applies only to new tenants; pass `region=` to move it (that replaces it)"
            )


__all__ = ["QlikTenant", "QlikTenantArgs", "QlikTenantProvider"]
