"""Spaces and assignments (spaces.json): create, list, get, patch, put, delete, types, 409 on a taken name,
roles per space type, who sees which space, and 412 when a space still holds content."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.services.spaces.models import SpaceContent

from .conftest import Qlik, assert_qlik_error
from .tenant_api import TenantApi

SPACES = "/api/v1/spaces"


@pytest.fixture
def api(qlik: Qlik, control: EmulatorControl) -> TenantApi:
    return TenantApi(qlik, control)


def space(api: TenantApi, name: str, space_type: str = "shared", **body: Any) -> dict[str, Any]:
    created: dict[str, Any] = api.ok("POST", SPACES, 201, json={"name": name, "type": space_type, **body})
    return created


def group(api: TenantApi, name: str) -> dict[str, Any]:
    created: dict[str, Any] = api.ok("POST", "/api/v1/groups", 201, json={"name": name})
    return created


def test_create_get__space_shape_meta_links(api: TenantApi) -> None:
    me = api.me()
    created = space(api, "Analytics", "managed", description="for customers")
    assert created["type"] == "managed"
    assert created["name"] == "Analytics"
    assert created["description"] == "for customers"
    assert created["ownerId"] == me["id"]
    assert created["createdBy"] == me["id"]
    assert created["tenantId"] == api.id
    assert created["meta"]["assignableRoles"] == [
        "basicconsumer", "consumer", "contributor", "dataconsumer", "facilitator", "publisher",
    ]  # fmt: skip
    assert created["meta"]["roles"] == created["meta"]["assignableRoles"]  # the owner's
    assert "delete" in created["meta"]["actions"]
    href = f"https://{api.host}{SPACES}/{created['id']}"
    assert created["links"] == {"self": {"href": href}, "assignments": {"href": f"{href}/assignments"}}
    assert api.ok("GET", f"{SPACES}/{created['id']}") == created
    assert api.ok("GET", f"{SPACES}/types") == {"data": ["shared", "managed", "data"]}


def test_list__filters_sort_paging_count(api: TenantApi) -> None:
    for name, space_type in [
        ("Dev", "shared"),
        ("Analytics", "managed"),
        ("Finance dev", "shared"),
        ("Lake", "data"),
    ]:
        space(api, name, space_type)
    listed = api.ok("GET", SPACES)
    assert [s["name"] for s in listed["data"]] == ["Analytics", "Dev", "Finance dev", "Lake"]
    assert listed["meta"] == {"count": 4}
    shared = api.ok("GET", SPACES, params={"type": "shared", "name": "DEV", "sort": "-name"})
    assert [s["name"] for s in shared["data"]] == ["Finance dev", "Dev"]
    page = api.ok("GET", SPACES, params={"limit": "3"})
    assert [s["name"] for s in page["data"]] == ["Analytics", "Dev", "Finance dev"]
    rest = api.ok("GET", SPACES, params={"limit": "3", "next": page["data"][-1]["id"]})
    assert [s["name"] for s in rest["data"]] == ["Lake"]
    assert "next=" in page["links"]["next"]["href"]
    assert_qlik_error(api.call("GET", SPACES, params={"type": "personal"}), 400, "HTTP-400")


def test_create__names_unique_409_and_bad_bodies_400(api: TenantApi) -> None:
    first = space(api, "Dev")
    error = assert_qlik_error(
        api.call("POST", SPACES, json={"name": "Dev", "type": "managed"}), 409, "HTTP-409"
    )
    assert first["id"] in error["detail"]
    for body, pointer in [
        ({"type": "shared"}, "/name"),
        ({"name": "a/b", "type": "shared"}, "/name"),
        ({"name": "x" * 257, "type": "shared"}, "/name"),
        ({"name": "Ok", "type": "personal"}, "/type"),
        ({"name": "Ok", "type": "shared", "description": 3}, "/description"),
    ]:
        error = assert_qlik_error(api.call("POST", SPACES, json=body), 400, "HTTP-400")
        assert error["meta"]["source"] == {"pointer": pointer}


def test_patch_and_put__in_place(api: TenantApi) -> None:
    created = space(api, "Dev", description="old")
    path = f"{SPACES}/{created['id']}"
    ops = [
        {"op": "replace", "path": "/description", "value": "new"},
        {"op": "replace", "path": "/name", "value": "Dev 2"},
    ]
    patched = api.ok("PATCH", path, json=ops)
    assert (patched["name"], patched["description"], patched["id"]) == ("Dev 2", "new", created["id"])
    put = api.ok("PUT", path, json={"name": "Dev 3"})
    assert (put["name"], put["description"]) == ("Dev 3", "")
    space(api, "Other")
    assert_qlik_error(
        api.call("PATCH", path, json=[{"op": "replace", "path": "/name", "value": "Other"}]), 409
    )
    assert_qlik_error(
        api.call("PATCH", path, json=[{"op": "replace", "path": "/type", "value": "managed"}]), 400
    )
    two = [
        {"op": "replace", "path": "/description", "value": "fine"},
        {"op": "replace", "path": "/name", "value": "no/slash"},
    ]
    assert assert_qlik_error(api.call("PATCH", path, json=two), 400)["meta"]["source"] == {
        "pointer": "/1/value"
    }
    assert (api.ok("GET", path)["name"], api.ok("GET", path)["description"]) == ("Dev 3", "")


def test_assignments__roles_per_type_409_put_delete(api: TenantApi) -> None:
    analytics = space(api, "Analytics", "managed")
    customers = group(api, "Customers")
    path = f"{SPACES}/{analytics['id']}/assignments"
    body = {"type": "group", "assigneeId": customers["id"], "roles": ["consumer"]}
    created = api.ok("POST", path, 201, json=body)
    assert created["type"] == "group"
    assert created["assigneeId"] == customers["id"]
    assert created["roles"] == ["consumer"]
    assert created["spaceId"] == analytics["id"]
    assert created["links"]["space"]["href"].endswith(f"{SPACES}/{analytics['id']}")
    assert_qlik_error(api.call("POST", path, json=body), 409, "HTTP-409")
    listed = api.ok("GET", path)
    assert [a["id"] for a in listed["data"]] == [created["id"]]
    assert listed["meta"] == {"count": 1}
    assert api.ok("GET", path, params={"type": "user"})["data"] == []

    one = f"{path}/{created['id']}"
    updated = api.ok("PUT", one, json={"roles": ["consumer", "contributor"]})
    assert updated["roles"] == ["consumer", "contributor"]
    assert updated["id"] == created["id"]
    error = assert_qlik_error(api.call("PUT", one, json={"roles": ["producer"]}), 400, "HTTP-400")
    assert "cannot be assigned in a managed space" in error["detail"]
    assert error["meta"]["source"] == {"pointer": "/roles/0"}
    assert_qlik_error(api.call("PUT", one, json={"roles": []}), 400)
    assert api.ok("GET", one)["roles"] == ["consumer", "contributor"]
    assert api.call("DELETE", one).status_code == 204
    assert_qlik_error(api.call("GET", one), 404, "HTTP-404")


@pytest.mark.parametrize(
    ("space_type", "allowed", "refused"),
    [
        ("shared", "producer", "publisher"),
        ("managed", "publisher", "producer"),
        ("data", "operator", "contributor"),
    ],
)
def test_assignments__role_table_by_space_type(
    api: TenantApi, space_type: str, allowed: str, refused: str
) -> None:
    target = space(api, f"S-{space_type}", space_type)
    path = f"{SPACES}/{target['id']}/assignments"
    customers = group(api, "Customers")
    bad = {"type": "group", "assigneeId": customers["id"], "roles": [refused]}
    assert_qlik_error(api.call("POST", path, json=bad), 400, "HTTP-400")
    api.ok("POST", path, 201, json={**bad, "roles": [allowed]})


def test_assignments__unknown_assignee_400(api: TenantApi) -> None:
    target = space(api, "Dev")
    path = f"{SPACES}/{target['id']}/assignments"
    for body in (
        {"type": "group", "assigneeId": "nope", "roles": ["consumer"]},
        {"type": "user", "assigneeId": "nope", "roles": ["consumer"]},
        {"type": "robot", "assigneeId": "nope", "roles": ["consumer"]},
    ):
        assert_qlik_error(api.call("POST", path, json=body), 400, "HTTP-400")


def test_visibility__non_admin_sees_owned_and_assigned_only(api: TenantApi) -> None:
    member = api.member_token
    member_id = api.me(member)["id"]
    dev = space(api, "Dev")
    analytics = space(api, "Analytics", "managed")
    assert api.ok("GET", SPACES, token=member)["data"] == []
    assert_qlik_error(api.call("GET", f"{SPACES}/{dev['id']}", token=member), 404, "HTTP-404")

    api.ok("POST", f"{SPACES}/{analytics['id']}/assignments", 201,
           json={"type": "user", "assigneeId": member_id, "roles": ["consumer"]})  # fmt: skip
    seen = api.ok("GET", SPACES, token=member)["data"]
    assert [s["name"] for s in seen] == ["Analytics"]
    assert seen[0]["meta"]["roles"] == ["consumer"]
    assert seen[0]["meta"]["actions"] == ["read"]
    # Seeing is not managing: a consumer can neither change nor delete the space.
    ops = [{"op": "replace", "path": "/description", "value": "x"}]
    assert_qlik_error(
        api.call("PATCH", f"{SPACES}/{analytics['id']}", token=member, json=ops), 403, "HTTP-403"
    )
    assert_qlik_error(api.call("DELETE", f"{SPACES}/{analytics['id']}", token=member), 403, "HTTP-403")
    # Creating needs TenantAdmin or the type's creator role.
    assert_qlik_error(api.call("POST", SPACES, token=member, json={"name": "Mine", "type": "shared"}), 403)
    roles = [{"op": "replace", "path": "/assignedRoles", "value": [{"name": "SharedSpaceCreator"}]}]
    api.ok("PATCH", f"/api/v1/users/{member_id}", 204, json=roles)
    mine = api.ok("POST", SPACES, 201, token=member, json={"name": "Mine", "type": "shared"})
    assert mine["ownerId"] == member_id
    assert [s["name"] for s in api.ok("GET", SPACES, token=member)["data"]] == ["Analytics", "Mine"]


def test_deleting_assignee__drops_its_assignments(api: TenantApi) -> None:
    analytics = space(api, "Analytics", "managed")
    customers = group(api, "Customers")
    path = f"{SPACES}/{analytics['id']}/assignments"
    api.ok("POST", path, 201, json={"type": "group", "assigneeId": customers["id"], "roles": ["consumer"]})
    assert api.call("DELETE", f"/api/v1/groups/{customers['id']}").status_code == 204
    assert api.ok("GET", path)["data"] == []


def test_delete__empty_204_with_content_412_naming_it(server: EmulatorServer, api: TenantApi) -> None:
    empty = space(api, "Empty")
    assert api.call("DELETE", f"{SPACES}/{empty['id']}").status_code == 204
    assert_qlik_error(api.call("GET", f"{SPACES}/{empty['id']}"), 404)

    full = space(api, "Full", "managed")
    app = SpaceContent("app", "app-1", "Sales")

    def content(tenant_id: str, space_id: str) -> list[SpaceContent]:
        return [app] if (tenant_id, space_id) == (api.id, full["id"]) else []

    server.backend.spaces.add_content_source(content)  # as the apps service registers itself
    try:
        error = assert_qlik_error(api.call("DELETE", f"{SPACES}/{full['id']}"), 412, "HTTP-412")
        assert "app 'Sales' (app-1)" in error["detail"]
        assert error["meta"] == {"content": [{"resourceType": "app", "id": "app-1", "name": "Sales"}]}
        assert api.ok("GET", f"{SPACES}/{full['id']}")["name"] == "Full"
    finally:
        server.backend.spaces.remove_content_source(content)
    assert api.call("DELETE", f"{SPACES}/{full['id']}").status_code == 204
