"""PATCH /api/v1/tenants/{id} (JSON Patch rules, alias hostnames) and the bot user behind /users/me."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Qlik, assert_qlik_error


def _patch(qlik: Qlik, tenant: dict[str, Any], ops: Any, host: str | None = None) -> Any:
    host = host or tenant["hostnames"][0]
    return qlik.request("PATCH", host, f"/api/v1/tenants/{tenant['id']}", token=qlik.token(host), json=ops)


def _get(qlik: Qlik, tenant: dict[str, Any]) -> dict[str, Any]:
    host = tenant["hostnames"][0]
    response = qlik.request("GET", host, f"/api/v1/tenants/{tenant['id']}", token=qlik.token(host))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_patch__replaces_name_and_flags_with_204(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    ops = [
        {"op": "replace", "path": "/name", "value": "Acme Analytics"},
        {"op": "replace", "path": "/enableAnalyticCreation", "value": True},
        {"op": "replace", "path": "/autoAssignCreateSharedSpacesRoleToProfessionals", "value": False},
        {"op": "replace", "path": "/enableAppOpeningFeedback", "value": False},
    ]
    response = _patch(qlik, tenant, ops)
    assert response.status_code == 204
    assert response.content == b""
    after = _get(qlik, tenant)
    assert after["name"] == "Acme Analytics"
    assert after["enableAnalyticCreation"] is True
    assert after["autoAssignCreateSharedSpacesRoleToProfessionals"] is False
    assert after["enableAppOpeningFeedback"] is False
    assert after["hostnames"] == tenant["hostnames"]  # the display name does not move the hostname
    assert after["lastUpdated"] >= tenant["lastUpdated"]


@pytest.mark.parametrize("value", ["acme-prod", "acme-prod.us.qlikcloud.com", "ACME-PROD"])
def test_patch__alias_as_label_or_full_hostname(qlik: Qlik, value: str) -> None:
    tenant = qlik.create_tenant()
    assert (
        _patch(qlik, tenant, [{"op": "replace", "path": "/hostnames/1", "value": value}]).status_code == 204
    )
    assert _get(qlik, tenant)["hostnames"] == [tenant["hostnames"][0], "acme-prod.us.qlikcloud.com"]


def test_patch__alias_host_serves_the_tenant_and_replacing_releases_the_old_alias(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    _patch(qlik, tenant, [{"op": "replace", "path": "/hostnames/1", "value": "first"}])
    alias = "first.us.qlikcloud.com"
    response = qlik.request("GET", alias, "/api/v1/tenants/me", token=qlik.token(alias))
    assert response.status_code == 302
    assert response.headers["location"] == f"https://{alias}/api/v1/tenants/{tenant['id']}"
    _patch(qlik, tenant, [{"op": "replace", "path": "/hostnames/1", "value": "second"}])
    assert_qlik_error(qlik.request("POST", alias, "/oauth/token", json={}), 401, "LOGIN-2")
    other = qlik.create_tenant()
    assert (
        _patch(qlik, other, [{"op": "replace", "path": "/hostnames/1", "value": "first"}]).status_code == 204
    )


def test_patch__alias_in_use_is_400_tenants_11(qlik: Qlik) -> None:
    first, second = qlik.create_tenant(), qlik.create_tenant()
    _patch(qlik, first, [{"op": "replace", "path": "/hostnames/1", "value": "taken"}])
    response = _patch(qlik, second, [{"op": "replace", "path": "/hostnames/1", "value": "taken"}])
    error = assert_qlik_error(response, 400, "TENANTS-11")
    assert error["source"]["pointer"] == "/0/value"
    primary_label = first["name"]
    response = _patch(qlik, second, [{"op": "replace", "path": "/hostnames/1", "value": primary_label}])
    assert_qlik_error(response, 400, "TENANTS-11")
    response = _patch(qlik, second, [{"op": "replace", "path": "/hostnames/1", "value": "register"}])
    assert_qlik_error(response, 400, "TENANTS-11")


@pytest.mark.parametrize(
    ("op", "pointer"),
    [
        ({"op": "add", "path": "/name", "value": "x"}, "/0/op"),
        ({"op": "remove", "path": "/hostnames/1"}, "/0/op"),
        ({"op": "replace", "path": "/hostnames/0", "value": "x"}, "/0/path"),
        ({"op": "replace", "path": "/status", "value": "disabled"}, "/0/path"),
        ({"op": "replace", "path": "/id", "value": "x"}, "/0/path"),
        ({"op": "replace", "path": "/name", "value": 5}, "/0/value"),
        ({"op": "replace", "path": "/name", "value": ""}, "/0/value"),
        ({"op": "replace", "path": "/enableAnalyticCreation", "value": "true"}, "/0/value"),
        ({"op": "replace", "path": "/enableAnalyticCreation", "value": 1}, "/0/value"),
        ({"op": "replace", "path": "/hostnames/1", "value": "bad_label"}, "/0/value"),
        ({"op": "replace", "path": "/hostnames/1", "value": "-xy"}, "/0/value"),
        ({"op": "replace", "path": "/hostnames/1", "value": "x.eu.qlikcloud.com"}, "/0/value"),
        ({"op": "replace", "path": "/hostnames/1", "value": True}, "/0/value"),
        ({"op": "replace", "path": "/name", "value": "x", "from": "/y"}, "/0/op"),
    ],
)
def test_patch__bad_operation_is_400_with_pointer_and_meta(
    qlik: Qlik, op: dict[str, Any], pointer: str
) -> None:
    tenant = qlik.create_tenant()
    ops = [{"op": "replace", "path": "/name", "value": "fine"}, op]
    error = assert_qlik_error(_patch(qlik, tenant, ops), 400, "TENANTS-10")
    assert error["title"] == "Invalid PATCH request"
    assert error["source"]["pointer"] == "/1" + pointer[2:]
    assert error["meta"] == {"code": "TENANTS-10", "title": "Invalid patch operation", "index": 1}
    assert _get(qlik, tenant)["name"] == tenant["name"]  # all or nothing


@pytest.mark.parametrize("body", [[], {"op": "replace", "path": "/name", "value": "x"}, "x"])
def test_patch__body_must_be_a_non_empty_array(qlik: Qlik, body: Any) -> None:
    assert_qlik_error(_patch(qlik, qlik.create_tenant(), body), 400)


def test_patch__token_for_tenant_a_cannot_patch_tenant_b(qlik: Qlik) -> None:
    a, b = qlik.create_tenant(), qlik.create_tenant()
    host_a = a["hostnames"][0]
    ops = [{"op": "replace", "path": "/name", "value": "hijack"}]
    token_a = qlik.token(host_a)
    on_own_host = qlik.request("PATCH", host_a, f"/api/v1/tenants/{b['id']}", token=token_a, json=ops)
    assert_qlik_error(on_own_host, 404, "TENANTS-8")
    on_b_host = qlik.request(
        "PATCH", b["hostnames"][0], f"/api/v1/tenants/{b['id']}", token=token_a, json=ops
    )
    assert_qlik_error(on_b_host, 401)
    assert _get(qlik, b)["name"] == b["name"]


def test_patch__not_on_register_host(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    response = _patch(
        qlik, tenant, [{"op": "replace", "path": "/name", "value": "x"}], host=qlik.region().register_host
    )
    assert_qlik_error(response, 404)


def test_users_me__redirects_301_to_the_bot_user(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    host = tenant["hostnames"][0]
    token = qlik.token(host)
    redirect = qlik.request("GET", host, "/api/v1/users/me", token=token)
    assert redirect.status_code == 301
    location = redirect.headers["location"]
    assert location.startswith(f"https://{host}/api/v1/users/")
    user_path = location.removeprefix(f"https://{host}")
    response = qlik.request("GET", host, user_path, token=token)
    assert response.status_code == 200
    user = response.json()
    us = qlik.region()
    assert user["tenantId"] == tenant["id"]
    assert user["clientId"] == us.client_id
    assert user["roles"] == ["TenantAdmin"]
    assert user["status"] == "active"
    assert user["subject"].startswith("qlikbot\\")
    assert len(user["subject"]) == len("qlikbot\\") + 32
    assert user["name"] == "US OAuth Client"
    assert user["links"]["self"]["href"] == location
    assert {"assignedRoles", "assignedGroups", "createdAt", "lastUpdatedAt"} <= set(user)


def test_bot_user__created_on_first_token_one_per_tenant_same_subject(qlik: Qlik, control: Any) -> None:
    tenant = qlik.create_tenant()
    dump = control.tenant(tenant["id"])
    assert dump.bot_users == []
    host = tenant["hostnames"][0]
    qlik.token(host)
    qlik.token(host)
    (subject,) = control.tenant(tenant["id"]).bot_users
    source_id = qlik.region().source_tenant_id
    qlik.token(qlik.region().source_tenant)
    assert control.tenant(source_id).bot_users == [subject]


def test_users__other_tenants_user_is_404(qlik: Qlik) -> None:
    source = qlik.region().source_tenant
    source_token = qlik.token(source)
    source_user = qlik.request("GET", source, "/api/v1/users/me", token=source_token).headers["location"]
    user_id = source_user.rsplit("/", 1)[1]
    tenant = qlik.create_tenant()
    host = tenant["hostnames"][0]
    response = qlik.request("GET", host, f"/api/v1/users/{user_id}", token=qlik.token(host))
    assert_qlik_error(response, 404, "USERS-7")


def test_users_me__not_on_register_host(qlik: Qlik) -> None:
    register = qlik.region().register_host
    assert_qlik_error(qlik.request("GET", register, "/api/v1/users/me", token=qlik.token(register)), 404)
