"""Deactivate, reactivate and purge (register host), TENANT_DEACTIVATED, and the Organization API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from pulumi_qlik.emulator import EmulatorControl

from .conftest import Qlik, assert_qlik_error

DAY = 86400


def _action(
    qlik: Qlik,
    tenant: dict[str, Any],
    action: str,
    *,
    confirm: str | None = "auto",
    region: str = "us",
    **kw: Any,
) -> Any:
    register = qlik.region(region).register_host
    headers = {}
    if confirm is not None:
        headers["qlik-confirm-hostname"] = tenant["hostnames"][0] if confirm == "auto" else confirm
    path = f"/api/v1/tenants/{tenant['id']}/actions/{action}"
    return qlik.request("POST", register, path, token=qlik.token(register, region), headers=headers, **kw)


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_deactivate__200_disabled_with_purge_date_default_30_days(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    response = _action(qlik, tenant, "deactivate")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "status", "estimatedPurgeDate"}
    assert body["id"] == tenant["id"]
    assert body["status"] == "disabled"
    delay = _ts(body["estimatedPurgeDate"]) - _ts(tenant["created"])
    assert timedelta(days=30) <= delay < timedelta(days=30, minutes=1)


def test_deactivate__honours_purge_after_days(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    body = _action(qlik, tenant, "deactivate", json={"purgeAfterDays": 10}).json()
    delay = _ts(body["estimatedPurgeDate"]) - _ts(tenant["created"])
    assert timedelta(days=10) <= delay < timedelta(days=10, minutes=1)


@pytest.mark.parametrize("days", [9, 91, "30", 12.5, True, -1])
def test_deactivate__purge_after_days_outside_10_to_90_is_400(qlik: Qlik, days: Any) -> None:
    tenant = qlik.create_tenant()
    error = assert_qlik_error(_action(qlik, tenant, "deactivate", json={"purgeAfterDays": days}), 400)
    assert error["source"]["pointer"] == "/purgeAfterDays"


@pytest.mark.parametrize("action", ["deactivate", "reactivate"])
@pytest.mark.parametrize("confirm", [None, "", "wrong.us.qlikcloud.com"])
def test_actions__missing_or_wrong_confirm_hostname_is_412(
    qlik: Qlik, action: str, confirm: str | None
) -> None:
    tenant = qlik.create_tenant()
    assert_qlik_error(_action(qlik, tenant, action, confirm=confirm), 412)


def test_actions__only_on_register_host_of_the_tenants_region(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    host = tenant["hostnames"][0]
    path = f"/api/v1/tenants/{tenant['id']}/actions/deactivate"
    response = qlik.request(
        "POST", host, path, token=qlik.token(host), headers={"qlik-confirm-hostname": host}
    )
    assert_qlik_error(response, 404)
    assert_qlik_error(_action(qlik, tenant, "deactivate", region="eu"), 404, "TENANTS-8")


def test_disabled_tenant_host_answers_401_tenant_deactivated_even_for_tokens(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    host = tenant["hostnames"][0]
    token = qlik.token(host)
    _action(qlik, tenant, "deactivate")
    error = assert_qlik_error(
        qlik.request("GET", host, "/api/v1/users/me", token=token), 401, "TENANT_DEACTIVATED"
    )
    assert error["title"].startswith("Tenant has been deactivated")
    us = qlik.region()
    assert_qlik_error(qlik.token_response(host, us.client_id, us.client_secret), 401, "TENANT_DEACTIVATED")


def test_deactivate_twice_keeps_the_first_purge_date(qlik: Qlik, control: EmulatorControl) -> None:
    tenant = qlik.create_tenant()
    first = _action(qlik, tenant, "deactivate", json={"purgeAfterDays": 10}).json()
    control.advance_clock(DAY)
    second = _action(qlik, tenant, "deactivate", json={"purgeAfterDays": 90})
    assert second.status_code == 200
    assert second.json() == first


def test_reactivate__200_active_and_tenant_host_works_again(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    host = tenant["hostnames"][0]
    token = qlik.token(host)
    _action(qlik, tenant, "deactivate")
    response = _action(qlik, tenant, "reactivate")
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert response.json()["id"] == tenant["id"]
    assert qlik.request("GET", host, "/api/v1/users/me", token=token).status_code == 301
    assert _action(qlik, tenant, "reactivate", content=b"{}").status_code == 200  # already active: no-op


def test_tenant_is_purged_after_estimated_purge_date(qlik: Qlik, control: EmulatorControl) -> None:
    control.update_license("us", max_tenants=2)
    tenant = qlik.create_tenant()
    _action(qlik, tenant, "deactivate", json={"purgeAfterDays": 10})
    control.advance_clock(10 * DAY - 60)
    assert _action(qlik, tenant, "reactivate").status_code == 200
    _action(qlik, tenant, "deactivate", json={"purgeAfterDays": 10})
    control.advance_clock(10 * DAY + 1)
    register = qlik.region().register_host
    response = qlik.request("GET", register, f"/api/v1/tenants/{tenant['id']}", token=qlik.token(register))
    assert_qlik_error(response, 404, "TENANTS-8")
    assert_qlik_error(_action(qlik, tenant, "reactivate"), 404, "TENANTS-8")
    assert_qlik_error(qlik.request("POST", tenant["hostnames"][0], "/oauth/token", json={}), 401, "LOGIN-2")
    assert control.tenant(tenant["id"]) is None
    assert qlik.create_tenant()["id"]  # the purged tenant no longer counts against the allotment


def _org(qlik: Qlik, token: str, **params: Any) -> Any:
    return qlik.request("GET", qlik.world.organization.host, "/api/core/tenants", token=token, params=params)


def test_org__lists_tenants_by_subscription_name_and_hostname(qlik: Qlik) -> None:
    us = qlik.region()
    created = [qlik.create_tenant() for _ in range(3)]
    token = qlik.org_token()
    body = _org(qlik, token, filter=f'subscriptionId eq "{us.subscription_id}"').json()
    assert [t["id"] for t in body["data"]] == [us.source_tenant_id] + [t["id"] for t in created]
    item = body["data"][1]
    assert item["regionCode"] == "us-east-1"
    assert item["licenseNumber"] == us.license_number
    assert item["subscriptionId"] == us.subscription_id
    assert item["status"] == "active"
    assert {"id", "name", "hostnames", "createdAt", "deletionStartsAt"} <= set(item)
    by_name = _org(
        qlik, token, filter=f'subscriptionId eq "{us.subscription_id}" and name eq "{created[1]["name"]}"'
    )
    assert [t["id"] for t in by_name.json()["data"]] == [created[1]["id"]]
    host = created[2]["hostnames"][0]
    by_host = _org(qlik, token, filter=f'subscriptionId eq "{us.subscription_id}" and hostnames eq "{host}"')
    assert [t["id"] for t in by_host.json()["data"]] == [created[2]["id"]]


def test_org__cursor_paging(qlik: Qlik) -> None:
    us = qlik.region()
    for _ in range(4):
        qlik.create_tenant()
    token = qlik.org_token()
    seen: list[str] = []
    params: dict[str, Any] = {"filter": f'subscriptionId eq "{us.subscription_id}"', "limit": 2}
    for _ in range(5):
        body = _org(qlik, token, **params).json()
        seen += [t["id"] for t in body["data"]]
        if "next" not in body["links"]:
            break
        params["next"] = body["links"]["next"]["href"].split("next=")[1]
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"filter": 'name eq "x"'},
        {"filter": "subscriptionId co 1"},
        {"filter": 'subscriptionId eq "x"', "limit": 101},
    ],
)
def test_org__bad_query_is_400(qlik: Qlik, params: dict[str, Any]) -> None:
    assert_qlik_error(_org(qlik, qlik.org_token(), **params), 400)


def test_org__get_by_id_and_regional_tokens_refused(qlik: Qlik) -> None:
    tenant = qlik.create_tenant("eu")
    console = qlik.world.organization.host
    response = qlik.request("GET", console, f"/api/core/tenants/{tenant['id']}", token=qlik.org_token())
    assert response.status_code == 200
    assert response.json()["regionCode"] == "eu-west-1"
    missing = qlik.request("GET", console, "/api/core/tenants/nope", token=qlik.org_token())
    assert_qlik_error(missing, 404, "TENANTS-8")
    source = qlik.region().source_tenant
    on_tenant = qlik.request("GET", source, "/api/core/tenants", token=qlik.token(source))
    assert_qlik_error(on_tenant, 404)
