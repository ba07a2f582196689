"""The groups API and group settings on tenant hosts (groups.json): create, list, filter, get, patch, delete,
409 on a taken name, TenantAdmin-only writes, settings patch, and group roles counting for members."""

from __future__ import annotations

import pytest

from pulumi_qlik.emulator import EmulatorControl

from .conftest import Qlik, assert_qlik_error
from .tenant_api import TenantApi

EVERYONE = "000000000000000000000001"


@pytest.fixture
def api(qlik: Qlik, control: EmulatorControl) -> TenantApi:
    return TenantApi(qlik, control)


def test_create_get_list__group_shape_and_links(api: TenantApi) -> None:
    created = api.ok(
        "POST",
        "/api/v1/groups",
        201,
        json={
            "name": "Customers",
            "description": "all customer users",
            "assignedRoles": [{"name": "Developer"}],
        },
    )
    assert created["name"] == "Customers"
    assert created["status"] == "active"
    assert created["providerType"] == "idp"
    assert created["tenantId"] == api.id
    assert created["description"] == "all customer users"
    assert [r["name"] for r in created["assignedRoles"]] == ["Developer"]
    assert created["links"]["self"]["href"] == f"https://{api.host}/api/v1/groups/{created['id']}"
    assert api.ok("GET", f"/api/v1/groups/{created['id']}") == created

    api.ok("POST", "/api/v1/groups", 201, json={"name": "Analysts"})
    listed = api.ok("GET", "/api/v1/groups", params={"totalResults": "true"})
    assert [g["name"] for g in listed["data"]] == ["Analysts", "Customers"]
    assert listed["totalResults"] == 2
    first = api.ok("GET", "/api/v1/groups", params={"limit": "1"})
    assert [g["name"] for g in first["data"]] == ["Analysts"]
    second = api.qlik.http.get(
        first["links"]["next"]["href"].replace(f"https://{api.host}", ""),
        headers={"Host": api.host, "Authorization": f"Bearer {api.token}"},
    )
    assert [g["name"] for g in second.json()["data"]] == ["Customers"]

    found = api.ok("GET", "/api/v1/groups", params={"filter": 'name eq "customers"'})
    assert [g["id"] for g in found["data"]] == [created["id"]]
    by_action = api.ok("POST", "/api/v1/groups/actions/filter", json={"filter": f'id eq "{created["id"]}"'})
    assert [g["name"] for g in by_action["data"]] == ["Customers"]
    assert_qlik_error(api.call("GET", "/api/v1/groups", params={"filter": 'name co "x"'}), 400, "HTTP-400")


def test_create__names_unique_and_case_sensitive_409(api: TenantApi) -> None:
    api.ok("POST", "/api/v1/groups", 201, json={"name": "Customers"})
    error = assert_qlik_error(api.call("POST", "/api/v1/groups", json={"name": "Customers"}), 409, "HTTP-409")
    assert error["source"] == {"pointer": "/name"}
    assert "already exists" in error["detail"]
    api.ok("POST", "/api/v1/groups", 201, json={"name": "customers"})


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({}, "/name"),
        ({"name": ""}, "/name"),
        ({"name": "x" * 257}, "/name"),
        ({"name": "G", "status": "disabled"}, "/status"),
        ({"name": "G", "providerType": "ldap"}, "/providerType"),
        ({"name": "G", "assignedRoles": [{"name": "NoSuchRole"}]}, "/assignedRoles/0"),
    ],
)
def test_create__bad_bodies_400_with_pointer(api: TenantApi, body: dict[str, object], pointer: str) -> None:
    error = assert_qlik_error(api.call("POST", "/api/v1/groups", json=body), 400, "HTTP-400")
    assert error["source"] == {"pointer": pointer}


