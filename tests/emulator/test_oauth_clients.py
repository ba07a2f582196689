"""OAuth clients made on a tenant (oauth-clients spec): secrets shown once, at most five, and a client's
``client_credentials`` token works on its own tenant's API and on no other tenant's."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_qlik.emulator import EmulatorControl

from .conftest import Qlik, assert_qlik_error
from .tenant_api import TenantApi

PATH = "/api/v1/oauth-clients"
BACKEND = {
    "appType": "web",
    "clientName": "Customer backend",
    "allowedGrantTypes": ["client_credentials"],
    "allowedScopes": ["user_default"],
}


@pytest.fixture
def api(qlik: Qlik, control: EmulatorControl) -> TenantApi:
    return TenantApi(qlik, control)


def _token(api: TenantApi, host: str, client_id: str, secret: str) -> Any:
    return api.qlik.token_response(host, client_id, secret)


def test_create__secret_shown_once_and_its_token_calls_the_tenant(api: TenantApi) -> None:
    created = api.ok("POST", PATH, 201, json=BACKEND)
    secret = created["clientSecret"]
    assert len(secret) == 64
    assert created["appType"] == "web"
    assert [s["hint"] for s in created["clientSecrets"]] == [created["clientSecrets"][0]["hint"]]
    read = api.ok("GET", f"{PATH}/{created['clientId']}")
    assert "clientSecret" not in read
    assert secret not in str(read)
    listed = api.ok("GET", PATH)
    assert [c["clientId"] for c in listed["data"]] == [created["clientId"]]
    assert secret not in str(listed)

    token = _token(api, api.host, created["clientId"], secret)
    assert token.status_code == 200, token.text
    me = api.me(token.json()["access_token"])
    assert me["name"] == "Customer backend"
    assert me["tenantId"] == api.id
    assert _token(api, api.host, created["clientId"], "x" * 64).status_code == 401


def test_a_client_of_one_tenant_gets_no_token_on_another(
    api: TenantApi, qlik: Qlik, control: EmulatorControl
) -> None:
    created = api.ok("POST", PATH, 201, json=BACKEND)
    other = TenantApi(qlik, control)
    refused = _token(api, other.host, created["clientId"], created["clientSecret"])
    assert_qlik_error(refused, 401, "OAUTH-5")
    # nor does its token from its own tenant call another tenant's API
    token = _token(api, api.host, created["clientId"], created["clientSecret"]).json()["access_token"]
    assert_qlik_error(other.call("GET", "/api/v1/spaces", token=token), 401, "OAUTH-5")


def test_publish__the_client_then_works_on_every_tenant_of_its_region(
    api: TenantApi, qlik: Qlik, control: EmulatorControl
) -> None:
    created = api.ok("POST", PATH, 201, json=BACKEND)
    published = api.ok("POST", f"{PATH}/{created['clientId']}/actions/publish", 201)
    assert published["publishedAt"]
    other = TenantApi(qlik, control)
    assert _token(api, other.host, created["clientId"], created["clientSecret"]).status_code == 200
    assert api.ok("GET", f"{PATH}/{created['clientId']}")["publishedAt"] == published["publishedAt"]


def test_secrets__rotate_without_downtime_limit_five_then_409(api: TenantApi) -> None:
    created = api.ok("POST", PATH, 201, json=BACKEND)
    cid, first = created["clientId"], created["clientSecret"]
    rotated = api.ok("POST", f"{PATH}/{cid}/client-secrets", 201)
    assert rotated["clientId"] == cid
    assert rotated["clientSecret"] != first
    # both work until the old one is deleted
    assert _token(api, api.host, cid, first).status_code == 200
    assert _token(api, api.host, cid, rotated["clientSecret"]).status_code == 200
    old_hint = created["clientSecrets"][0]["hint"]
    assert api.call("DELETE", f"{PATH}/{cid}/client-secrets/{old_hint}").status_code == 204
    assert_qlik_error(_token(api, api.host, cid, first), 401, "OAUTH-5")
    assert _token(api, api.host, cid, rotated["clientSecret"]).status_code == 200
    for _ in range(4):
        api.ok("POST", f"{PATH}/{cid}/client-secrets", 201)
    assert len(api.ok("GET", f"{PATH}/{cid}")["clientSecrets"]) == 5
    sixth = assert_qlik_error(api.call("POST", f"{PATH}/{cid}/client-secrets"), 409)
    assert "5" in sixth["title"]
    assert_qlik_error(api.call("DELETE", f"{PATH}/{cid}/client-secrets/zzzzz"), 404)


def test_create__bad_bodies_name_the_field(api: TenantApi) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"clientName": "x"}, "/appType"),
        ({"appType": "desktop", "clientName": "x"}, "/appType"),
        ({"appType": "web"}, "/clientName"),
        (
            {"appType": "spa", "clientName": "x", "allowedGrantTypes": ["client_credentials"]},
            "/allowedGrantTypes",
        ),
        ({"appType": "web", "clientName": "x", "allowedOrigins": ["https://a.example"]}, "/allowedOrigins"),
        ({"appType": "spa", "clientName": "x", "allowedOrigins": ["a.example"]}, "/allowedOrigins/0"),
        (
            {"appType": "web", "clientName": "x", "redirectUris": ["https://a.example/cb"] * 2},
            "/redirectUris",
        ),
        ({"appType": "web", "clientName": "x", "allowedGrantTypes": ["password"]}, "/allowedGrantTypes/0"),
    ]
    for body, pointer in cases:
        error = assert_qlik_error(api.call("POST", PATH, json=body), 400)
        assert error["source"]["pointer"] == pointer, (body, error)
    assert_qlik_error(api.call("POST", PATH, token=api.member_token, json=BACKEND), 403)
    assert api.ok("GET", PATH)["data"] == []


def test_spa_is_a_public_client_without_secret(api: TenantApi) -> None:
    spa = {
        "appType": "spa",
        "clientName": "Portal",
        "redirectUris": ["https://portal.example.com/callback"],
        "allowedOrigins": ["https://portal.example.com"],
        "allowedScopes": ["user_default"],
    }
    created = api.ok("POST", PATH, 201, json=spa)
    assert "clientSecret" not in created
    assert created["clientSecrets"] == []
    assert created["allowedOrigins"] == ["https://portal.example.com"]
    assert_qlik_error(api.call("POST", f"{PATH}/{created['clientId']}/client-secrets"), 400)


def test_patch_in_place_and_delete_needs_the_confirm_header(api: TenantApi) -> None:
    created = api.ok("POST", PATH, 201, json=BACKEND)
    cid = created["clientId"]
    ops = [
        {"op": "replace", "path": "/clientName", "value": "Backend (prod)"},
        {"op": "add", "path": "/allowedScopes", "value": "admin_classic"},
        {"op": "replace", "path": "/redirectUris", "value": ["https://app.example.com/cb"]},
    ]
    assert api.call("PATCH", f"{PATH}/{cid}", json=ops).status_code == 204
    patched = api.ok("GET", f"{PATH}/{cid}")
    assert patched["clientName"] == "Backend (prod)"
    assert patched["allowedScopes"] == ["user_default", "admin_classic"]
    assert patched["redirectUris"] == ["https://app.example.com/cb"]
    bad = [
        {"op": "replace", "path": "/clientName", "value": "y"},
        {"op": "replace", "path": "/appType", "value": "spa"},
    ]
    assert (
        assert_qlik_error(api.call("PATCH", f"{PATH}/{cid}", json=bad), 400)["source"]["pointer"] == "/1/path"
    )
    assert api.ok("GET", f"{PATH}/{cid}")["clientName"] == "Backend (prod)"

    token = _token(api, api.host, cid, created["clientSecret"]).json()["access_token"]
    assert_qlik_error(api.call("DELETE", f"{PATH}/{cid}"), 400)
    assert api.call("DELETE", f"{PATH}/{cid}", headers={"qlik-confirm-delete": cid}).status_code == 204
    assert_qlik_error(api.call("GET", f"{PATH}/{cid}"), 404)
    assert_qlik_error(api.call("GET", "/api/v1/spaces", token=token), 401)


def test_list__filter_sort_limit_total(api: TenantApi) -> None:
    for name in ("b", "a", "c"):
        api.ok("POST", PATH, 201, json={**BACKEND, "clientName": name})
    api.ok("POST", PATH, 201, json={"appType": "native", "clientName": "d"})
    names = [c["clientName"] for c in api.ok("GET", PATH, params={"sort": "+clientName"})["data"]]
    assert names == ["a", "b", "c", "d"]
    page = api.ok("GET", PATH, params={"limit": "2", "totalResults": "true"})
    assert len(page["data"]) == 2
    assert page["totalResults"] == 4
    assert "next" in page["links"]
    native = api.ok("GET", PATH, params={"filter": 'appType eq "native"'})["data"]
    assert [c["clientName"] for c in native] == ["d"]
    assert_qlik_error(api.call("GET", PATH, params={"filter": "clientName co x"}), 400)


def test_secrets_never_in_the_state_file_and_survive_a_restart(api: TenantApi, server: Any) -> None:
    created = api.ok("POST", PATH, 201, json=BACKEND)
    state = str(server.backend.oauth_clients.to_state())
    assert created["clientSecret"] not in state
    assert created["clientId"] in state
