"""The Groups, group settings, license settings and identity-provider calls: what each sends and reads."""

from __future__ import annotations

import json

import httpx
import pytest
from conftest import TARGET, FakeQlik, error_body

from pulumi_qlik.client import ConflictError, NotFoundError, QlikClient, TenantCreationUncertainError
from pulumi_qlik.client.models import (
    CreateGroupRequest,
    CreateJWTIdentityProviderRequest,
    GroupPatchOperation,
    GroupSettingsPatchOperation,
    IdentityProviderPatchOperation,
    JWTAuthOptions,
    LicenseSettingsRequest,
    RoleRef,
    StaticKey,
)

TENANT_ID = "TZXk9rFMoKgp7sgAwvczdAlKSSWuaa3e"
GROUP_ID = "507f191e810c19729de860ea"
IDP_ID = "62d3a2b1f7c1e2a3b4c5d6e7"
PEM = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n"


def group_json(name: str = "Customers", roles: tuple[str, ...] = ("AnalyticsAdmin",), **more: object) -> dict:
    return {
        "id": GROUP_ID,
        "tenantId": TENANT_ID,
        "name": name,
        "status": "active",
        "providerType": "idp",
        "assignedRoles": [{"id": f"r-{r}", "name": r, "type": "default", "level": "user"} for r in roles],
        "createdAt": "2026-01-01T00:00:00Z",
        "lastUpdatedAt": "2026-01-01T00:00:00Z",
        "links": {"self": {"href": f"https://{TARGET}/api/v1/groups/{GROUP_ID}"}},
        **more,
    }


def idp_json(**more: object) -> dict:
    return {
        "id": IDP_ID,
        "tenantIds": [TENANT_ID],
        "protocol": "jwtAuth",
        "provider": "external",
        "interactive": False,
        "active": True,
        "description": "portal",
        "clockToleranceSec": 5,
        "options": {"issuer": "https://portal.example.com", "staticKeys": [{"kid": "k1", "pem": PEM}]},
        **more,
    }


def body_of(request: httpx.Request) -> object:
    return json.loads(request.content)


# --- groups ---------------------------------------------------------------------------------------------


def test_create_group__sends_name_roles_by_name_and_reads_the_group(
    fake: FakeQlik, client: QlikClient
) -> None:
    fake.on("POST", TARGET, "/api/v1/groups", httpx.Response(201, json=group_json()))
    request = CreateGroupRequest(
        name="Customers", description="d", status="active", assigned_roles=[RoleRef(name="AnalyticsAdmin")]
    )

    group = client.create_group(TARGET, request)

    assert (group.id, group.tenant_id, group.role_names) == (GROUP_ID, TENANT_ID, ["AnalyticsAdmin"])
    assert body_of(fake.calls("POST", "/api/v1/groups")[0]) == {
        "name": "Customers",
        "description": "d",
        "status": "active",
        "assignedRoles": [{"name": "AnalyticsAdmin"}],
    }


def test_create_group__a_taken_name_is_a_conflict(fake: FakeQlik, client: QlikClient) -> None:
    fake.on(
        "POST", TARGET, "/api/v1/groups", httpx.Response(409, json=error_body(409, "GROUPS-9", "Conflict"))
    )
    with pytest.raises(ConflictError):
        client.create_group(TARGET, CreateGroupRequest(name="Customers"))


def test_find_groups__filters_by_name_and_keeps_only_the_exact_spelling(
    fake: FakeQlik, client: QlikClient
) -> None:
    page = {"data": [group_json("customers"), group_json("Customers")], "links": {"self": {"href": "x"}}}
    fake.on("GET", TARGET, "/api/v1/groups", httpx.Response(200, json=page))

    found = client.find_groups(TARGET, name="Customers")

    assert [g.name for g in found] == ["Customers"]
    assert fake.calls("GET", "/api/v1/groups")[0].url.params["filter"] == 'name eq "Customers"'


