"""JWT identity providers (identity-providers.json): create, get, list, patch (only /description), delete,
TenantAdmin only, bad bodies (400 naming the field), and two JWT IdPs side by side on one tenant."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_qlik.emulator import EmulatorControl
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair

from .conftest import Qlik, assert_qlik_error
from .tenant_api import TenantApi

PATH = "/api/v1/identity-providers"
PUBLIC_PEM = generate_rsa_key_pair()[1]


def jwt_idp(
    issuer: str = "portal.example", kid: str = "portal-2026", pem: str = PUBLIC_PEM, **body: Any
) -> dict[str, Any]:
    return {
        "provider": "external",
        "protocol": "jwtAuth",
        "interactive": False,
        "options": {"issuer": issuer, "staticKeys": [{"kid": kid, "pem": pem}]},
        **body,
    }


@pytest.fixture
def api(qlik: Qlik, control: EmulatorControl) -> TenantApi:
    return TenantApi(qlik, control)


def test_create_get_list__jwt_idp_shape(api: TenantApi) -> None:
    created = api.ok("POST", PATH, 201, json=jwt_idp(description="Customer portal", tenantIds=[api.id]))
    assert created["protocol"] == "jwtAuth"
    assert created["provider"] == "external"
    assert created["interactive"] is False
    assert created["active"] is True
    assert created["clockToleranceSec"] == 5
    assert created["tenantIds"] == [api.id]
    assert created["description"] == "Customer portal"
    assert created["options"] == {
        "issuer": "portal.example",
        "staticKeys": [{"kid": "portal-2026", "pem": PUBLIC_PEM}],
    }
    assert api.ok("GET", f"{PATH}/{created['id']}") == created
    assert [i["id"] for i in api.ok("GET", PATH)["data"]] == [created["id"]]
    assert api.ok("GET", PATH, params={"active": "false"})["data"] == []
    status = api.ok("GET", f"{PATH}/status")
    assert status == {
        "active_interactive_idps_count": 0,
        "idps_metadata": [{"provider": "external", "interactive": False, "active": True}],
    }


def test_create__single_line_pem_as_qlik_dev_sends_it(api: TenantApi) -> None:
    one_line = PUBLIC_PEM.replace("\n", "")
    created = api.ok("POST", PATH, 201, json=jwt_idp(pem=one_line, clockToleranceSec=30))
    assert created["options"]["staticKeys"][0]["pem"] == one_line
    assert created["clockToleranceSec"] == 30


def test_two_jwt_idps__coexist_on_one_tenant(api: TenantApi) -> None:
    first = api.ok("POST", PATH, 201, json=jwt_idp(kid="k1"))
    second = api.ok("POST", PATH, 201, json=jwt_idp(kid="k2"))
    same = api.ok("POST", PATH, 201, json=jwt_idp(kid="k2"))
    listed = [i["id"] for i in api.ok("GET", PATH)["data"]]
    assert listed == [first["id"], second["id"], same["id"]]


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        (jwt_idp(protocol="OIDC"), "/protocol"),
        (jwt_idp(provider="okta"), "/provider"),
        (jwt_idp(interactive=True), "/interactive"),
        ({"provider": "external", "protocol": "jwtAuth"}, "/options"),
        (jwt_idp(issuer=""), "/options/issuer"),
        ({**jwt_idp(), "options": {"issuer": "i", "staticKeys": []}}, "/options/staticKeys"),
        (
            {**jwt_idp(), "options": {"issuer": "i", "staticKeys": [{"kid": "a", "pem": PUBLIC_PEM}] * 2}},
            "/options/staticKeys",
        ),
        (jwt_idp(kid=""), "/options/staticKeys/0/kid"),
        (jwt_idp(pem="not a key"), "/options/staticKeys/0/pem"),
        (jwt_idp(pem=PUBLIC_PEM + "\n"), "/options/staticKeys/0/pem"),
        (jwt_idp(pem=PUBLIC_PEM.replace("\n", "\r\n")), "/options/staticKeys/0/pem"),
        (jwt_idp(clockToleranceSec=7201), "/clockToleranceSec"),
        (jwt_idp(clockToleranceSec="5"), "/clockToleranceSec"),
        (jwt_idp(description="x" * 129), "/description"),
    ],
)
def test_create__bad_bodies_400_naming_the_field(api: TenantApi, body: dict[str, Any], pointer: str) -> None:
    error = assert_qlik_error(api.call("POST", PATH, json=body), 400, "HTTP-400")
    assert error["source"] == {"pointer": pointer}
    assert api.ok("GET", PATH)["data"] == []


def test_create__tenant_ids_of_another_tenant_403(api: TenantApi) -> None:
    assert_qlik_error(api.call("POST", PATH, json=jwt_idp(tenantIds=["someone-else"])), 403, "HTTP-403")


def test_patch__only_description_all_or_nothing(api: TenantApi) -> None:
    idp = api.ok("POST", PATH, 201, json=jwt_idp(description="old"))
    path = f"{PATH}/{idp['id']}"
    assert (
        api.call("PATCH", path, json=[{"op": "replace", "path": "/description", "value": "new"}]).status_code
        == 204
    )
    assert api.ok("GET", path)["description"] == "new"
    details = []
    for bad in (
        [{"op": "replace", "path": "/options/issuer", "value": "other"}],
        [
            {"op": "replace", "path": "/description", "value": "x"},
            {"op": "replace", "path": "/clockToleranceSec", "value": 9},
        ],
        [{"op": "add", "path": "/description", "value": "x"}],
        [],
    ):
        details.append(assert_qlik_error(api.call("PATCH", path, json=bad), 400, "HTTP-400")["detail"])
    assert "takes only replace of /description" in details[0]
    assert api.ok("GET", path)["description"] == "new"


def test_delete__204_then_404(api: TenantApi) -> None:
    idp = api.ok("POST", PATH, 201, json=jwt_idp())
    assert api.call("DELETE", f"{PATH}/{idp['id']}").status_code == 204
    assert_qlik_error(api.call("GET", f"{PATH}/{idp['id']}"), 404, "HTTP-404")
    assert_qlik_error(api.call("DELETE", f"{PATH}/{idp['id']}"), 404, "HTTP-404")


def test_every_route__tenant_admin_only(api: TenantApi) -> None:
    idp = api.ok("POST", PATH, 201, json=jwt_idp())
    member = api.member_token
    for method, path, body in [
        ("GET", PATH, None),
        ("POST", PATH, jwt_idp()),
        ("GET", f"{PATH}/{idp['id']}", None),
        ("PATCH", f"{PATH}/{idp['id']}", [{"op": "replace", "path": "/description", "value": "x"}]),
        ("DELETE", f"{PATH}/{idp['id']}", None),
    ]:
        assert_qlik_error(api.call(method, path, token=member, json=body), 403, "HTTP-403")
