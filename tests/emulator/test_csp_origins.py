"""CSP origins (csp-origins.json): create, get, list with filters, put, delete, the generated header."""

from __future__ import annotations

import pytest

from pulumi_qlik.emulator import EmulatorControl

from .conftest import Qlik, assert_qlik_error
from .tenant_api import TenantApi

PATH = "/api/v1/csp-origins"


@pytest.fixture
def api(qlik: Qlik, control: EmulatorControl) -> TenantApi:
    return TenantApi(qlik, control)


def test_create_get_list_put_delete(api: TenantApi) -> None:
    created = api.ok(
        "POST",
        PATH,
        201,
        json={"name": "Portal", "origin": "https://portal.example.com", "frameAncestors": True},
    )
    assert created["origin"] == "https://portal.example.com"
    assert created["frameAncestors"] is True
    assert created["scriptSrc"] is False
    assert created["description"] == ""
    assert {"id", "createdDate", "modifiedDate"} <= set(created)
    assert api.ok("GET", f"{PATH}/{created['id']}") == created
    api.ok("POST", PATH, 201, json={"name": "CDN", "origin": "*.cdn.example.com", "imgSrc": True})
    assert [e["name"] for e in api.ok("GET", PATH)["data"]] == ["CDN", "Portal"]
    assert [e["name"] for e in api.ok("GET", PATH, params={"frameAncestors": "true"})["data"]] == ["Portal"]
    assert [e["name"] for e in api.ok("GET", PATH, params={"origin": "CDN"})["data"]] == ["CDN"]

    replaced = api.ok(
        "PUT", f"{PATH}/{created['id']}", json={"name": "Portal", "origin": "https://portal.example.com"}
    )
    assert replaced["frameAncestors"] is False  # PUT replaces the whole entry
    assert replaced["id"] == created["id"]
    assert api.call("DELETE", f"{PATH}/{created['id']}").status_code == 204
    assert_qlik_error(api.call("GET", f"{PATH}/{created['id']}"), 404, "HTTP-404")


def test_generate_header__directives_from_the_entries(api: TenantApi) -> None:
    api.ok(
        "POST",
        PATH,
        201,
        json={"origin": "https://portal.example.com", "frameAncestors": True, "connectSrcWSS": True},
    )
    header = api.ok("GET", f"{PATH}/actions/generate-header")["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://portal.example.com" in header
    assert "connect-src 'self' wss://portal.example.com" in header
    assert "script-src 'self';" in header
    plain = api.call("GET", f"{PATH}/actions/generate-header", headers={"Accept": "text/plain"})
    assert plain.text == header


@pytest.mark.parametrize(
    ("accept", "answer"),
    [
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        ("text/*", "text/plain"),
        ("text/html, text/plain;q=0.5", "text/plain"),
        ("application/json;q=0.1, text/plain;q=0.9", "text/plain"),
        ("application/xml", 406),
        ("text/html", 406),
        ("*/*;q=0", 406),
    ],
)
def test_generate_header__negotiates_accept_406_when_neither(
    api: TenantApi, accept: str, answer: str | int
) -> None:
    response = api.call("GET", f"{PATH}/actions/generate-header", headers={"Accept": accept})
    if answer == 406:
        assert "neither" in assert_qlik_error(response, 406, "HTTP-406")["detail"]
    else:
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == answer


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"name": "x"}, "/origin"),
        ({"origin": "https://portal.example.com/path"}, "/origin"),
        ({"origin": "x" * 257}, "/origin"),
        ({"origin": "portal.example.com", "name": "x" * 513}, "/name"),
        ({"origin": "portal.example.com", "frameAncestors": "yes"}, "/frameAncestors"),
    ],
)
def test_create__bad_bodies_400(api: TenantApi, body: dict[str, object], pointer: str) -> None:
    error = assert_qlik_error(api.call("POST", PATH, json=body), 400, "HTTP-400")
    assert error["source"] == {"pointer": pointer}


def test_writes__tenant_admin_only(api: TenantApi) -> None:
    response = api.call("POST", PATH, token=api.member_token, json={"origin": "portal.example.com"})
    assert_qlik_error(response, 403, "HTTP-403")
    assert api.ok("GET", PATH, token=api.member_token)["data"] == []
