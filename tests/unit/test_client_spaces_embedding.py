"""The Spaces, Web Integrations and CSP Origins calls: what each sends, what it returns, how errors map."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import TARGET, TENANT_ID, FakeQlik, error_body
from pydantic import ValidationError

from pulumi_qlik.client import ConflictError, NotFoundError, PreconditionFailedError, QlikClient
from pulumi_qlik.client.models import (
    CreateSpaceAssignmentRequest,
    CreateSpaceRequest,
    CreateWebIntegrationRequest,
    CspOriginRequest,
    SpacePatchOperation,
    WebIntegrationPatchOperation,
)

SPACE_ID = "62716f4b39b865ece543cd45"
ASSIGNMENT_ID = "6271a0ee9f6c8e1a28d2c6f1"
GROUP_ID = "6271a0ee9f6c8e1a28d2c000"


def space_json(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": SPACE_ID,
        "name": "Analytics",
        "type": "managed",
        "description": "Customer dashboards",
        "ownerId": "owner-1",
        "tenantId": TENANT_ID,
        "createdAt": "2026-01-01T00:00:00Z",
        "meta": {"roles": [], "actions": ["read"], "assignableRoles": ["consumer", "contributor"]},
        "links": {"self": {"href": "x"}, "assignments": {"href": "y"}},
        "someFutureField": 1,
    }
    body.update(overrides)
    return body


def assignment_json(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": ASSIGNMENT_ID,
        "type": "group",
        "assigneeId": GROUP_ID,
        "roles": ["consumer"],
        "spaceId": SPACE_ID,
        "tenantId": TENANT_ID,
        "links": {"self": {"href": "x"}},
    }
    body.update(overrides)
    return body


def test_create_space__sends_space_create_and_parses_the_space(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("POST", TARGET, "/api/v1/spaces", httpx.Response(201, json=space_json()))
    space = client.create_space(TARGET, CreateSpaceRequest(name="Analytics", type="managed"))
    assert (space.id, space.type, space.owner_id) == (SPACE_ID, "managed", "owner-1")
    assert space.meta is not None
    assert space.meta.assignable_roles == ["consumer", "contributor"]
    assert json.loads(fake.calls("POST", "/api/v1/spaces")[0].content) == {
        "name": "Analytics",
        "type": "managed",
    }


def test_create_space__409_is_a_conflict_error_with_qliks_code(fake: FakeQlik, client: QlikClient) -> None:
    fake.on(
        "POST",
        TARGET,
        "/api/v1/spaces",
        httpx.Response(409, json=error_body(409, "SPACES-409", "Space already exists", trace="t-9")),
    )
    with pytest.raises(ConflictError) as raised:
        client.create_space(TARGET, CreateSpaceRequest(name="Analytics", type="shared"))
    assert raised.value.code == "SPACES-409"
    assert "t-9" in str(raised.value)


def test_create_space__request_refuses_an_unknown_type() -> None:
    with pytest.raises(ValidationError):
        CreateSpaceRequest(name="x", type="personal")  # type: ignore[arg-type]


def test_find_spaces__follows_next_links_and_keeps_exact_names_only(
    fake: FakeQlik, client: QlikClient
) -> None:
    first = {
        "data": [space_json(id="a", name="Analytics"), space_json(id="b", name="Analytics (old)")],
        "links": {
            "self": {"href": "s"},
            "next": {"href": f"https://{TARGET}/api/v1/spaces?next=c2&limit=100"},
        },
    }
    second = {"data": [space_json(id="c", name="analytics")], "links": {"self": {"href": "s"}}}
    fake.on(
        "GET", TARGET, "/api/v1/spaces", httpx.Response(200, json=first), httpx.Response(200, json=second)
    )
    assert [s.id for s in client.find_spaces(TARGET, name="Analytics")] == ["a", "c"]
    [page1, page2] = fake.calls("GET", "/api/v1/spaces")
    assert page1.url.params["name"] == "Analytics"
    assert page2.url.params["next"] == "c2"


def test_patch_space__json_patch_of_strings(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("PATCH", TARGET, f"/api/v1/spaces/{SPACE_ID}", httpx.Response(200, json=space_json(name="BI")))
    space = client.patch_space(
        TARGET,
        SPACE_ID,
        [SpacePatchOperation(path="/name", value="BI"), SpacePatchOperation(path="/description", value="")],
    )
    assert space is not None
    assert space.name == "BI"
    assert json.loads(fake.calls("PATCH")[0].content) == [
        {"op": "replace", "path": "/name", "value": "BI"},
        {"op": "replace", "path": "/description", "value": ""},
    ]
    assert client.patch_space(TARGET, SPACE_ID, []) is None
    assert len(fake.calls("PATCH")) == 1


def test_delete_space__412_is_a_precondition_error(fake: FakeQlik, client: QlikClient) -> None:
    fake.on(
        "DELETE",
        TARGET,
        f"/api/v1/spaces/{SPACE_ID}",
        httpx.Response(412, json=error_body(412, "SPACES-412", "Space is not empty")),
    )
    with pytest.raises(PreconditionFailedError):
        client.delete_space(TARGET, SPACE_ID)


def test_space_ids_are_one_path_segment(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", TARGET, "/api/v1/spaces/../users", httpx.Response(404, json=error_body(404, "N", "no")))
    with pytest.raises(NotFoundError):
        client.get_space(TARGET, "../users")
    assert fake.calls("GET")[0].url.raw_path == b"/api/v1/spaces/..%2Fusers"


def test_assignments__create_list_put_delete(fake: FakeQlik, client: QlikClient) -> None:
    base = f"/api/v1/spaces/{SPACE_ID}/assignments"
    fake.on("POST", TARGET, base, httpx.Response(201, json=assignment_json()))
    fake.on("GET", TARGET, base, httpx.Response(200, json={"data": [assignment_json()], "links": {}}))
    fake.on(
        "PUT",
        TARGET,
        f"{base}/{ASSIGNMENT_ID}",
        httpx.Response(200, json=assignment_json(roles=["consumer", "contributor"])),
    )
    fake.on("DELETE", TARGET, f"{base}/{ASSIGNMENT_ID}", httpx.Response(204))

    request = CreateSpaceAssignmentRequest(type="group", assignee_id=GROUP_ID, roles=["consumer"])
    created = client.create_space_assignment(TARGET, SPACE_ID, request)
    assert (created.id, created.assignee_id, created.roles) == (ASSIGNMENT_ID, GROUP_ID, ["consumer"])
    assert json.loads(fake.calls("POST", base)[0].content) == {
        "type": "group",
        "assigneeId": GROUP_ID,
        "roles": ["consumer"],
    }
    [listed] = client.list_space_assignments(TARGET, SPACE_ID, assignee_id=GROUP_ID)
    assert listed.id == ASSIGNMENT_ID
    assert fake.calls("GET", base)[0].url.params["assigneeId"] == GROUP_ID
    updated = client.update_space_assignment(TARGET, SPACE_ID, ASSIGNMENT_ID, ["consumer", "contributor"])
    assert updated.roles == ["consumer", "contributor"]
    assert json.loads(fake.calls("PUT")[0].content) == {"roles": ["consumer", "contributor"]}
    client.delete_space_assignment(TARGET, SPACE_ID, ASSIGNMENT_ID)
    assert len(fake.calls("DELETE")) == 1


# --- web integrations ---------------------------------------------------------------------------------


def web_integration_json(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "wi-1",
        "name": "Portal",
        "validOrigins": ["https://portal.example.com"],
        "tenantId": TENANT_ID,
        "created": "2026-01-01T00:00:00Z",
    }
    body.update(overrides)
    return body


def test_web_integrations__create_get_patch_list_delete(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("POST", TARGET, "/api/v1/web-integrations", httpx.Response(201, json=web_integration_json()))
    fake.on("GET", TARGET, "/api/v1/web-integrations/wi-1", httpx.Response(200, json=web_integration_json()))
    fake.on("PATCH", TARGET, "/api/v1/web-integrations/wi-1", httpx.Response(204))
    fake.on(
        "GET",
        TARGET,
        "/api/v1/web-integrations",
        httpx.Response(200, json={"data": [web_integration_json()], "links": {"self": {"href": "s"}}}),
    )
    fake.on("DELETE", TARGET, "/api/v1/web-integrations/wi-1", httpx.Response(204))

    request = CreateWebIntegrationRequest(name="Portal", valid_origins=["https://portal.example.com"])
    created = client.create_web_integration(TARGET, request)
    assert (created.id, created.valid_origins) == ("wi-1", ["https://portal.example.com"])
    assert json.loads(fake.calls("POST", "/api/v1/web-integrations")[0].content) == {
        "name": "Portal",
        "validOrigins": ["https://portal.example.com"],
    }
    assert client.get_web_integration(TARGET, "wi-1").name == "Portal"
    client.patch_web_integration(
        TARGET, "wi-1", [WebIntegrationPatchOperation(path="/validOrigins", value=["https://a.example"])]
    )
    assert json.loads(fake.calls("PATCH")[0].content) == [
        {"op": "replace", "path": "/validOrigins", "value": ["https://a.example"]}
    ]
    assert [w.id for w in client.list_web_integrations(TARGET)] == ["wi-1"]
    client.delete_web_integration(TARGET, "wi-1")
    assert len(fake.calls("DELETE")) == 1


def test_web_integration_patch__value_type_must_match_path() -> None:
    with pytest.raises(ValidationError, match="/validOrigins takes a list"):
        WebIntegrationPatchOperation(path="/validOrigins", value="https://a.example")


# --- CSP origins ----------------------------------------------------------------------------------------


def test_csp_origins__create_sends_qliks_directive_names(fake: FakeQlik, client: QlikClient) -> None:
    answer = {
        "id": "csp-1",
        "origin": "portal.example.com",
        "name": "Portal",
        "frameAncestors": True,
        "connectSrcWSS": True,
    }
    fake.on("POST", TARGET, "/api/v1/csp-origins", httpx.Response(201, json=answer))
    request = CspOriginRequest(
        origin="portal.example.com", name="Portal", frame_ancestors=True, connect_src_wss=True
    )
    created = client.create_csp_origin(TARGET, request)
    sent = json.loads(fake.calls("POST", "/api/v1/csp-origins")[0].content)
    assert (sent["frameAncestors"], sent["connectSrcWSS"], sent["imgSrc"]) == (True, True, False)
    assert "connectSrcWss" not in sent
    assert created.directives()["connect_src_wss"] is True
    assert created.directives()["frame_ancestors"] is True
    assert created.directives()["script_src"] is False


def test_csp_origins__find_update_delete(fake: FakeQlik, client: QlikClient) -> None:
    page = {
        "data": [
            {"id": "csp-1", "origin": "Portal.example.com"},
            {"id": "csp-2", "origin": "x.portal.example.com"},
        ]
    }
    fake.on("GET", TARGET, "/api/v1/csp-origins", httpx.Response(200, json=page))
    fake.on(
        "PUT", TARGET, "/api/v1/csp-origins/csp-1", httpx.Response(200, json={"id": "csp-1", "origin": "a"})
    )
    fake.on("DELETE", TARGET, "/api/v1/csp-origins/csp-1", httpx.Response(204))
    assert [e.id for e in client.find_csp_origins(TARGET, origin="portal.example.com")] == ["csp-1"]
    client.update_csp_origin(TARGET, "csp-1", CspOriginRequest(origin="a", img_src=True))
    assert json.loads(fake.calls("PUT")[0].content)["imgSrc"] is True
    client.delete_csp_origin(TARGET, "csp-1")
    assert len(fake.calls("DELETE")) == 1