def test_find_groups__quotes_in_the_name_are_escaped(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", TARGET, "/api/v1/groups", httpx.Response(200, json={"data": []}))
    assert client.find_groups(TARGET, name='a "b"') == []
    assert fake.calls("GET", "/api/v1/groups")[0].url.params["filter"] == 'name eq "a \\"b\\""'


def test_patch_group__replaces_the_full_role_list(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("PATCH", TARGET, f"/api/v1/groups/{GROUP_ID}", httpx.Response(204))
    roles = [RoleRef(name="AnalyticsAdmin"), RoleRef(name="DataAdmin")]

    client.patch_group(TARGET, GROUP_ID, [GroupPatchOperation(path="/assignedRoles", value=roles)])
    client.patch_group(TARGET, GROUP_ID, [])  # nothing to change: no request

    calls = fake.calls("PATCH")
    assert len(calls) == 1
    assert body_of(calls[0]) == [
        {
            "op": "replace",
            "path": "/assignedRoles",
            "value": [{"name": "AnalyticsAdmin"}, {"name": "DataAdmin"}],
        }
    ]


def test_get_and_delete_group__404_is_not_found(fake: FakeQlik, client: QlikClient) -> None:
    gone = httpx.Response(404, json=error_body(404, "GROUPS-2", "Not found"))
    fake.on("GET", TARGET, f"/api/v1/groups/{GROUP_ID}", gone)
    fake.on("DELETE", TARGET, f"/api/v1/groups/{GROUP_ID}", httpx.Response(204))
    with pytest.raises(NotFoundError):
        client.get_group(TARGET, GROUP_ID)
    client.delete_group(TARGET, GROUP_ID)
    assert len(fake.calls("DELETE")) == 1


def test_group_settings__read_and_patched(fake: FakeQlik, client: QlikClient) -> None:
    settings = {"tenantId": TENANT_ID, "autoCreateGroups": False, "syncIdpGroups": False, "links": {}}
    fake.on("GET", TARGET, "/api/v1/groups/settings", httpx.Response(200, json=settings))
    fake.on("PATCH", TARGET, "/api/v1/groups/settings", httpx.Response(204))

    assert client.get_group_settings(TARGET).auto_create_groups is False
    client.patch_group_settings(TARGET, [GroupSettingsPatchOperation(path="/autoCreateGroups", value=True)])

    assert body_of(fake.calls("PATCH")[0]) == [{"op": "replace", "path": "/autoCreateGroups", "value": True}]


# --- license settings ---------------------------------------------------------------------------------


def test_license_settings__put_sends_both_flags_and_reads_the_answer(
    fake: FakeQlik, client: QlikClient
) -> None:
    answer = {"autoAssignProfessional": True, "autoAssignAnalyzer": False}
    fake.on("PUT", TARGET, "/api/v1/licenses/settings", httpx.Response(200, json=answer))
    fake.on("GET", TARGET, "/api/v1/licenses/settings", httpx.Response(200, json={}))

    put = client.put_license_settings(
        TARGET, LicenseSettingsRequest(auto_assign_professional=True, auto_assign_analyzer=False)
    )
    read = client.get_license_settings(TARGET)

    assert (put.auto_assign_professional, put.auto_assign_analyzer) == (True, False)
    assert (read.auto_assign_professional, read.auto_assign_analyzer) == (False, False)  # unset reads false
    assert body_of(fake.calls("PUT")[0]) == answer


# --- identity providers -------------------------------------------------------------------------------


def _jwt_request() -> CreateJWTIdentityProviderRequest:
    options = JWTAuthOptions(issuer="https://portal.example.com", static_keys=[StaticKey(kid="k1", pem=PEM)])
    return CreateJWTIdentityProviderRequest(options=options, description="portal", clock_tolerance_sec=5)


def test_create_identity_provider__sends_a_jwt_payload(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("POST", TARGET, "/api/v1/identity-providers", httpx.Response(201, json=idp_json()))

    idp = client.create_identity_provider(TARGET, _jwt_request())

    assert idp.id == IDP_ID
    assert idp.options is not None
    assert idp.options.static_keys == [StaticKey(kid="k1", pem=PEM)]
    assert body_of(fake.calls("POST", "/api/v1/identity-providers")[0]) == {
        "protocol": "jwtAuth",
        "provider": "external",
        "interactive": False,
        "options": {"issuer": "https://portal.example.com", "staticKeys": [{"kid": "k1", "pem": PEM}]},
        "description": "portal",
        "clockToleranceSec": 5,
    }


def test_create_identity_provider__a_lost_answer_is_not_retried(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("POST", TARGET, "/api/v1/identity-providers", httpx.ReadTimeout("lost"))
    with pytest.raises(TenantCreationUncertainError):
        client.create_identity_provider(TARGET, _jwt_request())
    assert len(fake.calls("POST", "/api/v1/identity-providers")) == 1


def test_list_identity_providers__follows_the_next_cursor(fake: FakeQlik, client: QlikClient) -> None:
    first = {
        "data": [idp_json()],
        "links": {"next": {"href": f"https://{TARGET}/api/v1/identity-providers?next=c2"}},
    }
    second = {"data": [idp_json(id="other", protocol="OIDC", interactive=True)], "links": {}}
    fake.on(
        "GET",
        TARGET,
        "/api/v1/identity-providers",
        httpx.Response(200, json=first),
        httpx.Response(200, json=second),
    )

    found = client.list_identity_providers(TARGET)

    assert [(i.id, i.protocol) for i in found] == [(IDP_ID, "jwtAuth"), ("other", "OIDC")]
    assert fake.calls("GET", "/api/v1/identity-providers")[1].url.params["next"] == "c2"


def test_patch_identity_provider__only_the_description(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("PATCH", TARGET, f"/api/v1/identity-providers/{IDP_ID}", httpx.Response(204))
    client.patch_identity_provider(
        TARGET, IDP_ID, [IdentityProviderPatchOperation(path="/description", value="new")]
    )
    assert body_of(fake.calls("PATCH")[0]) == [{"op": "replace", "path": "/description", "value": "new"}]


def test_get_and_delete_identity_provider(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", TARGET, f"/api/v1/identity-providers/{IDP_ID}", httpx.Response(200, json=idp_json()))
    fake.on(
        "DELETE",
        TARGET,
        f"/api/v1/identity-providers/{IDP_ID}",
        httpx.Response(204),
        httpx.Response(404, json=error_body(404, "IDP-404", "Not found")),
    )
    assert client.get_identity_provider(TARGET, IDP_ID).clock_tolerance_sec == 5
    client.delete_identity_provider(TARGET, IDP_ID)
    with pytest.raises(NotFoundError):
        client.delete_identity_provider(TARGET, IDP_ID)
