"""Unit tests of `infra.py` with Pulumi's mocks: no Qlik, no emulator, no network (`python -m pytest`).

`Mocks.new_resource` stands in for the engine and the providers; `Mocks.call` answers the package's functions:
under mocks, `get_entitlement_key_output` asks it for the token `qlik:index:getEntitlementKey` instead of
calling Qlik.
"""

from typing import Any

import pulumi

TENANT = "pulumi-python:dynamic/qlik:Tenant"
TEST_KEY = "header.payload.signature"  # any string: the mocks never send it anywhere


class QlikMocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        outputs = dict(args.inputs)
        if args.typ == TENANT:
            outputs["hostname"] = f"{args.name}0000000000.us.qlikcloud.com"  # what Qlik would generate
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        self.calls.append((args.token, dict(args.args)))
        if args.token == "qlik:index:getEntitlementKey":
            return {"licenseKey": TEST_KEY}
        raise NotImplementedError(f"no mock for {args.token}")


mocks = QlikMocks()
pulumi.runtime.set_mocks(mocks, project="qlik-unit-testing", stack="test", preview=False)
pulumi.runtime.set_all_config(
    {
        "qlik-unit-testing:sourceTenant": "source0000000000.us.qlikcloud.com",
        "qlik-unit-testing:customers": '["acme", "globex"]',
        "qlik-unit-testing:adminDomain": "example.com",
    }
)

import infra  # noqa: E402 - declared once the mocks are in place


@pulumi.runtime.test
def test_the_key_is_read_once_from_the_source_tenant() -> pulumi.Output[None]:
    def check(_: Any) -> None:
        assert mocks.calls == [
            ("qlik:index:getEntitlementKey", {"sourceTenant": "source0000000000.us.qlikcloud.com"})
        ]

    return infra.key.apply(check)


@pulumi.runtime.test
def test_every_tenant_gets_the_key_and_an_alias() -> pulumi.Output[None]:
    def check(values: list[Any]) -> None:
        acme_key, acme_alias, globex_key = values
        assert acme_key == TEST_KEY
        assert acme_alias == "acme"
        assert globex_key == TEST_KEY

    return pulumi.Output.all(
        infra.tenants["acme"].license_key,
        infra.tenants["acme"].alias_hostname,
        infra.tenants["globex"].license_key,
    ).apply(check)


@pulumi.runtime.test
def test_each_admin_is_invited_to_its_own_tenant() -> pulumi.Output[None]:
    def check(values: list[Any]) -> None:
        hostname, admin_host, email = values
        assert admin_host == hostname
        assert email == "it@acme.example.com"

    admin = infra.admins["acme"]
    return pulumi.Output.all(infra.tenants["acme"].hostname, admin.tenant_hostname, admin.email).apply(check)
