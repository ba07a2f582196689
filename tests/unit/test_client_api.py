"""The calls of the "create a tenant" tutorial: what each sends and what it returns."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from conftest import LICENSE_KEY, REGISTER, SOURCE, TARGET, TENANT_ID, FakeQlik, tenant_json
from pydantic import SecretStr, ValidationError

from pulumi_qlik.client import PreconditionFailedError, QlikClient
from pulumi_qlik.client.models import DeactivatedTenant, PatchOperation, ReactivatedTenant, Tenant

LICENSE_OVERVIEW = {
    "licenseNumber": "012345678912345678",
    "licenseKey": LICENSE_KEY,
    "valid": "./2023-05-30",
    "status": "Ok",
    "origin": "Internal",
    "updated": "0001-01-01T00:00:00Z",
    "trial": False,
    "product": "Qlik Sense Enterprise SaaS",
    "allotments": [
        {"name": "professional", "usageClass": "assigned", "units": 25, "unitsUsed": 1, "overage": 0}
    ],
    "parameters": [{"name": "qlikAlerting", "valid": "./.", "values": {"saas_alerting": "FULL"}}],
    "someFutureField": {"ignored": True},
}
BOT_USER = {
    "id": "629a20185b4a5194788d9c1e",
    "tenantId": TENANT_ID,
    "clientId": "region-client-id-1234",
    "status": "active",
    "subject": "qlikbot\\00cbb22c600e823ed278d5e3d976f85b",
    "name": "US OAuth Client",
    "roles": ["TenantAdmin"],
    "assignedRoles": [{"id": "r1", "name": "TenantAdmin", "type": "default", "level": "admin"}],
    "assignedGroups": [],
    "createdAt": "2022-06-03T14:52:08.925Z",
    "lastUpdatedAt": "2022-06-03T14:52:08.925Z",
}


def test_tutorial_flow__license_create_token_users_me(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", SOURCE, "/api/v1/licenses/overview", httpx.Response(200, json=LICENSE_OVERVIEW))
    fake.on("POST", REGISTER, "/api/v1/tenants", httpx.Response(201, json=tenant_json()))
    fake.on(
        "GET",
        TARGET,
        "/api/v1/users/me",
        httpx.Response(301, headers={"Location": f"/api/v1/users/{BOT_USER['id']}"}),
    )
    fake.on("GET", TARGET, f"/api/v1/users/{BOT_USER['id']}", httpx.Response(200, json=BOT_USER))

    overview = client.get_license_overview(SOURCE)
    tenant = client.create_tenant(REGISTER, license_key=overview.license_key)
    assert tenant.hostname is not None
    user = client.get_my_user(tenant.hostname)

    assert user.tenant_id == tenant.id == TENANT_ID
    assert user.roles == ["TenantAdmin"]
    assert [r.headers["Host"] for r in fake.token_calls()] == [SOURCE, REGISTER, TARGET]
    create = fake.calls("POST", "/api/v1/tenants")[0]
    assert json.loads(create.content) == {"licenseKey": LICENSE_KEY}
    assert create.headers["Content-Type"] == "application/json"
    assert create.headers["Authorization"] == f"Bearer token-{REGISTER}-2"


def test_license_overview__parsed_with_secret_key(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", SOURCE, "/api/v1/licenses/overview", httpx.Response(200, json=LICENSE_OVERVIEW))

    overview = client.get_license_overview(SOURCE)

    assert isinstance(overview.license_key, SecretStr)
    assert overview.license_key.get_secret_value() == LICENSE_KEY
    assert overview.updated == datetime(1, 1, 1, tzinfo=UTC)
    assert overview.allotments[0].units_used == 1
    assert overview.parameters[0].name == "qlikAlerting"


def test_create_tenant__sends_datacenter_when_given(fake: FakeQlik, client: QlikClient) -> None:
    fake.on(
        "POST", REGISTER, "/api/v1/tenants", httpx.Response(201, json=tenant_json(datacenter="eu-west-1"))
    )

    tenant = client.create_tenant(REGISTER, license_key=SecretStr("k"), datacenter="eu-west-1")

    assert json.loads(fake.calls("POST", "/api/v1/tenants")[0].content) == {
        "licenseKey": "k",
        "datacenter": "eu-west-1",
    }
    assert tenant.datacenter == "eu-west-1"


def test_tenant__parses_tutorial_answer_and_ignores_unknown_fields() -> None:
    tenant = Tenant.model_validate(tenant_json(brandNewField=1, status="some-future-status"))

    assert tenant.hostnames == [TARGET]
    assert tenant.hostname == TARGET
    assert tenant.alias_hostname is None
    assert tenant.status == "some-future-status"
    assert tenant.auto_assign_create_shared_spaces_role_to_professionals is True
    assert tenant.links is not None
    assert tenant.links.self is not None
    assert tenant.links.self.href.startswith(f"https://{REGISTER}/")


def test_get_tenant__on_tenant_host(fake: FakeQlik, client: QlikClient) -> None:
    fake.on(
        "GET",
        TARGET,
        f"/api/v1/tenants/{TENANT_ID}",
        httpx.Response(200, json=tenant_json(hostnames=[TARGET, "corp.us.qlikcloud.com"])),
    )

    tenant = client.get_tenant(TARGET, TENANT_ID)

    assert tenant.alias_hostname == "corp.us.qlikcloud.com"


def test_patch_tenant__sends_json_patch_array(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("PATCH", TARGET, f"/api/v1/tenants/{TENANT_ID}", httpx.Response(204))

    result = client.patch_tenant(
        TARGET,
        TENANT_ID,
        [
            PatchOperation(path="/name", value="Corp"),
            PatchOperation(path="/hostnames/1", value="corp.us.qlikcloud.com"),
            PatchOperation(path="/enableAppOpeningFeedback", value=False),
        ],
    )

    assert result is None
    assert json.loads(fake.calls("PATCH")[0].content) == [
        {"op": "replace", "path": "/name", "value": "Corp"},
        {"op": "replace", "path": "/hostnames/1", "value": "corp.us.qlikcloud.com"},
        {"op": "replace", "path": "/enableAppOpeningFeedback", "value": False},
    ]


def test_patch_tenant__no_operations_no_request(fake: FakeQlik, client: QlikClient) -> None:
    client.patch_tenant(TARGET, TENANT_ID, [])

    assert fake.requests == []


@pytest.mark.parametrize(
    "fields",
    [
        {"path": "/hostnames/0", "value": "x"},
        {"path": "/name", "value": True},
        {"path": "/enableAnalyticCreation", "value": "true"},
        {"op": "add", "path": "/name", "value": "x"},
        {"path": "/name", "value": "x", "extra": 1},
    ],
)
def test_patch_operation__refuses_what_qlik_does_not_accept(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        PatchOperation.model_validate(fields)


def test_deactivate_tenant__sends_confirm_header_and_purge_days(fake: FakeQlik, client: QlikClient) -> None:
    path = f"/api/v1/tenants/{TENANT_ID}/actions/deactivate"
    answer = {"id": TENANT_ID, "status": "disabled", "estimatedPurgeDate": "2025-02-01T00:00:00Z"}
    fake.on("POST", REGISTER, path, httpx.Response(200, json=answer), httpx.Response(200, json=answer))

    result = client.deactivate_tenant(REGISTER, TENANT_ID, hostname=TARGET, purge_after_days=10)
    client.deactivate_tenant(REGISTER, TENANT_ID, hostname=TARGET)

    assert result == DeactivatedTenant(
        id=TENANT_ID, status="disabled", estimated_purge_date=datetime(2025, 2, 1, tzinfo=UTC)
    )
    first, second = fake.calls("POST", path)
    assert first.headers["qlik-confirm-hostname"] == TARGET
    assert json.loads(first.content) == {"purgeAfterDays": 10}
    assert json.loads(second.content) == {}


def test_deactivate_tenant__412_on_hostname_mismatch(fake: FakeQlik, client: QlikClient) -> None:
    path = f"/api/v1/tenants/{TENANT_ID}/actions/deactivate"
    fake.on(
        "POST",
        REGISTER,
        path,
        httpx.Response(
            412, json={"errors": [{"code": "TENANTS-11", "title": "Precondition Failed", "status": "412"}]}
        ),
    )

    with pytest.raises(PreconditionFailedError):
        client.deactivate_tenant(REGISTER, TENANT_ID, hostname="other.us.qlikcloud.com")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (httpx.Response(200), ReactivatedTenant()),
        (httpx.Response(200, json={}), ReactivatedTenant()),
        (
            httpx.Response(200, json={"id": TENANT_ID, "status": "active"}),
            ReactivatedTenant(id=TENANT_ID, status="active"),
        ),
    ],
)
def test_reactivate_tenant__sends_confirm_header_and_accepts_any_body(
    fake: FakeQlik, client: QlikClient, answer: httpx.Response, expected: ReactivatedTenant
) -> None:
    path = f"/api/v1/tenants/{TENANT_ID}/actions/reactivate"
    fake.on("POST", REGISTER, path, answer)

    assert client.reactivate_tenant(REGISTER, TENANT_ID, hostname=TARGET) == expected
    request = fake.calls("POST", path)[0]
    assert request.headers["qlik-confirm-hostname"] == TARGET
    assert json.loads(request.content) == {}


def test_get_my_tenant__follows_302(fake: FakeQlik, client: QlikClient) -> None:
    fake.on(
        "GET",
        TARGET,
        "/api/v1/tenants/me",
        httpx.Response(302, headers={"Location": f"/api/v1/tenants/{TENANT_ID}"}),
    )
    fake.on("GET", TARGET, f"/api/v1/tenants/{TENANT_ID}", httpx.Response(200, json=tenant_json()))

    assert client.get_my_tenant(TARGET).id == TENANT_ID


def test_context_manager__closes_the_client(fake: FakeQlik) -> None:
    with QlikClient("id", "secret", transport=httpx.MockTransport(fake.handler)) as client:
        pass

    with pytest.raises(RuntimeError, match="closed"):
        client.get_my_user(TARGET)
