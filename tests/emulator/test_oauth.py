"""POST /oauth/token and bearer-token rules: host binding, regions, expiry, error bodies."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from pulumi_qlik.emulator import EmulatorControl

from .conftest import Qlik, assert_qlik_error


def test_token__json_body_gives_bearer_token_for_six_hours(qlik: Qlik) -> None:
    us = qlik.region("us")
    response = qlik.token_response(us.source_tenant, us.client_id, us.client_secret)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_at", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 21600
    expires_at = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert body["expires_at"].endswith("Z")
    assert len(body["expires_at"]) == len("2022-06-03T20:52:08.000Z")
    assert abs((expires_at - datetime.now(UTC)).total_seconds() - 21600) < 60


def test_token__form_body_is_accepted(qlik: Qlik) -> None:
    us = qlik.region("us")
    form = {"client_id": us.client_id, "client_secret": us.client_secret, "grant_type": "client_credentials"}
    response = qlik.request("POST", us.register_host, "/oauth/token", data=form)
    assert response.status_code == 200, response.text


def test_token__basic_client_auth_with_json_grant_type(qlik: Qlik) -> None:
    us = qlik.region("us")
    basic = base64.b64encode(f"{us.client_id}:{us.client_secret}".encode()).decode()
    response = qlik.request(
        "POST",
        us.register_host,
        "/oauth/token",
        headers={"Authorization": f"Basic {basic}"},
        json={"grant_type": "client_credentials", "scope": "user_default"},
    )
    assert response.status_code == 200, response.text


def test_token__wrong_secret_is_401_oauth(qlik: Qlik) -> None:
    us = qlik.region("us")
    response = qlik.token_response(us.register_host, us.client_id, us.client_secret + "x")
    assert_qlik_error(response, 401, "OAUTH-5")


def test_token__unknown_client_is_401(qlik: Qlik) -> None:
    us = qlik.region("us")
    response = qlik.token_response(us.register_host, "0" * 32, us.client_secret)
    assert_qlik_error(response, 401, "OAUTH-5")


@pytest.mark.parametrize(
    "body",
    [
        {"client_secret": "s", "grant_type": "client_credentials"},
        {"client_id": "c", "grant_type": "client_credentials"},
        {"client_id": "c", "client_secret": "s"},
        {"client_id": "c", "client_secret": "s", "grant_type": "password"},
    ],
)
def test_token__missing_or_bad_parameters_is_400(qlik: Qlik, body: dict[str, str]) -> None:
    response = qlik.request("POST", qlik.region().register_host, "/oauth/token", json=body)
    assert_qlik_error(response, 400, "OAUTH-1")


def test_token__malformed_json_is_400(qlik: Qlik) -> None:
    response = qlik.request(
        "POST",
        qlik.region().register_host,
        "/oauth/token",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert_qlik_error(response, 400, "OAUTH-1")


def test_token__eu_client_refused_on_us_register_host(qlik: Qlik) -> None:
    eu = qlik.region("eu")
    response = qlik.token_response(qlik.region("us").register_host, eu.client_id, eu.client_secret)
    assert_qlik_error(response, 401, "OAUTH-5")


def test_token__eu_client_refused_on_us_tenant(qlik: Qlik) -> None:
    eu = qlik.region("eu")
    response = qlik.token_response(qlik.region("us").source_tenant, eu.client_id, eu.client_secret)
    assert_qlik_error(response, 401, "OAUTH-5")


def test_token__only_the_organization_client_works_on_console(qlik: Qlik) -> None:
    us, org = qlik.region("us"), qlik.world.organization
    assert_qlik_error(qlik.token_response(org.host, us.client_id, us.client_secret), 401, "OAUTH-5")
    assert_qlik_error(qlik.token_response(us.source_tenant, org.client_id, org.client_secret), 401, "OAUTH-5")
    assert qlik.token_response(org.host, org.client_id, org.client_secret).status_code == 200


def test_token__get_is_405(qlik: Qlik) -> None:
    assert_qlik_error(qlik.request("GET", qlik.region().register_host, "/oauth/token"), 405)


def test_unknown_host_is_401_login_2(qlik: Qlik) -> None:
    response = qlik.request("GET", "nosuchtenant000.us.qlikcloud.com", "/api/v1/users/me")
    error = assert_qlik_error(response, 401, "LOGIN-2")
    assert "nosuchtenant000.us.qlikcloud.com" in error["detail"]
    assert_qlik_error(qlik.http.get("/api/v1/users/me"), 401, "LOGIN-2")  # the emulator's own address


def test_token_from_tenant_a_is_refused_on_tenant_b(qlik: Qlik) -> None:
    tenant_b = qlik.create_tenant()["hostnames"][0]
    source = qlik.region().source_tenant
    token_a = qlik.token(source)
    assert qlik.request("GET", source, "/api/v1/tenants/me", token=token_a).status_code == 302
    assert_qlik_error(qlik.request("GET", tenant_b, "/api/v1/tenants/me", token=token_a), 401, "OAUTH-5")


def test_register_token_is_refused_on_tenant_host(qlik: Qlik) -> None:
    us = qlik.region()
    token = qlik.token(us.register_host)
    assert_qlik_error(qlik.request("GET", us.source_tenant, "/api/v1/users/me", token=token), 401)


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer not-a-token", "Basic Zm9vOmJhcg=="])
def test_api_without_valid_bearer_is_401(qlik: Qlik, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = qlik.request("GET", qlik.region().source_tenant, "/api/v1/users/me", headers=headers)
    assert_qlik_error(response, 401, "OAUTH-5")


def test_token_expires_after_ttl_on_the_emulator_clock(qlik: Qlik, control: EmulatorControl) -> None:
    source = qlik.region().source_tenant
    token = qlik.token(source)
    control.advance_clock(21600 - 5)
    assert qlik.request("GET", source, "/api/v1/users/me", token=token).status_code == 301
    control.advance_clock(10)
    assert_qlik_error(qlik.request("GET", source, "/api/v1/users/me", token=token), 401, "OAUTH-14")
    assert qlik.request("GET", source, "/api/v1/users/me", token=qlik.token(source)).status_code == 301


def test_token_is_reusable(qlik: Qlik) -> None:
    source = qlik.region().source_tenant
    token = qlik.token(source)
    statuses = {qlik.request("GET", source, "/api/v1/tenants/me", token=token).status_code for _ in range(5)}
    assert statuses == {302}


def test_host_header_port_and_case_are_ignored(qlik: Qlik) -> None:
    source = qlik.region().source_tenant
    token = qlik.token(source)
    response = qlik.request("GET", source.upper() + ":443", "/api/v1/tenants/me", token=token)
    assert response.status_code == 302
