"""Web integrations (web-integrations.json): create, get, list, patch, delete, with the error codes the spec's
examples show (WEBINTEGRATIONS-4/-5/-6, _FORBIDDEN, _NOT_FOUND)."""

from __future__ import annotations

import pytest

from pulumi_qlik.emulator import EmulatorControl

from .conftest import Qlik, assert_qlik_error
from .tenant_api import TenantApi

PATH = "/api/v1/web-integrations"


@pytest.fixture
def api(qlik: Qlik, control: EmulatorControl) -> TenantApi:
    return TenantApi(qlik, control)


def test_create_get_list_patch_delete(api: TenantApi) -> None:
    created = api.ok(
        "POST", PATH, 201, json={"name": "Portal", "validOrigins": ["https://portal.example.com"]}
    )
    assert created["name"] == "Portal"
    assert created["validOrigins"] == ["https://portal.example.com"]
    assert created["tenantId"] == api.id
    assert created["createdBy"] == api.me()["id"]
    assert created["links"]["self"]["href"] == f"https://{api.host}{PATH}/{created['id']}"
    assert api.ok("GET", f"{PATH}/{created['id']}") == created
    api.ok("POST", PATH, 201, json={"name": "Another portal"})
    assert [w["name"] for w in api.ok("GET", PATH)["data"]] == ["Another portal", "Portal"]
    assert [w["name"] for w in api.ok("GET", PATH, params={"sort": "-name", "limit": "1"})["data"]] == [
        "Portal"
    ]

    ops = [
        {
            "op": "replace",
            "path": "/validOrigins",
            "value": ["https://portal.example.com", "http://localhost:3000"],
        },
        {"op": "replace", "path": "/name", "value": "Portal (prod)"},
    ]
    assert api.call("PATCH", f"{PATH}/{created['id']}", json=ops).status_code == 204
    patched = api.ok("GET", f"{PATH}/{created['id']}")
    assert patched["validOrigins"] == ["https://portal.example.com", "http://localhost:3000"]
    assert (patched["name"], patched["id"]) == ("Portal (prod)", created["id"])

    assert api.call("DELETE", f"{PATH}/{created['id']}").status_code == 204
    assert_qlik_error(api.call("GET", f"{PATH}/{created['id']}"), 404, "WEBINTEGRATIONS_NOT_FOUND")


def test_create__errors_as_the_spec_examples(api: TenantApi) -> None:
    missing = assert_qlik_error(api.call("POST", PATH, json={"validOrigins": []}), 400, "WEBINTEGRATIONS-5")
    assert missing["meta"] == {"requiredFields": ["name"]}
    for origins in (
        ["portal.example.com"],
        ["https://portal.example.com/app"],
        ["ftp://x.example"],
        "https://x",
    ):
        error = assert_qlik_error(
            api.call("POST", PATH, json={"name": "P", "validOrigins": origins}), 400, "WEBINTEGRATIONS-6"
        )
        assert error["source"]["pointer"].startswith("/validOrigins")
    bad_json = api.call("POST", PATH, content=b"{", headers={"content-type": "application/json"})
    assert assert_qlik_error(bad_json, 400, "BAD_REQUEST")["detail"] == "Error parsing request body"
    forbidden = api.call("POST", PATH, token=api.member_token, json={"name": "P"})
    assert_qlik_error(forbidden, 403, "WEBINTEGRATIONS_FORBIDDEN")
    assert api.ok("GET", PATH)["data"] == []


def test_patch__invalid_patch_all_or_nothing(api: TenantApi) -> None:
    created = api.ok("POST", PATH, 201, json={"name": "Portal"})
    path = f"{PATH}/{created['id']}"
    for ops, code in [
        ([{"op": "add", "path": "/name", "value": "x"}], "WEBINTEGRATIONS-4"),
        ([{"op": "replace", "path": "/id", "value": "x"}], "WEBINTEGRATIONS-4"),
        ([{"op": "replace", "path": "/name", "value": "x"}, {"op": "replace", "path": "/validOrigins", "value": ["x"]}],
         "WEBINTEGRATIONS-6"),
    ]:  # fmt: skip
        assert_qlik_error(api.call("PATCH", path, json=ops), 400, code)
    assert api.ok("GET", path)["name"] == "Portal"
