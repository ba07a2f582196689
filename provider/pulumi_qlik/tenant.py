"""`QlikTenant`: a Qlik Cloud tenant as a Pulumi dynamic resource.

The provider object is pickled by reference into the state (this module is importable), unpickled in the
provider process and configured there from the stack config: it never carries credentials or clients across
the pickle. Renaming `QlikTenantProvider` or this module would break existing state.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.errors import AuthenticationError, NotFoundError, QlikAPIError, TenantDisabledError
from pulumi_qlik.client.models import Tenant
from pulumi_qlik.config import QlikSettings, load_settings
from pulumi_qlik.regions import Region, region_of_host
from pulumi_qlik.spec import (
    DEFAULT_PURGE_AFTER_DAYS,
    MANAGED_SETTINGS,
    REPLACE_ON_CHANGE,
    TenantSpec,
    current_alias,
    desired_patch,
    full_alias_hostname,
    spec_failures,
)

logger = logging.getLogger("pulumi_qlik.provider")

# The value the engine sends for inputs that are not known yet (during preview).
UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
# The 401 code Qlik answers for a hostname it does not know: a purged tenant's host.
UNKNOWN_HOST_CODE: Final = "LOGIN-2"
ACTIVE: Final = "active"
DISABLED: Final = "disabled"

INPUT_NAMES: Final = (
    "license_key",
    "region",
    "datacenter",
    *MANAGED_SETTINGS,
    "purge_after_days",
    "adopt_tenant_id",
    "adopt_hostname",
)


@dataclass(frozen=True, kw_only=True)
class QlikTenantArgs:
    """The arguments of a `QlikTenant`."""

    license_key: pulumi.Input[str] | None = None
    """The signed entitlement key (kept secret); only used to create. A renewed key never touches a tenant."""
    region: pulumi.Input[str] | None = None
    """Region code (`us`, `eu`, ...); defaults to the `qlik:region` config. Changing it replaces the tenant."""
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
    """Days (10-90, default 30) a destroyed tenant stays deactivated, and can be reactivated, before purge."""
    adopt_tenant_id: pulumi.Input[str] | None = None
    """Adopt this existing tenant instead of creating one (with `adopt_hostname`)."""
    adopt_hostname: pulumi.Input[str] | None = None
    """The hostname of the tenant to adopt."""


class QlikTenant(Resource, module="qlik", name="Tenant"):
    """A Qlik Cloud tenant, created through the region's registration endpoint and deactivated on destroy."""

    tenant_id: pulumi.Output[str]
    name: pulumi.Output[str]
    """The display name."""
    hostname: pulumi.Output[str]
    """The tenant's own hostname, `<system name>.<region>.qlikcloud.com`."""
    hostnames: pulumi.Output[list[str]]
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
        if args is not None and kwargs:
            raise TypeError("pass either `args` or keyword arguments to QlikTenant, not both")
        resolved = args if args is not None else QlikTenantArgs(**kwargs)
        props: dict[str, Any] = {name: getattr(resolved, name) for name in INPUT_NAMES}
        if props["license_key"] is not None:
            # Whatever the caller passed, the key is stored as a secret.
            props["license_key"] = pulumi.Output.secret(props["license_key"])
        for output in _OUTPUT_ONLY:
            props[output] = None
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
        """Read an existing tenant into the program without managing it (its hostname is needed to reach it)."""
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return QlikTenant(resource_name, QlikTenantArgs(adopt_tenant_id=id, adopt_hostname=hostname), merged)


