"""One sample per spec of the registry: valid inputs for the n-th object of a kind on a tenant, an in-place change,
and the ids of the objects on the tenant that carry the inputs' natural key.

The contract test (`test_object_contract.py`) walks the registry and fails for a registered spec without a sample
here: a resource added later gets the whole fault matrix by writing one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import CreateGroupRequest, CreateSpaceRequest
from pulumi_qlik.emulator import EmulatorControl
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair
from pulumi_qlik.engine.object_provider import ObjectProvider
from pulumi_qlik.resources.bundle_inputs import pack

_, PUBLIC_PEM = generate_rsa_key_pair()


def providers(base: type[ObjectProvider] = ObjectProvider) -> dict[str, type[ObjectProvider]]:
    """Every provider class built from a spec, by resource name (subclasses of subclasses too)."""
    found: dict[str, type[ObjectProvider]] = {}
    for cls in base.__subclasses__():
        if "spec" in cls.__dict__:
            found[cls.spec.resource] = cls
        found.update(providers(cls))
    return found


@dataclass(frozen=True)
class Tenant:
    client: QlikClient
    host: str
    tenant_id: str
    control: EmulatorControl
    deps: dict[str, str] = field(default_factory=dict)
    """Objects several samples need (a space, a group, an app), made once per tenant."""


@dataclass(frozen=True)
class Sample:
    inputs: Callable[[Tenant, str], dict[str, Any]]
    """Inputs of the object named by the suffix (unique per case)."""
    change: Callable[[Mapping[str, Any]], dict[str, Any]]
    """The same inputs with one in-place change."""
    matching: Callable[[Tenant, Mapping[str, Any]], list[str]]
    """Ids of the objects on the tenant with the inputs' natural key (more than one is a duplicate)."""


def _space(tenant: Tenant) -> str:
    if "space" not in tenant.deps:
        request = CreateSpaceRequest(name="Contract space", type="shared")
        tenant.deps["space"] = tenant.client.create_space(tenant.host, request).id
    return tenant.deps["space"]


def _app(tenant: Tenant) -> str:
    if "app" not in tenant.deps:
        tenant.deps["app"] = tenant.control.seed_app(tenant.tenant_id, "Sales").id
    return tenant.deps["app"]


def _bundle(kind: str, suffix: str, version: str = "1.0.0") -> dict[str, Any]:
    qext = json.dumps({"name": f"Acme {kind} {suffix}", "type": kind, "version": version})
    packed = pack(
        pulumi.AssetArchive(
            {"acme.qext": pulumi.StringAsset(qext), "acme.json": pulumi.StringAsset('{"a": 1}')}
        )
    )
    return {"name": packed.name, "content_hash": packed.content_hash, "archive": packed.archive}


def _rebundled(inputs: Mapping[str, Any], kind: str) -> dict[str, Any]:
    suffix = str(inputs["name"]).removeprefix(f"Acme {kind} ")
    return {**inputs, **_bundle(kind, suffix, version="1.1.0")}


def _group(tenant: Tenant, suffix: str) -> str:
    request = CreateGroupRequest(name=f"Assignees {suffix}", status="active", assigned_roles=[])
    return tenant.client.create_group(tenant.host, request).id


def _idps(tenant: Tenant, inputs: Mapping[str, Any]) -> list[str]:
    return [
        idp.id
        for idp in tenant.client.list_identity_providers(tenant.host)
        if idp.options is not None
        and idp.options.issuer == inputs["issuer"]
        and any(key.kid == inputs["key_id"] for key in idp.options.static_keys)
    ]


