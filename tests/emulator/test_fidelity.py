"""The emulator against Qlik's published declarations: one test per row of docs/emulator.md's fidelity table.

Field lists are Qlik's, transcribed from npm ``@qlik/api`` 2.19.0 (``tenants.d.ts``, ``licenses.d.ts``,
``users.d.ts``) and qlik.dev's Organization API reference (``/api/core/tenants``); each test names its source.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from pulumi_qlik.emulator import EmulatorControl
from pulumi_qlik.emulator.world import parse_iso

from .conftest import Qlik, assert_qlik_error

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
INTERVAL = re.compile(r"^\d{4}-\d\d-\d\d/(\d{4}-\d\d-\d\d)?$")

# licenses.d.ts LicenseOverview: required fields and their JSON types.
LICENSE_OVERVIEW_REQUIRED = {
    "allotments": list,
    "licenseKey": str,
    "licenseNumber": str,
    "origin": str,
    "parameters": list,
    "product": str,
    "secondaryNumber": str,
    "status": str,
    "trial": bool,
    "updated": str,
    "valid": str,
    "version": str,
}
# tenants.d.ts Tenant: every declared field.
TENANT_DECLARED = {
    "autoAssignCreateSharedSpacesRoleToProfessionals",
    "autoAssignDataServicesContributorRoleToProfessionals",
    "autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals",
    "created",
    "createdByUser",
    "datacenter",
    "enableAnalyticCreation",
    "enableAppOpeningFeedback",
    "hostnames",
    "id",
    "lastUpdated",
    "links",
    "name",
    "region",
    "status",
    "statusLastUpdatedAt",
}
TENANT_STATUSES = {"active", "disabled", "deleted", "user-access-disabled"}
# users.d.ts User: required fields; the tutorial's bot user adds clientId, roles, created (the union is served).
USER_REQUIRED = {"id", "name", "subject", "tenantId"}
USER_TUTORIAL = {"clientId", "roles", "created"}
# qlik.dev Organization API tenant item: required fields.
ORG_ITEM_REQUIRED = {"id", "status", "createdAt", "updatedAt", "regionCode", "countryCode"}
ORG_STATUSES = {"active", "disabled", "deleted", "deactivated"}


def _get(qlik: Qlik, host: str, path: str, **kwargs: Any) -> httpx.Response:
    return qlik.request("GET", host, path, token=qlik.token(host), **kwargs)


def _org(qlik: Qlik, **params: Any) -> httpx.Response:
    console = qlik.world.organization.host
    return qlik.request("GET", console, "/api/core/tenants", token=qlik.org_token(), params=params)


def _subscription(qlik: Qlik, region: str = "us") -> str:
    return f'subscriptionId eq "{qlik.region(region).subscription_id}"'


# --- OAuth -------------------------------------------------------------------------------------------------


def test_fidelity__token_response(qlik: Qlik) -> None:
    us = qlik.region()
    body = qlik.token_response(us.register_host, us.client_id, us.client_secret).json()
    assert set(body) == {"access_token", "token_type", "expires_at", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 21600
    assert ISO_MS.match(body["expires_at"])


def test_fidelity__unknown_host_error_title(qlik: Qlik) -> None:
    response = qlik.request("GET", "nosuchtenant000.us.qlikcloud.com", "/api/v1/tenants/me")
    error = assert_qlik_error(response, 401, "LOGIN-2")
    assert error["title"] == "No authentication configured for this hostname"


# --- licenses ----------------------------------------------------------------------------------------------


def test_fidelity__license_overview_required_fields_and_types(qlik: Qlik) -> None:
    body = _get(qlik, qlik.region().source_tenant, "/api/v1/licenses/overview").json()
    for name, kind in LICENSE_OVERVIEW_REQUIRED.items():
        assert isinstance(body[name], kind), name
    assert body["version"]
    for parameter in body["parameters"]:
        assert isinstance(parameter["name"], str)
        assert INTERVAL.match(parameter["valid"]), parameter
    for allotment in body["allotments"]:
        assert allotment["name"] in {"professional", "analyzer", "analyzer_time"}
        assert {"units", "unitsUsed", "usageClass"} <= set(allotment)


def test_fidelity__license_version_changes_with_the_license(qlik: Qlik, control: EmulatorControl) -> None:
    source = qlik.region().source_tenant
    before = _get(qlik, source, "/api/v1/licenses/overview").json()["version"]
    control.update_license("us", max_tenants=7)
    after = _get(qlik, source, "/api/v1/licenses/overview").json()["version"]
    assert before != after


def test_fidelity__licenses_error_response(qlik: Qlik) -> None:
    register = qlik.region().register_host
    response = _get(qlik, register, "/api/v1/licenses/overview")
    error = assert_qlik_error(response, 404)
    body = response.json()
    assert body["error"] == error["code"]
    assert isinstance(body["message"], str)
    assert body["message"]


# --- tenants -----------------------------------------------------------------------------------------------


def test_fidelity__tenant_fields(qlik: Qlik) -> None:
    created = qlik.create_tenant()
    host = created["hostnames"][0]
    fetched = _get(qlik, host, f"/api/v1/tenants/{created['id']}").json()
    for tenant in (created, fetched):
        assert set(tenant) == TENANT_DECLARED
        assert tenant["status"] in TENANT_STATUSES
        assert isinstance(tenant["links"]["self"]["href"], str)


def test_fidelity__tenant_me_redirects_to_a_tenant(qlik: Qlik) -> None:
    source = qlik.region().source_tenant
    token = qlik.token(source)
    redirect = qlik.request("GET", source, "/api/v1/tenants/me", token=token)
    assert redirect.status_code == 302
    path = redirect.headers["location"].removeprefix(f"https://{source}")
    assert set(qlik.request("GET", source, path, token=token).json()) == TENANT_DECLARED


def test_fidelity__tenants_error_status_is_a_string(qlik: Qlik) -> None:
    source = qlik.region().source_tenant
    error = assert_qlik_error(_get(qlik, source, "/api/v1/tenants/nope"), 404, "TENANTS-8")
    assert error["status"] == "404"
    assert error["title"] == "Not found"


def test_fidelity__patch_error_meta(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    host = tenant["hostnames"][0]
    ops = [{"op": "add", "path": "/name", "value": "x"}]
    response = qlik.request(
        "PATCH", host, f"/api/v1/tenants/{tenant['id']}", token=qlik.token(host), json=ops
    )
    error = assert_qlik_error(response, 400, "TENANTS-10")
    assert {"code", "title"} <= set(error["meta"])
    assert error["source"]["pointer"] == "/0/op"


def _create(qlik: Qlik, body: Any) -> httpx.Response:
    register = qlik.region().register_host
    return qlik.request("POST", register, "/api/v1/tenants", token=qlik.token(register), json=body)


def test_fidelity__create_errors_are_the_tenants_spec_examples(qlik: Qlik, control: EmulatorControl) -> None:
    missing = assert_qlik_error(_create(qlik, {}), 400, "TENANTS-21")
    assert missing["title"] == "Missing licenseKey property"
    invalid = assert_qlik_error(_create(qlik, {"licenseKey": "not-a-key"}), 403, "TENANTS-23")
    assert invalid["title"] == "Invalid license error"
    key = qlik.license_key()
    control.update_license("us", status="Expired")
    expired = assert_qlik_error(_create(qlik, {"licenseKey": key}), 403, "TENANTS-23")
    assert "Expired" in expired["detail"]
    control.update_license("us", status="Ok", max_tenants=1)  # the source tenant uses it
    quota = assert_qlik_error(_create(qlik, {"licenseKey": key}), 403, "TENANTS-22")
    assert quota["title"] == "License quota limit reached"


def test_fidelity__patch_errors_are_tenants_10_and_the_alias_length_is_3_to_63(qlik: Qlik) -> None:
    tenant, other = qlik.create_tenant(), qlik.create_tenant()
    host = tenant["hostnames"][0]

    def patch(value: str) -> httpx.Response:
        ops = [{"op": "replace", "path": "/hostnames/1", "value": value}]
        return qlik.request(
            "PATCH", host, f"/api/v1/tenants/{tenant['id']}", token=qlik.token(host), json=ops
        )

    for label in ("ab", "a" * 64):
        error = assert_qlik_error(patch(label), 400, "TENANTS-10")
        assert error["title"] == "Invalid PATCH request"
        assert error["meta"]["title"] == "Subdomain should be between 3 and 63 characters"
    assert patch("abc").status_code == 204
    assert patch("a" * 63).status_code == 204
    taken = assert_qlik_error(patch(other["name"]), 400, "TENANTS-11")
    assert taken["meta"]["code"] == "TENANTS-11"


def test_fidelity__deactivate_and_reactivate_responses(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    register = qlik.region().register_host
    token = qlik.token(register)
    headers = {"qlik-confirm-hostname": tenant["hostnames"][0]}
    base = f"/api/v1/tenants/{tenant['id']}/actions"
    deactivated = qlik.request("POST", register, f"{base}/deactivate", token=token, headers=headers, json={})
    assert set(deactivated.json()) == {"id", "status", "estimatedPurgeDate"}
    assert deactivated.json()["status"] == "disabled"
    reactivated = qlik.request("POST", register, f"{base}/reactivate", token=token, headers=headers)
    assert reactivated.status_code == 200
    assert (reactivated.json()["id"], reactivated.json()["status"]) == (tenant["id"], "active")


def test_fidelity__deactivated_tenant_code(qlik: Qlik, control: EmulatorControl) -> None:
    tenant = qlik.create_tenant()
    control.deactivate_tenant(tenant["id"])
    response = qlik.request("GET", tenant["hostnames"][0], "/api/v1/tenants/me")
    error = assert_qlik_error(response, 401, "TENANT_DEACTIVATED")
    assert error["title"] == "Tenant has been deactivated"


# --- users -------------------------------------------------------------------------------------------------


def test_fidelity__user_is_the_union_of_types_and_tutorial(qlik: Qlik) -> None:
    source = qlik.region().source_tenant
    token = qlik.token(source)
    path = qlik.request("GET", source, "/api/v1/users/me", token=token).headers["location"]
    user = qlik.request("GET", source, path.removeprefix(f"https://{source}"), token=token).json()
    assert set(user) >= USER_REQUIRED | USER_TUTORIAL
    assert user["status"] in {"active", "invited", "disabled", "deleted", "provisioned"}
    for role in user["assignedRoles"]:
        assert role["level"] in {"admin", "user"}
        assert role["type"] in {"default", "custom"}
    assert isinstance(user["assignedScopes"], list)


def test_fidelity__users_error_status_is_a_number(qlik: Qlik) -> None:
    source = qlik.region().source_tenant
    error = assert_qlik_error(_get(qlik, source, "/api/v1/users/nope"), 404, "USERS-7")
    assert error["status"] == 404


# --- Organization API --------------------------------------------------------------------------------------


def test_fidelity__org_item_fields(qlik: Qlik) -> None:
    tenant = qlik.create_tenant("eu")
    console = qlik.world.organization.host
    item = qlik.request("GET", console, f"/api/core/tenants/{tenant['id']}", token=qlik.org_token()).json()
    assert set(item) >= ORG_ITEM_REQUIRED
    assert item["regionCode"] == "eu-west-1"
    assert item["countryCode"] == "IE"
    assert ISO_MS.match(item["updatedAt"])
    assert item["status"] in ORG_STATUSES
    assert item["links"]["self"]["href"].endswith(f"/api/core/tenants/{tenant['id']}")


def test_fidelity__org_limit_default_20_range_0_to_100_and_total(
    qlik: Qlik, control: EmulatorControl
) -> None:
    for _ in range(21):
        control.seed_tenant("us")
    body = _org(qlik, filter=_subscription(qlik), totalResults="true").json()
    assert len(body["data"]) == 20
    assert body["totalResults"] == 22
    assert "next" in body["links"]
    empty = _org(qlik, filter=_subscription(qlik), limit=0).json()
    assert empty["data"] == []
    assert "totalResults" not in empty
    assert_qlik_error(_org(qlik, filter=_subscription(qlik), limit=-1), 400)
    assert_qlik_error(_org(qlik, filter=_subscription(qlik), totalResults="yes"), 400)


def test_fidelity__org_status_deactivated_and_status_filter(qlik: Qlik, control: EmulatorControl) -> None:
    active, deactivated = qlik.create_tenant(), qlik.create_tenant()
    control.deactivate_tenant(deactivated["id"])
    by_status = _org(qlik, filter=f'{_subscription(qlik)} and status eq "deactivated"').json()["data"]
    assert [t["id"] for t in by_status] == [deactivated["id"]]
    assert by_status[0]["deletionStartsAt"]
    others = _org(qlik, filter=f'{_subscription(qlik)} and status ne "deactivated"').json()["data"]
    assert active["id"] in {t["id"] for t in others}
    assert deactivated["id"] not in {t["id"] for t in others}
    assert_qlik_error(_org(qlik, filter=f'{_subscription(qlik)} and status eq "gone"'), 400)


@pytest.mark.parametrize(
    ("term", "matches"),
    [
        ('regionCode eq "us-east-1"', True),
        ('regionCode ne "us-east-1"', False),
        ('countryCode eq "US"', True),
        ("id eq {id!r}", True),
        ("originalId eq {id!r}", True),
        ('createdAt gt "2000-01-01T00:00:00.000Z"', True),
        ("updatedAt lt {past!r}", False),
    ],
)
def test_fidelity__org_filter_attributes(qlik: Qlik, term: str, matches: bool) -> None:
    tenant = qlik.create_tenant()
    past = (parse_iso(tenant["created"]) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    term = term.format(id=tenant["id"], past=past).replace("'", '"')
    data = _org(qlik, filter=f"{_subscription(qlik)} and {term}").json()["data"]
    assert (tenant["id"] in {t["id"] for t in data}) is matches


def test_fidelity__org_sort(qlik: Qlik, control: EmulatorControl) -> None:
    for name in ("bbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaa", "ccccccccccccccc"):
        control.seed_tenant("us", name=name)
    names = [t["name"] for t in _org(qlik, filter=_subscription(qlik), sort="-name").json()["data"]]
    assert names == sorted(names, reverse=True)
    assert_qlik_error(_org(qlik, filter=_subscription(qlik), sort="licenseNumber"), 400)


def test_fidelity__org_filter_or_not_and_parentheses(qlik: Qlik, control: EmulatorControl) -> None:
    names = ("aaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbb", "ccccccccccccccc")
    for name in names:
        control.seed_tenant("us", name=name)
    us = _subscription(qlik)

    def listed(query: str) -> set[str]:
        response = _org(qlik, filter=query, limit="100")
        assert response.status_code == 200, response.text
        return {t["name"] for t in response.json()["data"]} & set(names)

    assert listed(f'{us} and (name eq "{names[0]}" or name eq "{names[1]}")') == {names[0], names[1]}
    assert listed(f'{us} and not (name eq "{names[0]}" or name eq "{names[1]}")') == {names[2]}
    assert listed(f'({us}) AND NOT name eq "{names[2]}"') == {names[0], names[1]}
    # subscriptionId must hold for the whole query: or-ed with the rest, it is refused, not misread
    assert_qlik_error(_org(qlik, filter=f'{us} or name eq "x"'), 400)
    assert_qlik_error(_org(qlik, filter=f"not {us}"), 400)
    assert_qlik_error(_org(qlik, filter=f'{us} and (name eq "x"'), 400)
    assert_qlik_error(_org(qlik, filter=f'{us} and name co "a"'), 400)


def test_fidelity__org_count_and_filter_actions(qlik: Qlik) -> None:
    console, token = qlik.world.organization.host, qlik.org_token()
    made = [qlik.create_tenant() for _ in range(3)]
    us = _subscription(qlik)
    listed = _org(qlik, filter=us, totalResults="true").json()["totalResults"]
    assert listed >= 4  # the source tenant and ours
    count = qlik.request(
        "GET", console, "/api/core/tenants/actions/count", token=token, params={"filter": us}
    )
    assert count.status_code == 200, count.text
    assert count.json() == {"total": listed}
    one = f'{us} and id eq "{made[1]["id"]}"'
    count = qlik.request(
        "GET", console, "/api/core/tenants/actions/count", token=token, params={"filter": one}
    )
    assert count.json() == {"total": 1}
    assert_qlik_error(qlik.request("GET", console, "/api/core/tenants/actions/count", token=token), 400)

    def filter_action(body: Any, **params: Any) -> httpx.Response:
        path = "/api/core/tenants/actions/filter"
        return qlik.request("POST", console, path, token=token, json=body, params=params)

    found = filter_action({"filter": one})
    assert found.status_code == 200, found.text
    assert [t["id"] for t in found.json()["data"]] == [made[1]["id"]]
    page = filter_action({"filter": us}, limit=2, totalResults="true").json()
    assert (len(page["data"]), page["totalResults"]) == (2, listed)
    assert "filter=" not in page["links"]["next"]["href"]  # the filter is the body's, not the link's
    assert_qlik_error(filter_action({}), 400)  # subscriptionId is required, as on the listing
    assert_qlik_error(filter_action({"filter": 5}), 400)
