"""The space, assignment, web integration and CSP origin providers against scripted Qlik answers: adoption and
its refusals, the non-empty space's delete, roles checked before anything is sent, tenants deactivated or gone."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from conftest import REGISTER, TARGET, TENANT_ID, FakeQlik, error_body, tenant_json

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.config import load_settings
from pulumi_qlik.engine.tenant_child import AlreadyExistsError, TenantChildProvider, TenantDeactivatedError
from pulumi_qlik.resources.csp_origin import QlikCspOriginProvider
from pulumi_qlik.resources.space import QlikSpaceProvider
from pulumi_qlik.resources.space_assignment import QlikSpaceAssignmentProvider
from pulumi_qlik.resources.web_integration import QlikWebIntegrationProvider

SPACE_ID = "62716f4b39b865ece543cd45"
GROUP_ID = "6271a0ee9f6c8e1a28d2c000"


@pytest.fixture
def wire(client: QlikClient, monkeypatch: pytest.MonkeyPatch) -> Callable[[type[TenantChildProvider]], Any]:
    """A provider of the given class whose every tenant is reached through the scripted client."""

    def make(cls: type[TenantChildProvider]) -> Any:
        provider = cls()
        provider._settings = load_settings({"qlik:region": "us"}, environ={})
        monkeypatch.setattr(provider, "client_on", lambda _host: client)
        return provider

    return make


def _checked(provider: Any, **inputs: Any) -> dict[str, Any]:
    result = provider.check({}, {"tenant_hostname": TARGET, **inputs})
    assert result.failures == []
    return dict(result.inputs)


def space_json(**overrides: Any) -> dict[str, Any]:
    body = {
        "id": SPACE_ID,
        "name": "Analytics",
        "type": "managed",
        "ownerId": "bot-1",
        "tenantId": TENANT_ID,
        "meta": {
            "roles": [],
            "actions": [],
            "assignableRoles": [
                "basicconsumer",
                "consumer",
                "contributor",
                "dataconsumer",
                "facilitator",
                "publisher",
            ],
        },
    }
    return {**body, **overrides}


CONFLICT = httpx.Response(409, json=error_body(409, "SPACES-409", "Conflict"))


# --- QlikSpace --------------------------------------------------------------------------------------------


def test_space_create__looks_by_name_first_then_outputs_space_owner_and_tenant(
    fake: FakeQlik, wire: Any
) -> None:
    fake.on("GET", TARGET, "/api/v1/spaces", httpx.Response(200, json={"data": []}))
    fake.on("POST", TARGET, "/api/v1/spaces", httpx.Response(201, json=space_json(description="BI")))
    provider = wire(QlikSpaceProvider)
    result = provider.create(_checked(provider, name="Analytics", type="managed", description="BI"))
    # Exactly once: the look by name comes before the create (an answer lost later is then found as ours).
    assert [(r.method, r.url.path) for r in fake.calls(host=TARGET) if r.url.path != "/oauth/token"] == [
        ("GET", "/api/v1/spaces"),
        ("POST", "/api/v1/spaces"),
    ]
    assert fake.calls("GET", "/api/v1/spaces")[0].url.params["name"] == "Analytics"
    assert result.id == SPACE_ID
    assert (result.outs["space_id"], result.outs["owner_id"], result.outs["tenant_id"]) == (
        SPACE_ID,
        "bot-1",
        TENANT_ID,
    )
    assert json.loads(fake.calls("POST", "/api/v1/spaces")[0].content) == {
        "name": "Analytics",
        "type": "managed",
        "description": "BI",
    }


def test_space_create__an_existing_space_without_adopt_names_the_space_its_id_and_the_fix__nothing_sent(
    fake: FakeQlik, wire: Any
) -> None:
    fake.on("GET", TARGET, "/api/v1/spaces", httpx.Response(200, json={"data": [space_json()]}))
    provider = wire(QlikSpaceProvider)
    with pytest.raises(AlreadyExistsError) as raised:
        provider.create(_checked(provider, name="Analytics", type="managed"))
    assert "space 'Analytics' already exists" in str(raised.value)
    assert SPACE_ID in str(raised.value)
    assert "adopt_existing=True" in str(raised.value)
    assert fake.calls("POST", "/api/v1/spaces") == []  # found by the look before the create


def test_space_create__409_from_a_space_made_between_look_and_create_is_refused_without_adopt(
    fake: FakeQlik, wire: Any
) -> None:
    fake.on(
        "GET",
        TARGET,
        "/api/v1/spaces",
        httpx.Response(200, json={"data": []}),
        httpx.Response(200, json={"data": [space_json()]}),
    )
    fake.on("POST", TARGET, "/api/v1/spaces", CONFLICT)
    provider = wire(QlikSpaceProvider)
    with pytest.raises(AlreadyExistsError, match=rf"space 'Analytics' already exists .*'{SPACE_ID}'"):
        provider.create(_checked(provider, name="Analytics", type="managed"))
    assert len(fake.calls("POST", "/api/v1/spaces")) == 1  # never sent again


def test_space_create__an_existing_space_with_adopt_is_taken_over_and_its_description_patched(
    fake: FakeQlik, wire: Any
) -> None:
    fake.on(
        "GET", TARGET, "/api/v1/spaces", httpx.Response(200, json={"data": [space_json(description="old")]})
    )
    fake.on(
        "PATCH", TARGET, f"/api/v1/spaces/{SPACE_ID}", httpx.Response(200, json=space_json(description="new"))
    )
    fake.on(
        "GET", TARGET, f"/api/v1/spaces/{SPACE_ID}", httpx.Response(200, json=space_json(description="new"))
    )
    provider = wire(QlikSpaceProvider)
    inputs = _checked(provider, name="Analytics", type="managed", description="new", adopt_existing=True)
    result = provider.create(inputs)
    assert (result.id, result.outs["description"]) == (SPACE_ID, "new")
    assert json.loads(fake.calls("PATCH")[0].content) == [
        {"op": "replace", "path": "/description", "value": "new"}
    ]
    assert fake.calls("POST", "/api/v1/spaces") == []


def test_space_create__adopting_a_space_of_another_type_is_refused(fake: FakeQlik, wire: Any) -> None:
    fake.on("GET", TARGET, "/api/v1/spaces", httpx.Response(200, json={"data": [space_json(type="shared")]}))
    provider = wire(QlikSpaceProvider)
    with pytest.raises(QlikError, match="as a shared space, not managed: set `type='shared'`"):
        provider.create(_checked(provider, name="Analytics", type="managed", adopt_existing=True))


def test_space_delete__412_says_what_is_in_it_and_how_to_go_on(fake: FakeQlik, wire: Any) -> None:
    fake.on(
        "DELETE",
        TARGET,
        f"/api/v1/spaces/{SPACE_ID}",
        httpx.Response(412, json=error_body(412, "SPACES-412", "Precondition failed")),
    )
    items = [{"id": f"i{n}", "name": f"App {n}", "resourceType": "app"} for n in range(12)]
    fake.on("GET", TARGET, "/api/v1/items", httpx.Response(200, json={"data": items}))
    provider = wire(QlikSpaceProvider)
    state = {**_checked(provider, name="Analytics", type="managed"), "tenant_id": TENANT_ID}
    with pytest.raises(QlikError) as raised:
        provider.delete(SPACE_ID, state)
    message = str(raised.value)
    assert "space 'Analytics'" in message
    assert "app 'App 0'" in message
    assert "app 'App 9'" in message
    assert "and more" in message
    assert "Nothing was deleted and the space stays in the stack" in message
    assert "pulumi state delete" in message
    assert fake.calls("GET", "/api/v1/items")[0].url.params["spaceId"] == SPACE_ID


def test_space_delete__a_gone_tenant_took_the_space(fake: FakeQlik, wire: Any) -> None:
    fake.on(
        "DELETE",
        TARGET,
        f"/api/v1/spaces/{SPACE_ID}",
        httpx.Response(401, json=error_body(401, "LOGIN-2", "Unknown")),
    )
    fake.on(
        "GET",
        REGISTER,
        f"/api/v1/tenants/{TENANT_ID}",
        httpx.Response(404, json=error_body(404, "TENANTS-8", "Not found")),
    )
    provider = wire(QlikSpaceProvider)
    provider.delete(
        SPACE_ID, {**_checked(provider, name="Analytics", type="managed"), "tenant_id": TENANT_ID}
    )
    assert len(fake.calls("GET", f"/api/v1/tenants/{TENANT_ID}")) == 1


def test_space_delete__a_register_host_404_without_tenants_8_is_no_proof_the_tenant_is_gone(
    fake: FakeQlik, wire: Any
) -> None:
    # A register host that does not serve the route (a misrouted endpoint, a proxy) answers a plain 404.
    fake.on(
        "DELETE",
        TARGET,
        f"/api/v1/spaces/{SPACE_ID}",
        httpx.Response(401, json=error_body(401, "LOGIN-2", "Unknown")),
    )
    fake.on(
        "GET",
        REGISTER,
        f"/api/v1/tenants/{TENANT_ID}",
        httpx.Response(404, json=error_body(404, "HTTP-404", "Not found")),
    )
    provider = wire(QlikSpaceProvider)
    with pytest.raises(QlikError, match="LOGIN-2"):
        provider.delete(
            SPACE_ID, {**_checked(provider, name="Analytics", type="managed"), "tenant_id": TENANT_ID}
        )
    assert len(fake.calls("GET", f"/api/v1/tenants/{TENANT_ID}")) == 1


def test_space_delete__a_deactivated_tenant_keeps_it_and_the_delete_is_refused(
    fake: FakeQlik, wire: Any
) -> None:
    # No published code marks a deactivated tenant's refusal: the tenant's host refuses with a plain 403, and
    # the deactivation is recognised by the tenant's status at its register host.
    refused = httpx.Response(403, json=error_body(403, "HTTP-403", "Forbidden"))
    fake.on("DELETE", TARGET, f"/api/v1/spaces/{SPACE_ID}", refused)
    disabled = httpx.Response(200, json=tenant_json(status="disabled"))
    fake.on("GET", REGISTER, f"/api/v1/tenants/{TENANT_ID}", disabled)
    provider = wire(QlikSpaceProvider)
    with pytest.raises(TenantDeactivatedError, match=r"space 'Analytics'.*deactivated.*Nothing was deleted"):
        provider.delete(
            SPACE_ID, {**_checked(provider, name="Analytics", type="managed"), "tenant_id": TENANT_ID}
        )
    assert len(fake.calls("DELETE")) == 1
    assert len(fake.calls("GET", f"/api/v1/tenants/{TENANT_ID}")) == 1


# --- QlikSpaceAssignment ----------------------------------------------------------------------------------


def _assignment_inputs(provider: Any, **overrides: Any) -> dict[str, Any]:
    inputs = {"space_id": SPACE_ID, "assignee_type": "group", "assignee_id": GROUP_ID, "roles": ["consumer"]}
    return _checked(provider, **{**inputs, **overrides})


def test_assignment_check__without_space_type_reads_a_known_space_at_preview(
    fake: FakeQlik, wire: Any
) -> None:
    fake.on("GET", TARGET, f"/api/v1/spaces/{SPACE_ID}", httpx.Response(200, json=space_json(type="shared")))
    provider = wire(QlikSpaceAssignmentProvider)
    news = {
        "tenant_hostname": TARGET,
        "space_id": SPACE_ID,
        "assignee_type": "group",
        "assignee_id": GROUP_ID,
        "roles": ["publisher"],
    }
    [failure] = provider.check({}, news).failures
    assert failure.property == "roles"
    assert "publisher cannot be assigned in a shared space (space 'Analytics' is shared)" in failure.reason
    # Roles and space unchanged from the state: no read on every preview.
    fake.requests.clear()
    state = {**news, "roles": ["publisher"]}
    assert provider.check(state, news).failures == []
    assert fake.calls("GET") == []


def test_assignment_create__roles_the_space_does_not_take_fail_before_anything_is_sent(
    fake: FakeQlik, wire: Any
) -> None:
    fake.on(
        "GET",
        TARGET,
        f"/api/v1/spaces/{SPACE_ID}",
        default=httpx.Response(
            200, json=space_json(type="data", meta={"assignableRoles": ["consumer", "operator"]})
        ),
    )
    fake.on("GET", TARGET, f"/api/v1/spaces/{SPACE_ID}/assignments", httpx.Response(200, json={"data": []}))
    provider = wire(QlikSpaceAssignmentProvider)
    inputs = {**_assignment_inputs(provider, space_type=None), "roles": ["codeveloper"]}
    with pytest.raises(QlikError, match="codeveloper cannot be assigned in a data space"):
        provider.create(inputs)
    assert fake.calls("POST", f"/api/v1/spaces/{SPACE_ID}/assignments") == []
    assert fake.calls("PUT") == []


def test_assignment_create__space_type_that_is_not_the_spaces_is_refused(fake: FakeQlik, wire: Any) -> None:
    fake.on("GET", TARGET, f"/api/v1/spaces/{SPACE_ID}", httpx.Response(200, json=space_json(type="shared")))
    fake.on("GET", TARGET, f"/api/v1/spaces/{SPACE_ID}/assignments", httpx.Response(200, json={"data": []}))
    provider = wire(QlikSpaceAssignmentProvider)
    with pytest.raises(QlikError, match=r"space_type: space 'Analytics' .* is a shared space, not managed"):
        provider.create(_assignment_inputs(provider, space_type="managed"))
    assert fake.calls("POST", f"/api/v1/spaces/{SPACE_ID}/assignments") == []


def test_assignment_create__an_existing_assignment_with_adopt_gets_the_full_role_list_put(
    fake: FakeQlik, wire: Any
) -> None:
    base = f"/api/v1/spaces/{SPACE_ID}/assignments"
    existing = {
        "id": "as-1",
        "type": "group",
        "assigneeId": GROUP_ID,
        "roles": ["consumer"],
        "spaceId": SPACE_ID,
        "tenantId": TENANT_ID,
    }
    fake.on("GET", TARGET, f"/api/v1/spaces/{SPACE_ID}", httpx.Response(200, json=space_json()))
    fake.on("POST", TARGET, base, CONFLICT)
    fake.on("GET", TARGET, base, httpx.Response(200, json={"data": [existing]}))
    fake.on(
        "PUT",
        TARGET,
        f"{base}/as-1",
        httpx.Response(200, json={**existing, "roles": ["consumer", "publisher"]}),
    )
    provider = wire(QlikSpaceAssignmentProvider)
    result = provider.create(
        _assignment_inputs(
            provider, space_type="managed", roles=["publisher", "consumer"], adopt_existing=True
        )
    )
    assert (result.id, result.outs["roles"], result.outs["tenant_id"]) == (
        "as-1",
        ["consumer", "publisher"],
        TENANT_ID,
    )
    assert json.loads(fake.calls("PUT")[0].content) == {"roles": ["consumer", "publisher"]}
    assert fake.calls("GET", base)[0].url.params["assigneeId"] == GROUP_ID
    assert fake.calls("POST", base) == []  # found by the look before the create


def test_assignment_create__an_existing_assignment_without_adopt_is_one_clear_error__nothing_sent(
    fake: FakeQlik, wire: Any
) -> None:
    base = f"/api/v1/spaces/{SPACE_ID}/assignments"
    existing = {"id": "as-1", "type": "group", "assigneeId": GROUP_ID, "roles": ["consumer"]}
    fake.on("GET", TARGET, base, httpx.Response(200, json={"data": [existing]}))
    provider = wire(QlikSpaceAssignmentProvider)
    with pytest.raises(
        AlreadyExistsError,
        match=rf"the group {GROUP_ID}'s assignment to space {SPACE_ID} already exists .*'as-1'"
        r".*adopt_existing=True",
    ):
        provider.create(_assignment_inputs(provider, space_type="managed"))
    assert fake.calls("POST", f"/api/v1/spaces/{SPACE_ID}/assignments") == []
    assert fake.calls("PUT") == []


def test_assignment_create__409_from_one_made_between_look_and_create_is_one_clear_error(
    fake: FakeQlik, wire: Any
) -> None:
    base = f"/api/v1/spaces/{SPACE_ID}/assignments"
    existing = {"id": "as-1", "type": "group", "assigneeId": GROUP_ID, "roles": ["consumer"]}
    fake.on("GET", TARGET, f"/api/v1/spaces/{SPACE_ID}", httpx.Response(200, json=space_json()))
    fake.on(
        "GET",
        TARGET,
        base,
        httpx.Response(200, json={"data": []}),
        httpx.Response(200, json={"data": [existing]}),
    )
    fake.on("POST", TARGET, base, CONFLICT)
    provider = wire(QlikSpaceAssignmentProvider)
    with pytest.raises(
        AlreadyExistsError,
        match=rf"the group {GROUP_ID}'s assignment to space {SPACE_ID} already exists .*'as-1'"
        r".*adopt_existing=True",
    ):
        provider.create(_assignment_inputs(provider, space_type="managed"))
    assert len(fake.calls("POST", base)) == 1
    assert fake.calls("PUT") == []


# --- QlikWebIntegration / QlikCspOrigin -----------------------------------------------------------------


def test_web_integration_create__an_integration_of_that_name_is_never_duplicated(
    fake: FakeQlik, wire: Any
) -> None:
    existing = {
        "id": "wi-1",
        "name": "Portal",
        "validOrigins": ["https://old.example"],
        "tenantId": TENANT_ID,
    }
    fake.on("GET", TARGET, "/api/v1/web-integrations", default=httpx.Response(200, json={"data": [existing]}))
    provider = wire(QlikWebIntegrationProvider)
    inputs = _checked(provider, name="Portal", valid_origins=["https://portal.example.com"])
    with pytest.raises(AlreadyExistsError, match=r"web integration 'Portal' already exists .*'wi-1'"):
        provider.create(inputs)
    assert fake.calls("POST", "/api/v1/web-integrations") == []

    fake.on("PATCH", TARGET, "/api/v1/web-integrations/wi-1", httpx.Response(204))
    fake.on(
        "GET",
        TARGET,
        "/api/v1/web-integrations/wi-1",
        httpx.Response(200, json={**existing, "validOrigins": ["https://portal.example.com"]}),
    )
    result = provider.create({**inputs, "adopt_existing": True})
    assert (result.id, result.outs["valid_origins"]) == ("wi-1", ["https://portal.example.com"])
    assert json.loads(fake.calls("PATCH")[0].content) == [
        {"op": "replace", "path": "/validOrigins", "value": ["https://portal.example.com"]}
    ]


def test_csp_origin_create__sends_every_directive_and_records_the_tenant(fake: FakeQlik, wire: Any) -> None:
    fake.on("GET", TARGET, "/api/v1/csp-origins", httpx.Response(200, json={"data": []}))
    fake.on(
        "POST",
        TARGET,
        "/api/v1/csp-origins",
        httpx.Response(
            201,
            json={
                "id": "csp-1",
                "origin": "https://portal.example.com",
                "name": "Portal",
                "frameAncestors": True,
            },
        ),
    )
    fake.on(
        "GET",
        TARGET,
        "/api/v1/tenants/me",
        httpx.Response(200, json=tenant_json()),
    )
    provider = wire(QlikCspOriginProvider)
    result = provider.create(_checked(provider, name="Portal", origin="HTTPS://Portal.example.com:443/"))
    sent = json.loads(fake.calls("POST", "/api/v1/csp-origins")[0].content)
    assert sent["origin"] == "https://portal.example.com"
    assert (sent["frameAncestors"], sent["scriptSrc"], sent["connectSrcWSS"]) == (True, False, False)
    assert (result.id, result.outs["tenant_id"], result.outs["frame_ancestors"]) == ("csp-1", TENANT_ID, True)