SAMPLES: dict[str, Sample] = {
    "QlikGroup": Sample(
        inputs=lambda t, n: {
            "tenant_hostname": t.host,
            "name": f"Group {n}",
            "assigned_roles": ["AnalyticsAdmin"],
        },
        change=lambda i: {**i, "assigned_roles": ["AnalyticsAdmin", "DataAdmin"]},
        matching=lambda t, i: [g.id for g in t.client.find_groups(t.host, name=i["name"])],
    ),
    "QlikSpace": Sample(
        inputs=lambda t, n: {"tenant_hostname": t.host, "name": f"Space {n}", "type": "shared"},
        change=lambda i: {**i, "description": "changed"},
        matching=lambda t, i: [s.id for s in t.client.find_spaces(t.host, name=i["name"])],
    ),
    "QlikWebIntegration": Sample(
        inputs=lambda t, n: {
            "tenant_hostname": t.host,
            "name": f"Portal {n}",
            "valid_origins": ["https://portal.example.com"],
        },
        change=lambda i: {**i, "valid_origins": ["https://portal.example.com", "https://app.example.com"]},
        matching=lambda t, i: [w.id for w in t.client.list_web_integrations(t.host) if w.name == i["name"]],
    ),
    "QlikCspOrigin": Sample(
        inputs=lambda t, n: {
            "tenant_hostname": t.host,
            "name": f"Portal {n}",
            "origin": f"https://p{n}.example.com",
        },
        change=lambda i: {**i, "script_src": True},
        matching=lambda t, i: [c.id for c in t.client.find_csp_origins(t.host, origin=i["origin"])],
    ),
    "QlikIdentityProvider": Sample(
        inputs=lambda t, n: {
            "tenant_hostname": t.host,
            "issuer": f"https://portal-{n}.example.com",
            "key_id": f"k-{n}",
            "public_key": PUBLIC_PEM,
        },
        change=lambda i: {**i, "description": "rotated next quarter"},
        matching=_idps,
    ),
    "QlikSpaceAssignment": Sample(
        inputs=lambda t, n: {
            "tenant_hostname": t.host,
            "space_id": _space(t),
            "assignee_type": "group",
            "assignee_id": _group(t, n),
            "roles": ["consumer"],
        },
        change=lambda i: {**i, "roles": ["consumer", "producer"]},
        matching=lambda t, i: [
            a.id for a in t.client.list_space_assignments(t.host, i["space_id"], assignee_id=i["assignee_id"])
        ],
    ),
    "QlikUser": Sample(
        inputs=lambda t, n: {
            "tenant_hostname": t.host,
            "email": f"user-{n}@example.com",
            "roles": ["TenantAdmin"],
        },
        change=lambda i: {**i, "name": "Renamed"},
        matching=lambda t, i: [u.id for u in t.client.find_users(t.host, email=i["email"])],
    ),
    "QlikOAuthClient": Sample(
        inputs=lambda t, n: {
            "tenant_hostname": t.host,
            "name": f"Backend {n}",
            "app_type": "web",
            "allowed_grant_types": ["client_credentials"],
        },
        change=lambda i: {**i, "scopes": ["user_default"]},
        matching=lambda t, i: [
            c.client_id for c in t.client.list_oauth_clients(t.host) if c.client_name == i["name"]
        ],
    ),
    "QlikDataConnection": Sample(
        inputs=lambda t, n: {
            "tenant_hostname": t.host,
            "space_id": _space(t),
            "name": f"Sales DB {n}",
            "connection_type": "postgres",
            "connection_string": "host=db.example.com;port=5432;database=sales",
            "username": "qlik",
            "password": f"pw-{n}",
        },
        change=lambda i: {**i, "connection_string": "host=db2.example.com;port=5432;database=sales"},
        matching=lambda t, i: [
            c.id
            for c in t.client.list_data_connections(t.host, space_id=i["space_id"])
            if c.name == i["name"]
        ],
    ),
    "QlikReloadSchedule": Sample(
        inputs=lambda t, n: {
            "tenant_hostname": t.host,
            "app_id": _app(t),
            "name": f"Nightly {n}",
            "recurrence": "RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0",
            "time_zone": "Europe/Zurich",
        },
        change=lambda i: {**i, "recurrence": "RRULE:FREQ=DAILY;BYHOUR=3;BYMINUTE=30"},
        matching=lambda t, i: [
            task.id
            for task in t.client.list_reload_tasks(t.host, app_id=i["app_id"])
            if task.name == i["name"]
        ],
    ),
    "QlikTheme": Sample(
        inputs=lambda t, n: {"tenant_hostname": t.host, **_bundle("theme", n)},
        change=lambda i: _rebundled(i, "theme"),
        matching=lambda t, i: [b.id for b in t.client.list_themes(t.host) if b.name == i["name"]],
    ),
    "QlikExtension": Sample(
        inputs=lambda t, n: {"tenant_hostname": t.host, **_bundle("visualization", n)},
        change=lambda i: _rebundled(i, "visualization"),
        matching=lambda t, i: [b.id for b in t.client.list_extensions(t.host) if b.name == i["name"]],
    ),
}
