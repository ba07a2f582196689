"""What a program asks of a tenant: `QlikTenant`'s inputs, validated and normalised in one pass.

`normalize_inputs` is the one place that turns the engine's inputs into the values `check` returns, `create`
stores and `diff` compares, so a tenant never diffs against its own normalisation. Values the engine does not
know yet (preview) arrive as `UNKNOWN` and are carried through untouched. Nothing here talks to Qlik or Pulumi.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pulumi_qlik.engine.redaction import SECRET_INPUTS, checked_secret_input_names, secret_values
from pulumi_qlik.engine.unknowns import UNKNOWN, UnknownValue, is_unknown
from pulumi_qlik.operations.backup import check_backup_target
from pulumi_qlik.operations.deactivation import (
    DEFAULT_PURGE_AFTER_DAYS,
    MAX_PURGE_AFTER_DAYS,
    MIN_PURGE_AFTER_DAYS,
)
from pulumi_qlik.operations.tenant_settings_patch import PATCHABLE_FLAGS
from pulumi_qlik.regions import CLOUD_DOMAIN, KNOWN_REGIONS, full_alias_hostname, is_hostname, region_of_host

MAX_DISPLAY_NAME_LENGTH: Final = 128


_ALIAS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_REGION_CODE = re.compile(r"^[a-z]{2,5}$")
_DATACENTER = re.compile(r"^[a-z]{2,4}(?:-[a-z]+)+-\d$")
_TENANT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TRUE_WORDS: Final = frozenset({"true", "yes", "on", "1"})
_FALSE_WORDS: Final = frozenset({"false", "no", "off", "0"})

MANAGED_SETTINGS: Final = ("display_name", "alias_hostname", *PATCHABLE_FLAGS)
# Changing where a tenant lives, or which existing tenant is adopted, means a different tenant.
REPLACE_ON_CHANGE: Final = ("region", "datacenter", "adopt_tenant_id")

INPUT_NAMES: Final = (
    "license_key",
    "region",
    "datacenter",
    *MANAGED_SETTINGS,
    "purge_after_days",
    "adopt_tenant_id",
    "adopt_hostname",
    "reactivate_deactivated",
    "backup_dir",
)

# The engine keeps an output secret only when the input *of the same name* was secret (dynamic providers cannot
# return secrets). So each output derived from a secret-capable input gets an input of its own name, a marker
# computed from its sources by `QlikTenant`, which is secret exactly when one of the sources is.
SECRET_MARKERS: Final[dict[str, tuple[str, ...]]] = {
    "name": ("display_name",),
    "hostname": ("adopt_hostname",),
    "hostnames": ("alias_hostname", "adopt_hostname"),
}


# The names of the inputs the program passed as secrets (values never: names only), so the provider can keep
# those values out of its logs and errors; the engine tells a dynamic provider nothing about secrets.
SECRET_CAPABLE: Final = ("display_name", "alias_hostname", "adopt_hostname", "adopt_tenant_id")


def hidden_values(props: Mapping[str, Any]) -> set[str]:
    """Every form in which a secret input of `props` may show: as given, normalised, as the alias's label."""
    return secret_values(props, labels_of=("alias_hostname",))


def secret_outputs_for(secret_inputs: set[str]) -> set[str]:
    """The outputs the engine marks secret when `secret_inputs` are (same name, or through a marker)."""
    marked = {name for name, sources in SECRET_MARKERS.items() if secret_inputs & set(sources)}
    return {"license_key"} | secret_inputs | marked


@dataclass
class NormalizedInputs:
    """`check`'s answer: the normalised inputs (unknowns kept) and one failure per bad field."""

    inputs: dict[str, Any]
    failures: list[tuple[str, str]] = field(default_factory=list)

    def fail(self, prop: str, reason: str) -> None:
        self.failures.append((prop, f"{prop}: {reason}"))


