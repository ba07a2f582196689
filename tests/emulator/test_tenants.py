"""License overview, tenant creation, GET and /tenants/me."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from typing import Literal

import httpx
import pytest

from pulumi_qlik.emulator import EmulatorControl

from .conftest import Qlik, assert_qlik_error

TENANT_FIELDS = {
    "id",
    "name",
    "hostnames",
    "createdByUser",
    "datacenter",
    "region",
    "created",
    "lastUpdated",
    "status",
    "statusLastUpdatedAt",
    "autoAssignCreateSharedSpacesRoleToProfessionals",
    "autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals",
    "autoAssignDataServicesContributorRoleToProfessionals",
    "enableAnalyticCreation",
    "enableAppOpeningFeedback",
    "links",
}
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def _create(qlik: Qlik, body: object, region: str = "us") -> httpx.Response:
    register = qlik.region(region).register_host
    return qlik.request("POST", register, "/api/v1/tenants", token=qlik.token(register, region), json=body)


def test_license_overview__shape_and_signed_key(qlik: Qlik) -> None:
    us = qlik.region()
    response = qlik.request(
        "GET", us.source_tenant, "/api/v1/licenses/overview", token=qlik.token(us.source_tenant)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["licenseNumber"] == us.license_number
    assert body["status"] == "Ok"
    assert body["origin"] == "Internal"
    assert body["trial"] is False
    assert re.match(r"^\d{4}-\d\d-\d\d/\d{4}-\d\d-\d\d$", body["valid"])
    assert ISO_MS.match(body["updated"])
    assert {"product", "secondaryNumber", "allotments", "parameters"} <= set(body)
    assert {a["name"] for a in body["allotments"]} == {"professional", "analyzer", "analyzer_time"}
    _header, payload, signature = body["licenseKey"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["licenseNumber"] == us.license_number
    assert len(signature) >= 40
    (tenants,) = [p for p in body["parameters"] if p["name"] == "tenants"]
    assert tenants["values"] == {"maxTenants": 50, "tenantsUsed": 1}


def test_license_overview__not_on_register_host(qlik: Qlik) -> None:
    register = qlik.region().register_host
    response = qlik.request("GET", register, "/api/v1/licenses/overview", token=qlik.token(register))
    assert_qlik_error(response, 404)


def test_create__201_with_generated_name_id_and_register_link(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    assert set(tenant) == TENANT_FIELDS
    assert re.fullmatch(r"[a-z0-9]{15}", tenant["name"])
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", tenant["id"])
    assert tenant["hostnames"] == [f"{tenant['name']}.us.qlikcloud.com"]
    assert tenant["datacenter"] == "us-east-1"
    assert tenant["status"] == "active"
    assert ISO_MS.match(tenant["created"])
    assert tenant["created"] == tenant["lastUpdated"]
    assert (
        tenant["links"]["self"]["href"] == f"https://register.us.qlikcloud.com/api/v1/tenants/{tenant['id']}"
    )


def test_create__not_idempotent(qlik: Qlik) -> None:
    key = qlik.license_key()
    first, second = _create(qlik, {"licenseKey": key}), _create(qlik, {"licenseKey": key})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


def test_create__matching_datacenter_and_legacy_fields_are_accepted(qlik: Qlik) -> None:
    tenant = qlik.create_tenant(
        "eu", datacenter="eu-west-1", name="ignored", hostnames=["x.eu.qlikcloud.com"]
    )
    assert tenant["hostnames"][0].endswith(".eu.qlikcloud.com")
    assert tenant["name"] != "ignored"


def test_create__datacenter_of_another_region_is_400(qlik: Qlik) -> None:
    response = _create(qlik, {"licenseKey": qlik.license_key(), "datacenter": "eu-west-1"})
    assert_qlik_error(response, 400, "TENANTS-5")


def test_create__license_keys_work_on_every_region_register_host(qlik: Qlik) -> None:
    response = _create(qlik, {"licenseKey": qlik.license_key("us")}, region="eu")
    assert response.status_code == 201
    assert response.json()["hostnames"][0].endswith(".eu.qlikcloud.com")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda key: "not-a-key",
        lambda key: key[:-2] + ("AA" if not key.endswith("AA") else "BB"),
        lambda key: (
            key.split(".")[0]
            + "."
            + base64.urlsafe_b64encode(b'{"licenseNumber":"1","rev":1}').decode()
            + "."
            + key.split(".")[2]
        ),
    ],
    ids=["garbage", "bad-signature", "forged-payload"],
)
def test_create__forged_or_garbage_key_is_403_invalid_license(
    qlik: Qlik, mangle: Callable[[str], str]
) -> None:
    key = mangle(qlik.license_key())
    assert_qlik_error(_create(qlik, {"licenseKey": key}), 403, "TENANTS-23")


@pytest.mark.parametrize("body", [{}, {"licenseKey": ""}, {"licenseKey": None}])
def test_create__missing_key_is_400_tenants_21(qlik: Qlik, body: object) -> None:
    assert_qlik_error(_create(qlik, body), 400, "TENANTS-21")


@pytest.mark.parametrize("body", [{"licenseKey": 5}, [], "x"])
def test_create__mistyped_key_or_body_is_400(qlik: Qlik, body: object) -> None:
    assert_qlik_error(_create(qlik, body), 400, "TENANTS-1")


def test_create__invalid_json_is_400(qlik: Qlik) -> None:
    register = qlik.region().register_host
    response = qlik.request(
        "POST",
        register,
        "/api/v1/tenants",
        token=qlik.token(register),
        content=b"{",
        headers={"content-type": "application/json"},
    )
    assert_qlik_error(response, 400, "TENANTS-1")


@pytest.mark.parametrize("status", ["Expired", "Blacklisted"])
def test_create__expired_or_blacklisted_license_is_403(
    qlik: Qlik, control: EmulatorControl, status: Literal["Expired", "Blacklisted"]
) -> None:
    key = qlik.license_key()
    control.update_license("us", status=status)
    assert_qlik_error(_create(qlik, {"licenseKey": key}), 403, "TENANTS-23")
    source = qlik.region().source_tenant
    overview = qlik.request("GET", source, "/api/v1/licenses/overview", token=qlik.token(source)).json()
    assert overview["status"] == status


def test_create__license_past_its_validity_interval_is_403(qlik: Qlik, control: EmulatorControl) -> None:
    key = qlik.license_key()
    control.advance_clock(400 * 86400)
    assert_qlik_error(_create(qlik, {"licenseKey": key}), 403, "TENANTS-23")


def test_create__exhausted_allotment_is_403(qlik: Qlik, control: EmulatorControl) -> None:
    control.update_license("us", max_tenants=2)  # the source tenant uses one
    key = qlik.license_key()
    assert _create(qlik, {"licenseKey": key}).status_code == 201
    assert_qlik_error(_create(qlik, {"licenseKey": key}), 403, "TENANTS-22")


def test_create__only_on_register_host(qlik: Qlik) -> None:
    source = qlik.region().source_tenant
    response = qlik.request(
        "POST", source, "/api/v1/tenants", token=qlik.token(source), json={"licenseKey": qlik.license_key()}
    )
    assert_qlik_error(response, 404)


def test_create__new_tenant_host_answers_token_and_me(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    host = tenant["hostnames"][0]
    response = qlik.request("GET", host, "/api/v1/tenants/me", token=qlik.token(host))
    assert response.status_code == 302
    assert response.headers["location"] == f"https://{host}/api/v1/tenants/{tenant['id']}"


def test_get__on_own_host(qlik: Qlik) -> None:
    tenant = qlik.create_tenant()
    host = tenant["hostnames"][0]
    response = qlik.request("GET", host, f"/api/v1/tenants/{tenant['id']}", token=qlik.token(host))
    assert response.status_code == 200
    body = response.json()
    assert {k: v for k, v in body.items() if k != "links"} == {
        k: v for k, v in tenant.items() if k != "links"
    }
    assert body["links"]["self"]["href"] == f"https://{host}/api/v1/tenants/{tenant['id']}"


def test_get__another_tenants_id_on_own_host_is_404(qlik: Qlik) -> None:
    other = qlik.create_tenant()
    source = qlik.region().source_tenant
    response = qlik.request("GET", source, f"/api/v1/tenants/{other['id']}", token=qlik.token(source))
    error = assert_qlik_error(response, 404, "TENANTS-8")
    assert error["title"] == "Not found"


def test_get__register_host_answers_for_its_region_only(qlik: Qlik) -> None:
    us_tenant, eu_tenant = qlik.create_tenant("us"), qlik.create_tenant("eu")
    register = qlik.region("us").register_host
    token = qlik.token(register)
    assert qlik.request("GET", register, f"/api/v1/tenants/{us_tenant['id']}", token=token).status_code == 200
    response = qlik.request("GET", register, f"/api/v1/tenants/{eu_tenant['id']}", token=token)
    assert_qlik_error(response, 404, "TENANTS-8")


def test_unknown_route_is_404_and_wrong_method_405(qlik: Qlik) -> None:
    source = qlik.region().source_tenant
    token = qlik.token(source)
    assert_qlik_error(qlik.request("GET", source, "/api/v1/nothing", token=token), 404, "HTTP-404")
    wrong = qlik.request("DELETE", source, "/api/v1/tenants/me", token=token)
    assert_qlik_error(wrong, 405, "HTTP-405")
    assert wrong.headers["allow"] == "GET"  # RFC 9110 15.5.6: a 405 names the allowed methods
    both = qlik.request(
        "PUT", source, f"/api/v1/tenants/{qlik.world.regions['us'].source_tenant_id}", token=token
    )
    assert_qlik_error(both, 405, "HTTP-405")
    assert both.headers["allow"] == "GET, PATCH"


def test_rotated_key_is_new_and_both_keys_create(qlik: Qlik, control: EmulatorControl) -> None:
    existing = qlik.create_tenant()
    old_key = qlik.license_key()
    rotated = control.rotate_license("us")
    assert rotated.license_key != old_key
    assert rotated.license_number == qlik.region().license_number
    assert qlik.license_key() == rotated.license_key
    assert _create(qlik, {"licenseKey": rotated.license_key}).status_code == 201
    assert _create(qlik, {"licenseKey": old_key}).status_code == 201
    dump = control.tenant(existing["id"])
    assert dump is not None
    assert dump.status == "active"


def test_rotation_can_revoke_previous_keys(qlik: Qlik, control: EmulatorControl) -> None:
    old_key = qlik.license_key()
    new_key = control.rotate_license("us", revoke_previous=True).license_key
    assert_qlik_error(_create(qlik, {"licenseKey": old_key}), 403, "TENANTS-23")
    assert _create(qlik, {"licenseKey": new_key}).status_code == 201