_OUTPUT_ONLY: Final = (
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


class QlikTenantProvider(ResourceProvider):
    """CRUD for `QlikTenant` against Qlik Cloud's tenant registration flow."""

    _settings: QlikSettings | None = None

    def configure(self, req: ConfigureRequest) -> None:
        self._settings = load_settings(req.config._props)
        self._clients: dict[str, QlikClient] = {}
        self._clients_lock = threading.Lock()
        _configure_logging(self._settings.log_file)

    # --- plumbing -------------------------------------------------------------------------------------

    @property
    def settings(self) -> QlikSettings:
        if self._settings is None:
            # Only reachable if Pulumi changes how it starts dynamic providers.
            self._settings = load_settings({})
        return self._settings

    def _client(self, region: Region) -> QlikClient:
        with self._clients_lock:
            client = self._clients.get(region.code)
            if client is None:
                credentials = self.settings.credentials_for(region.code)
                client = QlikClient(
                    credentials.client_id, credentials.client_secret, endpoint=self.settings.endpoint
                )
                self._clients[region.code] = client
            return client

    def _region(self, props: Mapping[str, Any]) -> Region:
        hostname = props.get("hostname") or props.get("adopt_hostname")
        code = props.get("region") or (region_of_host(hostname) if hostname else None)
        return self.settings.region(code, props.get("datacenter"))

    # --- CRUD ----------------------------------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = {name: news.get(name) for name in INPUT_NAMES}
        if inputs["region"] is None and self.settings.default_region:
            inputs["region"] = self.settings.default_region
        if inputs["purge_after_days"] is None:
            inputs["purge_after_days"] = DEFAULT_PURGE_AFTER_DAYS
        if inputs["region"] is None:
            return CheckResult(
                inputs,
                [
                    CheckFailure(
                        "region", "region: not set; pass `region=` or `pulumi config set qlik:region us`"
                    )
                ],
            )
        known = {k: v for k, v in inputs.items() if not _is_unknown(v)}
        if "region" not in known:
            return CheckResult(inputs, [])
        # Unknown values are validated when they become known (at `up`).
        failures = [
            CheckFailure(prop, reason)
            for prop, reason in spec_failures(known)
            if not (prop == "license_key" and _is_unknown(inputs["license_key"]))
        ]
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces = [
            prop
            for prop in REPLACE_ON_CHANGE
            if news.get(prop) is not None and (_is_unknown(news[prop]) or news[prop] != olds.get(prop))
        ]
        changed = [prop for prop in MANAGED_SETTINGS if _setting_differs(prop, olds, news)]
        if olds.get("status") != ACTIVE:
            changed.append("status")
        if news.get("purge_after_days") != olds.get("purge_after_days"):
            changed.append("purge_after_days")
        # license_key is deliberately absent: a renewed entitlement key must never touch existing tenants.
        return DiffResult(
            changes=bool(replaces or changed),
            replaces=replaces,
            delete_before_replace=False,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = TenantSpec.model_validate(props)
        region = self._region(props)
        client = self._client(region)
        if spec.adopt_tenant_id is not None and spec.adopt_hostname is not None:
            tenant = self._adopt(client, spec.adopt_tenant_id, spec.adopt_hostname)
        else:
            assert spec.license_key is not None  # check() guarantees it
            tenant = client.create_tenant(
                region.register_host,
                license_key=spec.license_key,
                datacenter=spec.datacenter or region.datacenter,
            )
            logger.info("created tenant %s (%s)", tenant.id, tenant.hostname)
        # The tenant exists from here on: nothing below may raise, or the engine would forget it. What fails
        # is reported and left for the next `up`, whose diff sees the difference and applies it again.
        try:
            tenant = self._converge(client, spec, tenant)
        except QlikError as exc:
            logger.warning(
                f"tenant {tenant.id} ({tenant.hostname}) was created, but applying its settings failed: {exc}. "
                "Run `pulumi up` again to apply them."
            )
        outs = _outputs(spec, region, tenant, previous={})
        try:
            user = client.get_my_user(_primary_hostname(tenant))
        except QlikError as exc:
            logger.warning(f"tenant {tenant.id} was created, but its bot user could not be verified: {exc}")
        else:
            if user.tenant_id != tenant.id:
                logger.warning(
                    f"tenant {tenant.id}: users/me answered for tenant {user.tenant_id}, not the new tenant"
                )
            outs.update(bot_user_id=user.id, bot_user_subject=user.subject)
        return CreateResult(id_=tenant.id, outs=outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        hostname = props.get("hostname") or props.get("adopt_hostname")
        if not hostname:
            raise ValueError(
                f"cannot read tenant {id_}: its hostname is unknown; use QlikTenant.get(..., hostname=)"
            )
        region = self._region(props)
        client = self._client(region)
        try:
            tenant = client.get_tenant(hostname, id_)
        except TenantDisabledError:
            outs = {**props, "status": DISABLED}
            return ReadResult(id_=id_, outs=outs, inputs=_inputs_of(props))
        except NotFoundError:
            logger.info("tenant %s is gone (404)", id_)
            return ReadResult(id_="", outs={})
        except AuthenticationError as exc:
            if exc.code == UNKNOWN_HOST_CODE:
                logger.info("tenant %s is gone: its hostname %s is unknown", id_, hostname)
                return ReadResult(id_="", outs={})
            raise
        spec = _spec_or_none(props)
        outs = _outputs(spec, region, tenant, previous=props)
        return ReadResult(id_=id_, outs=outs, inputs=_inputs_of(outs))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = TenantSpec.model_validate(news)
        region = self._region(news)
        client = self._client(region)
        hostname = _primary_hostname_of(olds, id_)
        if (olds.get("status") or ACTIVE) != ACTIVE:
            client.reactivate_tenant(region.register_host, id_, hostname=hostname)
            logger.info("reactivated tenant %s", id_)
        tenant = client.get_tenant(hostname, id_)
        tenant = self._converge(client, spec, tenant)
        return UpdateResult(outs=_outputs(spec, region, tenant, previous=olds))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        region = self._region(props)
        client = self._client(region)
        hostname = _primary_hostname_of(props, id_)
        # Numbers come back from the engine as floats.
        days = int(props.get("purge_after_days") or DEFAULT_PURGE_AFTER_DAYS)
        try:
            result = client.deactivate_tenant(
                region.register_host, id_, hostname=hostname, purge_after_days=days
            )
        except NotFoundError:
            logger.info("tenant %s is already gone", id_)
            return
        except QlikAPIError:
            if _is_disabled(client, hostname, id_):
                logger.info("tenant %s was already deactivated", id_)
                return
            raise
        logger.info("deactivated tenant %s; purge expected %s", id_, result.estimated_purge_date)

    # --- helpers -------------------------------------------------------------------------------------

    def _adopt(self, client: QlikClient, tenant_id: str, hostname: str) -> Tenant:
        tenant = client.get_tenant(hostname, tenant_id)
        logger.info("adopted tenant %s (%s)", tenant.id, tenant.hostname)
        return tenant

    def _converge(self, client: QlikClient, spec: TenantSpec, tenant: Tenant) -> Tenant:
        """PATCH whatever managed setting differs, and return the tenant as Qlik then reports it."""
        operations = desired_patch(spec, tenant)
        if not operations:
            return tenant
        hostname = _primary_hostname(tenant)
        client.patch_tenant(hostname, tenant.id, operations)
        logger.info("patched tenant %s: %s", tenant.id, ", ".join(op.path for op in operations))
        return client.get_tenant(hostname, tenant.id)


def _is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value == UNKNOWN


def _setting_differs(prop: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    wanted = news.get(prop)
    if wanted is None:
        return False  # unset means unmanaged
    if _is_unknown(wanted):
        return True
    current = olds.get(prop)
    if prop == "alias_hostname":
        region = news.get("region") or olds.get("region")
        if not isinstance(region, str) or _is_unknown(region):
            return True
        return bool(full_alias_hostname(str(wanted), region) != current)
    return bool(wanted != current)


def _outputs(
    spec: TenantSpec | None, region: Region, tenant: Tenant, previous: Mapping[str, Any]
) -> dict[str, Any]:
    """State = the inputs as given (for diffs) + what the tenant reports for the settings we manage."""
    outs: dict[str, Any] = {name: previous.get(name) for name in INPUT_NAMES}
    if spec is not None:
        outs.update(
            {k: v for k, v in spec.model_dump().items() if k in INPUT_NAMES and k not in MANAGED_SETTINGS}
        )
    outs.update(
        region=region.code,
        datacenter=tenant.datacenter or region.datacenter,
        display_name=tenant.name,
        alias_hostname=current_alias(tenant),
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
        hostname=_primary_hostname(tenant),
        hostnames=list(tenant.hostnames),
        status=tenant.status or ACTIVE,
        created=_iso(tenant.created),
        estimated_purge_date=None if tenant.status == ACTIVE else previous.get("estimated_purge_date"),
        bot_user_id=previous.get("bot_user_id"),
        bot_user_subject=previous.get("bot_user_subject"),
    )
    return outs


def _inputs_of(props: Mapping[str, Any]) -> dict[str, Any]:
    return {name: props.get(name) for name in INPUT_NAMES if props.get(name) is not None}


def _spec_or_none(props: Mapping[str, Any]) -> TenantSpec | None:
    try:
        return TenantSpec.model_validate(props)
    except ValueError:
        return None


def _primary_hostname(tenant: Tenant) -> str:
    if tenant.hostname is None:
        raise QlikError(f"tenant {tenant.id} has no hostname in Qlik's answer")
    return tenant.hostname


def _primary_hostname_of(props: Mapping[str, Any], id_: str) -> str:
    hostname = props.get("hostname") or props.get("adopt_hostname")
    if not hostname:
        raise ValueError(f"tenant {id_}: no hostname in the state; run `pulumi refresh` first")
    return str(hostname)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _is_disabled(client: QlikClient, hostname: str, tenant_id: str) -> bool:
    """Whether the tenant's own host says it is deactivated (Qlik answers `TENANT_DISABLED` there)."""
    try:
        client.get_tenant(hostname, tenant_id)
    except TenantDisabledError:
        return True
    except QlikError:
        return False
    return False


def _configure_logging(log_file: str | None) -> None:
    """Provider-process logging: warnings to stderr (the engine shows them), everything to `qlik:logFile`."""
    root = logging.getLogger("pulumi_qlik")
    if getattr(root, "_pulumi_qlik_configured", False):
        return
    root.setLevel(logging.INFO)
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.WARNING)
    stderr.setFormatter(logging.Formatter("qlik: %(message)s"))
    root.addHandler(stderr)
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        root.addHandler(handler)
    root._pulumi_qlik_configured = True  # type: ignore[attr-defined]


__all__ = ["QlikTenant", "QlikTenantArgs", "QlikTenantProvider"]