def test_patch__roles_name_description_in_place_all_or_nothing(api: TenantApi) -> None:
    group = api.ok("POST", "/api/v1/groups", 201, json={"name": "Customers"})
    path = f"/api/v1/groups/{group['id']}"
    ops = [
        {
            "op": "replace",
            "path": "/assignedRoles",
            "value": [{"name": "AnalyticsAdmin"}, {"name": "Developer"}],
        },
        {"op": "replace", "path": "description", "value": "renamed"},
        {"op": "replace", "path": "/name", "value": "All customers"},
    ]
    assert api.call("PATCH", path, json=ops).status_code == 204
    patched = api.ok("GET", path)
    assert [r["name"] for r in patched["assignedRoles"]] == ["AnalyticsAdmin", "Developer"]
    assert (patched["name"], patched["description"]) == ("All customers", "renamed")
    assert patched["id"] == group["id"]

    bad = [{"op": "replace", "path": "/name", "value": "x"}, {"op": "add", "path": "/name", "value": "y"}]
    assert_qlik_error(api.call("PATCH", path, json=bad), 400, "HTTP-400")
    assert api.ok("GET", path)["name"] == "All customers"
    api.ok("POST", "/api/v1/groups", 201, json={"name": "Other"})
    clash = [{"op": "replace", "path": "/name", "value": "Other"}]
    assert_qlik_error(api.call("PATCH", path, json=clash), 409, "HTTP-409")


def test_delete__204_then_404_groups_7(api: TenantApi) -> None:
    group = api.ok("POST", "/api/v1/groups", 201, json={"name": "Customers"})
    assert api.call("DELETE", f"/api/v1/groups/{group['id']}").status_code == 204
    assert_qlik_error(api.call("GET", f"/api/v1/groups/{group['id']}"), 404, "GROUPS-7")
    assert_qlik_error(api.call("DELETE", f"/api/v1/groups/{group['id']}"), 404, "GROUPS-7")


def test_writes__tenant_admin_only_403_reads_open(api: TenantApi) -> None:
    group = api.ok("POST", "/api/v1/groups", 201, json={"name": "Customers"})
    member = api.member_token
    path = f"/api/v1/groups/{group['id']}"
    for method, route, body in [
        ("POST", "/api/v1/groups", {"name": "X"}),
        ("PATCH", path, [{"op": "replace", "path": "/name", "value": "X"}]),
        ("DELETE", path, None),
        ("PATCH", "/api/v1/groups/settings", [{"op": "replace", "path": "/autoCreateGroups", "value": True}]),
    ]:
        assert_qlik_error(api.call(method, route, token=member, json=body), 403, "HTTP-403")
    assert api.ok("GET", path, token=member)["name"] == "Customers"


def test_settings__defaults_then_patch(api: TenantApi) -> None:
    settings = api.ok("GET", "/api/v1/groups/settings")
    assert settings["tenantId"] == api.id
    assert settings["autoCreateGroups"] is False
    assert settings["syncIdpGroups"] is False
    assert settings["systemGroups"][EVERYONE]["name"] == "com.qlik.Everyone"
    assert settings["systemGroups"][EVERYONE]["assignedRoles"] == []
    assert settings["links"]["self"]["href"] == f"https://{api.host}/api/v1/groups/settings"
    ops = [
        {"op": "replace", "path": "/autoCreateGroups", "value": True},
        {
            "op": "replace",
            "path": f"/systemGroups/{EVERYONE}/assignedRoles",
            "value": [{"name": "Developer"}],
        },
    ]
    assert api.call("PATCH", "/api/v1/groups/settings", json=ops).status_code == 204
    settings = api.ok("GET", "/api/v1/groups/settings")
    assert settings["autoCreateGroups"] is True
    assert [r["name"] for r in settings["systemGroups"][EVERYONE]["assignedRoles"]] == ["Developer"]
    for bad in (
        [{"op": "replace", "path": "/autoCreateGroups", "value": "yes"}],
        [{"op": "add", "path": "/autoCreateGroups", "value": True}],
        [{"op": "replace", "path": "/nope", "value": True}],
        [],
    ):
        assert_qlik_error(api.call("PATCH", "/api/v1/groups/settings", json=bad), 400, "HTTP-400")
    assert api.ok("GET", "/api/v1/groups/settings")["autoCreateGroups"] is True
    systems = api.ok("GET", "/api/v1/groups", params={"systemGroups": "true"})
    assert [g["id"] for g in systems["data"]] == [EVERYONE]