def normalize_inputs(
    news: Mapping[str, Any],
    olds: Mapping[str, Any] | None = None,
    *,
    default_region: str | None = None,
) -> NormalizedInputs:
    """Validate and normalise every input at once; `olds` are the inputs the tenant was last checked with.

    A region left out is, in order: the region of `adopt_hostname`, the region the existing tenant already
    has, the stack's default. An existing tenant therefore never moves when `qlik:region` changes.
    """
    olds = olds or {}
    result = NormalizedInputs(inputs={})
    out = result.inputs

    def take(prop: str, parse: Callable[[Any], Any]) -> None:
        value = news.get(prop)
        if value is None or is_unknown(value):
            out[prop] = value
            return
        try:
            out[prop] = parse(value)
        except ValueError as exc:
            out[prop] = None
            result.fail(prop, str(exc))

    take("license_key", _license_key)
    take("adopt_tenant_id", _tenant_id)
    take("adopt_hostname", _hostname)
    take("region", _region_code)
    take("datacenter", _datacenter)
    take("display_name", _display_name)
    for prop in PATCHABLE_FLAGS:
        take(prop, _flag)
    take("purge_after_days", _purge_after_days)
    take("reactivate_deactivated", _flag)
    take("backup_dir", check_backup_target)
    if out["purge_after_days"] is None:
        out["purge_after_days"] = DEFAULT_PURGE_AFTER_DAYS

    region_failed = any(prop == "region" for prop, _ in result.failures)
    if out["region"] is None and not region_failed:
        out["region"] = _implied_region(out.get("adopt_hostname"), olds, default_region)
        if out["region"] is None:
            result.fail(
                "region",
                "not set: pass `region=` to the resource or set a default with `pulumi config set qlik:region us`",
            )
    region = out["region"]

    alias = news.get("alias_hostname")
    if alias is None or is_unknown(alias):
        out["alias_hostname"] = alias
    else:
        try:
            out["alias_hostname"] = _alias_hostname(alias, region)
        except ValueError as exc:
            out["alias_hostname"] = None
            result.fail("alias_hostname", str(exc))

    _check_region_and_datacenter(result)
    _check_adoption(result, creating=not olds)
    for marker in SECRET_MARKERS:
        value = news.get(marker)
        out[marker] = value if is_unknown(value) else (True if value is not None else None)
    if isinstance(news.get("hostname"), str) and isinstance(out.get("adopt_hostname"), str):
        out["hostname"] = out["adopt_hostname"]  # an adopted tenant's hostname, known at preview (QlikTenant)
    out[SECRET_INPUTS] = checked_secret_input_names(news.get(SECRET_INPUTS), SECRET_CAPABLE)
    return result


def _implied_region(
    adopt_hostname: Any, olds: Mapping[str, Any], default_region: str | None
) -> str | UnknownValue | None:
    if is_unknown(adopt_hostname):
        return UNKNOWN
    if isinstance(adopt_hostname, str) and region_of_host(adopt_hostname):
        return region_of_host(adopt_hostname)
    previous = olds.get("region")
    if isinstance(previous, str) and previous:
        return previous
    return default_region.strip().lower() if default_region else None


def _check_region_and_datacenter(result: NormalizedInputs) -> None:
    out = result.inputs
    region, datacenter = out["region"], out["datacenter"]
    if not isinstance(region, str):
        return
    known = KNOWN_REGIONS.get(region)
    if known is None and datacenter is None:
        result.fail(
            "region",
            f"{region!r} is not a known Qlik Cloud region; use one of {', '.join(sorted(KNOWN_REGIONS))}, "
            "or give `datacenter` explicitly for a newer region",
        )
    elif known is not None and datacenter is None:
        out["datacenter"] = known.datacenter
    elif known is not None and isinstance(datacenter, str) and datacenter != known.datacenter:
        result.fail(
            "datacenter",
            f"{datacenter!r} is not in region {region!r}, whose datacenter is {known.datacenter!r}; "
            "drop `datacenter` or pick the matching `region`",
        )
    adopt_hostname = out.get("adopt_hostname")
    if isinstance(adopt_hostname, str):
        host_region = region_of_host(adopt_hostname)
        if host_region is not None and host_region != region:
            result.fail(
                "adopt_hostname",
                f"{adopt_hostname!r} is in region {host_region!r}, not {region!r}: "
                f"drop `region=` or set it to {host_region!r}",
            )


def _check_adoption(result: NormalizedInputs, *, creating: bool) -> None:
    out = result.inputs
    has_id, has_host = out["adopt_tenant_id"] is not None, out["adopt_hostname"] is not None
    bad = {prop for prop, _ in result.failures}
    if has_id and not has_host and "adopt_hostname" not in bad:
        result.fail("adopt_hostname", "required with adopt_tenant_id (the tenant's hostname, to reach it)")
    elif has_host and not has_id and "adopt_tenant_id" not in bad:
        result.fail("adopt_tenant_id", "required with adopt_hostname (the id of the tenant to adopt)")
    elif creating and not has_id and not has_host and out["license_key"] is None and "license_key" not in bad:
        result.fail(
            "license_key",
            "required to create a tenant; pass `get_entitlement_key_output(source_tenant=...)` "
            "(or adopt an existing tenant with adopt_tenant_id and adopt_hostname)",
        )


# --- one parser per input: raise ValueError with the fix, never quoting a secret --------------------------


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a string, not {type(value).__name__}")
    return value


