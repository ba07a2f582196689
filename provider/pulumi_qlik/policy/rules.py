"""The guardrails of the policy pack as plain functions: a resource's checked inputs and the rule's config in,
the violation messages out. No `pulumi_policy` here, so they are unit-tested without the engine;
`pulumi_qlik/policy/__main__.py` wraps each into a CrossGuard `ResourceValidationPolicy`.

Telling our resources apart: each is a Pulumi dynamic resource declared with `module="qlik"`, so the engine (and
a policy) sees the type `pulumi-python:dynamic/qlik:<Name>` (e.g. `pulumi-python:dynamic/qlik:Tenant`); another
package's dynamic resources are `pulumi-python:dynamic:Resource` or carry their own module. The props a policy
gets are the inputs after the provider's `check` (normalised: the region as a lower-case code, the default
`purge_after_days` filled in, origins as `https://host[:port]`).

A value the engine does not know yet (an output of another resource at preview) raises the policy library's
`UnknownValueError` when read; the library reports it as an advisory "can't run during preview", and the rule runs
at `up` when the value is known.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .der import KeyFormatError, rsa_key_bits

TYPE_PREFIX: Final = "pulumi-python:dynamic/qlik:"
TENANT: Final = f"{TYPE_PREFIX}Tenant"
GROUP: Final = f"{TYPE_PREFIX}Group"
WEB_INTEGRATION: Final = f"{TYPE_PREFIX}WebIntegration"
CSP_ORIGIN: Final = f"{TYPE_PREFIX}CspOrigin"
IDENTITY_PROVIDER: Final = f"{TYPE_PREFIX}IdentityProvider"
TENANT_ADMIN: Final = "TenantAdmin"

_ORIGIN: Final = re.compile(r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>[^:/]*)(?::\d+)?/?$")


@dataclass(frozen=True, slots=True)
class Subject:
    """One resource as a rule sees it."""

    type: str
    name: str
    urn: str
    props: Mapping[str, Any]
    protect: bool

    @property
    def stack(self) -> str:
        """The stack, from the URN (`urn:pulumi:<stack>::<project>::<type>::<name>`)."""
        return self.urn.split("::", 1)[0].split(":", 2)[-1]


Check = Callable[[Subject, Mapping[str, Any]], list[str]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A guardrail: the resource types it reads, its config (key -> default) and its check."""

    name: str
    description: str
    types: tuple[str, ...]
    defaults: Mapping[str, Any]
    check: Check


