"""examples/cloud-composition/aws under Pulumi's mocks: the AWS plugin can't run here, the wiring can be proven.

The program runs for real; the mocks stand in for the engine, so every resource it registers, QlikTenant
included, is recorded with its inputs as the engine would receive them, and answer the entitlement lookup
(`qlik:index:getEntitlementKey`) with the source tenant's key read from the emulator beforehand.
"""

from __future__ import annotations

import json
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws  # noqa: F401  # the program's own import, here so a venv without the `examples` extra fails
import pytest
from pulumi.runtime import rpc

from pulumi_qlik.client import QlikClient
from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer

PROGRAM = Path(__file__).resolve().parents[2] / "examples" / "cloud-composition" / "aws" / "__main__.py"
PROJECT = "qlik-aws-composition"
TENANT_TYPE = "pulumi-python:dynamic/qlik:Tenant"
OAUTH_CLIENT_TYPE = "pulumi-python:dynamic/qlik:OAuthClient"
APP_CLIENT_SECRET = "app-client-secret-value-7f3a"
"""What the mocks answer as the backend OAuth client's `client_secret` (Qlik shows it once, on create)."""


def _is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig


def _plain(value: Any) -> Any:
    return value["value"] if _is_secret(value) else value


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers like the engine would after a create; keeps each registration's raw inputs (secrets wrapped)."""

    def __init__(self, license_key: str) -> None:
        self.registered: dict[str, tuple[str, dict[str, Any]]] = {}
        self.license_key = license_key
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered[args.name] = (args.typ, dict(args.inputs))
        state = {k: v for k, v in args.inputs.items() if k != "__provider" and not _is_secret(v)}
        if args.typ == TENANT_TYPE:
            # The provider's check() would fill the region from `qlik:region` (us in this test).
            region = args.inputs.get("region") or "us"
            system_host = f"x7k2m9q4p1w8z3d.{region}.qlikcloud.com"
            alias = f"{args.inputs['alias_hostname']}.{region}.qlikcloud.com"
            state.update(
                tenant_id="tenant-0001",
                hostname=system_host,
                hostnames=[system_host, alias],
                alias_hostname=alias,
            )
            return "tenant-0001", state
        if args.typ == OAUTH_CLIENT_TYPE:
            # As the provider's create answers: the client's id, and the secret Qlik showed once.
            state.update(client_id="backend-client-id", client_secret=APP_CLIENT_SECRET, secret_hint="7f3a")
            return "backend-client-id", state
        if args.typ == "aws:route53/record:Record":
            state["fqdn"] = args.inputs["name"]
        if args.typ == "aws:secretsmanager/secret:Secret":
            state["arn"] = f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{args.inputs['name']}"
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        self.calls.append((args.token, dict(args.args)))
        if args.token != "qlik:index:getEntitlementKey":
            raise AssertionError(f"the program should not invoke {args.token}")
        return {"licenseKey": self.license_key}, []

    def inputs(self, typ: str) -> dict[str, Any]:
        [found] = [inputs for t, inputs in self.registered.values() if t == typ]
        return found


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(record_secrets=True)) as server:
        yield server


def test_aws_composition_wiring(emulator: EmulatorServer) -> None:
    us = emulator.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url) as qlik:
        source_key = qlik.get_license_overview(us.source_tenant).license_key.get_secret_value()
    mocks = RecordingMocks(source_key)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack="prod", preview=False)
    pulumi.runtime.set_all_config(
        {
            "qlik:endpoint": emulator.url,
            "qlik:region": "us",
            "qlik:clientId": us.client_id,
            "qlik:clientSecret": us.client_secret,
            f"{PROJECT}:customer": "acme",
            f"{PROJECT}:sourceTenant": us.source_tenant,
            f"{PROJECT}:zoneId": "Z0123456789ABCDEF",
            f"{PROJECT}:zoneName": "analytics.example.com",
            f"{PROJECT}:secretRotation": "2027-01",
        },
        secret_keys=["qlik:clientSecret"],
    )

    @pulumi.runtime.test
    def run_program() -> None:
        runpy.run_path(str(PROGRAM), run_name="__main__")

    run_program()

    # The tenant got the source tenant's real entitlement key, as a secret.
    tenant = mocks.inputs(TENANT_TYPE)
    assert _is_secret(tenant["license_key"])
    assert _plain(tenant["license_key"]) == source_key
    assert mocks.calls == [("qlik:index:getEntitlementKey", {"sourceTenant": us.source_tenant})]
    assert tenant["alias_hostname"] == "acme"

    # Route 53: acme.<zone> is a CNAME to the tenant's own hostname.
    record = mocks.inputs("aws:route53/record:Record")
    assert record["zoneId"] == "Z0123456789ABCDEF"
    assert record["name"] == "acme.analytics.example.com"
    assert record["type"] == "CNAME"
    # Not derived from a secret, so not secret: the tenant's hostname stays readable where it is used.
    assert record["records"] == ["x7k2m9q4p1w8z3d.us.qlikcloud.com"]

    # SSM: the tenant's coordinates (pulumi-aws keeps every parameter value secret in Pulumi's state).
    parameter = mocks.inputs("aws:ssm/parameter:Parameter")
    assert parameter["name"] == "/qlik/tenants/acme"
    assert parameter["type"] == "String"
    assert json.loads(_plain(parameter["value"])) == {
        "tenantId": "tenant-0001",
        "hostname": "x7k2m9q4p1w8z3d.us.qlikcloud.com",
        "aliasHostname": "acme.us.qlikcloud.com",
    }

    # The backend's OAuth client on the tenant: client_credentials, rotated by `secretRotation`.
    backend = mocks.inputs(OAUTH_CLIENT_TYPE)
    assert backend["tenant_hostname"] == "x7k2m9q4p1w8z3d.us.qlikcloud.com"
    assert (backend["app_type"], backend["allowed_grant_types"]) == ("web", ["client_credentials"])
    assert backend["secret_rotation"] == "2027-01"

    # Secrets Manager: built from the client's secret output, so the whole secret string reaches the engine secret.
    version = mocks.inputs("aws:secretsmanager/secretVersion:SecretVersion")
    assert version["secretId"] == "acme-qlik-app-id"
    assert _is_secret(version["secretString"])
    assert json.loads(_plain(version["secretString"])) == {
        "hostname": "x7k2m9q4p1w8z3d.us.qlikcloud.com",
        "tenantId": "tenant-0001",
        "clientId": "backend-client-id",
        "clientSecret": APP_CLIENT_SECRET,
    }

    # No secret reaches any input in plain text: not the app secret, license key or Qlik client secret.
    secrets = [APP_CLIENT_SECRET, us.client_secret, *emulator.backend.recorded_secrets]
    for name, (_typ, inputs) in mocks.registered.items():
        visible = json.dumps({k: v for k, v in inputs.items() if not _is_secret(v) and k != "__provider"})
        assert not [s for s in secrets if s in visible], f"a secret in plain text in the inputs of {name}"