def _license_key(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a string, not {type(value).__name__}")
    key = value.strip()
    if key.count(".") != 2 or not all(key.split(".")):
        raise ValueError(
            "is not a signed entitlement key (three dot-separated parts); pass the `licenseKey` from "
            "/api/v1/licenses/overview, e.g. `get_entitlement_key_output(source_tenant=...)`"
        )
    return key


def _region_code(value: Any) -> str:
    code = _text(value).strip().lower()
    if not _REGION_CODE.match(code):
        raise ValueError(f"{value!r} is not a region code; use one of {', '.join(sorted(KNOWN_REGIONS))}")
    return code


def _datacenter(value: Any) -> str:
    name = _text(value).strip().lower()
    if not _DATACENTER.match(name):
        raise ValueError(f"{value!r} is not a datacenter name such as 'us-east-1' or 'eu-west-1'")
    return name


def _display_name(value: Any) -> str:
    name = _text(value)
    if not 0 < len(name.strip()) <= MAX_DISPLAY_NAME_LENGTH:
        raise ValueError(f"must be 1 to {MAX_DISPLAY_NAME_LENGTH} characters, not blank")
    return name


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
        return value.strip().lower() in _TRUE_WORDS
    raise ValueError(f"{value!r} is not a boolean; use true or false")


def _purge_after_days(value: Any) -> int:
    days: int | None = None
    if isinstance(value, bool):
        days = None
    elif isinstance(value, int):
        days = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        days = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        days = int(value.strip())
    if days is None:
        raise ValueError(
            f"{value!r} is not a whole number of days; use {MIN_PURGE_AFTER_DAYS} to {MAX_PURGE_AFTER_DAYS}"
        )
    if not MIN_PURGE_AFTER_DAYS <= days <= MAX_PURGE_AFTER_DAYS:
        raise ValueError(
            f"{days} is out of range: Qlik keeps a deactivated tenant {MIN_PURGE_AFTER_DAYS} to "
            f"{MAX_PURGE_AFTER_DAYS} days before purging it"
        )
    return days


def _tenant_id(value: Any) -> str:
    tenant_id = _text(value).strip()
    if not _TENANT_ID.match(tenant_id):
        raise ValueError(f"{value!r} is not a tenant id (letters, digits, '-' and '_', as Qlik shows it)")
    return tenant_id


def _hostname(value: Any) -> str:
    host = _text(value).strip().lower().rstrip(".")
    if not is_hostname(host):
        raise ValueError(f"{value!r} is not a hostname such as 'abc123.us.{CLOUD_DOMAIN}'")
    return host


def _alias_hostname(value: Any, region: Any) -> str:
    """`Customer-A`, `customer-a` or `customer-a.<region>.qlikcloud.com` -> `customer-a.<region>.qlikcloud.com`."""
    alias = _text(value).strip().lower().rstrip(".")
    label, _, domain = alias.partition(".")
    if domain:
        host_region = region_of_host(alias)
        if host_region is None:
            raise ValueError(
                f"{value!r} must be one DNS label, or that label followed by '.<region>.{CLOUD_DOMAIN}'"
            )
        if isinstance(region, str) and host_region != region:
            raise ValueError(
                f"{value!r} is in region {host_region!r}, but the tenant is in {region!r}: "
                f"use the label alone, or '.{region}.{CLOUD_DOMAIN}'"
            )
    if not _ALIAS_LABEL.match(label):
        raise ValueError(
            f"{value!r} must be one DNS label (letters, digits and inner hyphens, at most 63 characters), "
            f"optionally followed by '.<region>.{CLOUD_DOMAIN}'"
        )
    if not isinstance(region, str):
        return alias  # completed once the region is known
    return full_alias_hostname(label, region)


# --- the typed view used by create/update ----------------------------


@dataclass(frozen=True, kw_only=True)
class TenantSpec:
    """Checked, fully known inputs of a `QlikTenant` (what `create` and `update` act on)."""

    license_key: str | None = field(default=None, repr=False)
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
    reactivate_deactivated: bool | None = None
    backup_dir: str | None = None

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any]) -> TenantSpec:
        """From inputs that `normalize_inputs` accepted (the engine hands `create`/`update` exactly those)."""
        normalized = normalize_inputs(inputs, {"region": inputs.get("region")})
        if normalized.failures:
            raise ValueError("; ".join(reason for _, reason in normalized.failures))
        values = {name: normalized.inputs[name] for name in INPUT_NAMES}
        if any(is_unknown(v) for v in values.values()):
            raise ValueError("an input is still unknown: create and update need every value known")
        return cls(**values)