def _strings(value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        return []
    return [item for item in value if isinstance(item, str)]


def allowed_regions(subject: Subject, config: Mapping[str, Any]) -> list[str]:
    allowed = [code.strip().lower() for code in _strings(config.get("allowedRegions"))]
    region = subject.props.get("region")
    if isinstance(region, str) and region not in allowed:
        return [
            f"QlikTenant {subject.name!r} is in region {region!r}, which is not allowed here (allowed: "
            f"{', '.join(allowed) or 'none'}); pass `region=` one of them, or add it to this policy's "
            "`allowedRegions`"
        ]
    return []


def is_production(subject: Subject, config: Mapping[str, Any]) -> bool:
    stacks = _strings(config.get("productionStacks"))
    names = _strings(config.get("productionResourceNames"))
    return any(fnmatch.fnmatchcase(subject.stack, p) for p in stacks) or any(
        fnmatch.fnmatchcase(subject.name, p) for p in names
    )


def production_protected(subject: Subject, config: Mapping[str, Any]) -> list[str]:
    if subject.protect or not is_production(subject, config):
        return []
    return [
        f"QlikTenant {subject.name!r} is a production tenant (stack {subject.stack!r}) and is not protected: "
        "pass `opts=pulumi.ResourceOptions(protect=True)` so no `up` or `destroy` can deactivate it"
    ]


def origin_problem(origin: str, wildcard_domains: Sequence[str]) -> str | None:
    """Why `origin` breaks the https-only, no-stray-wildcard rule; None when it does not."""
    found = _ORIGIN.match(origin.strip())
    if found is None:
        return "is not an origin of the form https://host[:port]"
    scheme, host = (found["scheme"] or "").lower(), found["host"].lower()
    if scheme != "https":
        return f"is not https (scheme {scheme or 'left out, which allows http too'})"
    if "*" not in host:
        return None
    base = host.removeprefix("*.")
    if "*" in base:
        return "has a wildcard other than one leading `*.`"
    domains = [d.strip().lower().removeprefix("*.") for d in wildcard_domains]
    if any(base == d or base.endswith(f".{d}") for d in domains if d):
        return None
    return f"has a wildcard outside the allowed domains ({', '.join(domains) or 'none configured'})"


def https_origins(subject: Subject, config: Mapping[str, Any]) -> list[str]:
    domains = _strings(config.get("wildcardDomains"))
    if subject.type == WEB_INTEGRATION:
        origins, what = _strings(subject.props.get("valid_origins")), "QlikWebIntegration"
    else:
        origin = subject.props.get("origin")
        origins, what = ([origin] if isinstance(origin, str) else []), "QlikCspOrigin"
    out = []
    for origin in origins:
        problem = origin_problem(origin, domains)
        if problem:
            out.append(
                f"{what} {subject.name!r}: origin {origin!r} {problem}; use https://<host> (a wildcard only "
                "as `*.` under this policy's `wildcardDomains`)"
            )
    return out


def jwt_rsa_key(subject: Subject, config: Mapping[str, Any]) -> list[str]:
    minimum = int(config.get("minimumBits", 2048))
    key = subject.props.get("public_key")
    if not isinstance(key, str):
        return []
    try:
        bits = rsa_key_bits(key)
    except KeyFormatError as exc:
        return [f"QlikIdentityProvider {subject.name!r}: its public key cannot be read ({exc})"]
    if bits is None:
        return [
            f"QlikIdentityProvider {subject.name!r}: its public key is not RSA; this policy requires an RSA "
            f"key of at least {minimum} bits"
        ]
    if bits < minimum:
        return [
            f"QlikIdentityProvider {subject.name!r}: its RSA key has {bits} bits, fewer than the {minimum} "
            "this policy requires; sign with a longer key (and a new `key_id`)"
        ]
    return []


def tenant_admin_groups(subject: Subject, config: Mapping[str, Any]) -> list[str]:
    roles = _strings(subject.props.get("assigned_roles"))
    if TENANT_ADMIN not in roles:
        return []
    name = subject.props.get("name")
    if isinstance(name, str) and name in _strings(config.get("allowedGroups")):
        return []
    # The group's name may be a secret input: the message names the Pulumi resource only.
    return [
        f"QlikGroup {subject.name!r} grants {TENANT_ADMIN}, and its group name is not on this policy's "
        "`allowedGroups`: drop the role or add the group's name to the allow-list"
    ]


def purge_after_days(subject: Subject, config: Mapping[str, Any]) -> list[str]:
    minimum = int(config.get("minimumDays", 30))
    days = subject.props.get("purge_after_days")
    value = int(days) if isinstance(days, int | float) or (isinstance(days, str) and days.isdigit()) else None
    if value is None or value < minimum:
        return [
            f"QlikTenant {subject.name!r}: purge_after_days is {days if value is None else value!r}, fewer than "
            f"the {minimum} days this policy requires; set `purge_after_days={minimum}` or more"
        ]
    return []


RULES: Final = (
    Rule(
        "qlik-tenant-allowed-regions",
        "Qlik tenants only in the allowed regions.",
        (TENANT,),
        {"allowedRegions": ["us", "eu"]},
        allowed_regions,
    ),
    Rule(
        "qlik-production-tenant-protected",
        "Production Qlik tenants must be protected (`protect=True`).",
        (TENANT,),
        {
            "productionStacks": ["prod", "prod-*", "production", "production-*", "*-prod", "*-production"],
            "productionResourceNames": [],
        },
        production_protected,
    ),
    Rule(
        "qlik-origins-https",
        "Web-integration and CSP origins are https only, with wildcards only under the allowed domains.",
        (WEB_INTEGRATION, CSP_ORIGIN),
        {"wildcardDomains": []},
        https_origins,
    ),
    Rule(
        "qlik-jwt-rsa-key",
        "A JWT identity provider's key is RSA of at least 2048 bits.",
        (IDENTITY_PROVIDER,),
        {"minimumBits": 2048},
        jwt_rsa_key,
    ),
    Rule(
        "qlik-tenant-admin-groups",
        "TenantAdmin is granted only to groups on the allow-list.",
        (GROUP,),
        {"allowedGroups": []},
        tenant_admin_groups,
    ),
    Rule(
        "qlik-purge-after-days",
        "Qlik tenants keep a deactivated tenant at least the minimum number of days before purging it.",
        (TENANT,),
        {"minimumDays": 30},
        purge_after_days,
    ),
)
