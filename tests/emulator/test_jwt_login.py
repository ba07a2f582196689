"""JWT login (``POST /login/jwt-session``): a JWT signed with the key of the tenant's JWT identity provider
becomes Qlik's session cookies; API calls with the cookie act as that user (what a customer's user sees);
every rule a JWT must meet is refused with 401 when broken."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair, sign_test_jwt, user_claims

from .conftest import Qlik, assert_qlik_error
from .tenant_api import TenantApi

PRIVATE_PEM, PUBLIC_PEM = generate_rsa_key_pair()
OTHER_PRIVATE_PEM, _ = generate_rsa_key_pair()
ISSUER, KID = "portal.customer-a.example", "portal-2026"
PORTAL = "https://portal.customer-a.example"
COOKIES = {"eas.sid", "eas.sid.sig", "_csrfToken", "_csrfToken.sig"}


class Customer:
    """A tenant set up as the onboarding example does it: JWT IdP, group, two spaces, web integration."""

    def __init__(self, api: TenantApi) -> None:
        self.api = api
        idp = {
            "provider": "external",
            "protocol": "jwtAuth",
            "interactive": False,
            "clockToleranceSec": 5,
            "options": {"issuer": ISSUER, "staticKeys": [{"kid": KID, "pem": PUBLIC_PEM}]},
        }
        api.ok("POST", "/api/v1/identity-providers", 201, json=idp)
        self.group = api.ok("POST", "/api/v1/groups", 201, json={"name": "Customers"})
        self.dev = api.ok("POST", "/api/v1/spaces", 201, json={"name": "Dev", "type": "shared"})
        self.analytics = api.ok("POST", "/api/v1/spaces", 201, json={"name": "Analytics", "type": "managed"})
        assignment = {"type": "group", "assigneeId": self.group["id"], "roles": ["consumer"]}
        api.ok("POST", f"/api/v1/spaces/{self.analytics['id']}/assignments", 201, json=assignment)
        body = {"name": "Portal", "validOrigins": [PORTAL]}
        self.web_integration = api.ok("POST", "/api/v1/web-integrations", 201, json=body)

    def token(self, subject: str = "alice", groups: list[str] | None = None, **claims: Any) -> str:
        """A JWT for ``subject`` signed with the IdP's key; ``claims`` override (``now``, ``name``, ``aud``...)."""
        body = user_claims(
            issuer=claims.pop("issuer", ISSUER),
            subject=subject,
            name=claims.pop("name", subject.title()),
            email=claims.pop("email", f"{subject}@customer-a.example"),
            groups=["Customers"] if groups is None else groups,
            now=claims.pop("now", time.time() + self.api.control.clock().offset_seconds),
            **claims,
        )
        return sign_test_jwt(PRIVATE_PEM, KID, body)

    def login(self, token: str, **headers: str) -> httpx.Response:
        response = self.api.call("POST", "/login/jwt-session", token=token, headers=headers)
        self.api.qlik.http.cookies.clear()  # the shared client must not carry this session into other tests
        return response

    def session(self, token: str | None = None) -> dict[str, str]:
        response = self.login(
            token or self.token(), **{"qlik-web-integration-id": self.web_integration["id"], "Origin": PORTAL}
        )
        assert response.status_code == 200, response.text
        return dict(response.cookies)

    def as_user(self, cookies: dict[str, str], method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A call carrying the session cookie (and no bearer token), on the tenant's host."""
        header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        headers = {"Host": self.api.host, "Cookie": header, **kwargs.pop("headers", {})}
        return self.api.qlik.http.request(method, path, headers=headers, **kwargs)

    def me(self, cookies: dict[str, str]) -> dict[str, Any]:
        moved = self.as_user(cookies, "GET", "/api/v1/users/me")
        assert moved.status_code == 301, moved.text
        user = self.as_user(cookies, "GET", moved.headers["location"].split(self.api.host, 1)[1])
        assert user.status_code == 200, user.text
        found: dict[str, Any] = user.json()
        return found


@pytest.fixture
def customer(qlik: Qlik, control: EmulatorControl) -> Customer:
    return Customer(TenantApi(qlik, control))


def test_login__cookies_and_the_user_sees_its_managed_space_only(customer: Customer) -> None:
    response = customer.login(
        customer.token(), **{"qlik-web-integration-id": customer.web_integration["id"], "Origin": PORTAL}
    )
    assert response.status_code == 200, response.text
    assert set(response.cookies) == COOKIES
    assert all("HttpOnly" in c for c in response.headers.get_list("set-cookie"))
    cookies = dict(response.cookies)

    me = customer.me(cookies)
    assert (me["subject"], me["name"], me["email"], me["status"]) == (
        "alice", "Alice", "alice@customer-a.example", "active",
    )  # fmt: skip
    assert [g["name"] for g in me["assignedGroups"]] == ["Customers"]

    spaces = customer.as_user(cookies, "GET", "/api/v1/spaces").json()["data"]
    assert [s["name"] for s in spaces] == ["Analytics"]
    assert spaces[0]["meta"]["roles"] == ["consumer"]
    dev = customer.as_user(cookies, "GET", f"/api/v1/spaces/{customer.dev['id']}")
    assert_qlik_error(dev, 404, "HTTP-404")
    # The admin (bearer token) still sees both.
    assert {s["name"] for s in customer.api.ok("GET", "/api/v1/spaces")["data"]} == {"Dev", "Analytics"}


def test_login__again_updates_the_user_and_its_groups(customer: Customer) -> None:
    first = customer.me(customer.session())
    second = customer.me(
        customer.session(customer.token(groups=[], name="Alice Liddell", email="al@customer-a.example"))
    )
    assert second["id"] == first["id"]
    assert (second["name"], second["email"]) == ("Alice Liddell", "al@customer-a.example")
    assert second["assignedGroups"] == []
    cookies = customer.session(customer.token(groups=[]))
    assert customer.as_user(cookies, "GET", "/api/v1/spaces").json()["data"] == []


def test_login__invited_user_is_taken_over_by_email(customer: Customer) -> None:
    invited = customer.api.ok(
        "POST",
        "/api/v1/users",
        201,
        json={"subject": "alice", "email": "alice@customer-a.example", "name": "A"},
    )
    assert invited["status"] == "invited"
    assert customer.me(customer.session())["id"] == invited["id"]
    other = customer.api.ok(
        "POST", "/api/v1/users", 201, json={"subject": "idp-uuid", "email": "bob@customer-a.example"}
    )
    bob = customer.me(customer.session(customer.token("bob")))
    assert (bob["id"], bob["subject"], bob["status"]) == (other["id"], "bob", "active")


def test_groups_claim__unknown_groups_ignored_unless_auto_create(customer: Customer) -> None:
    me = customer.me(customer.session(customer.token(groups=["Customers", "Finance"])))
    assert [g["name"] for g in me["assignedGroups"]] == ["Customers"]
    assert [g["name"] for g in customer.api.ok("GET", "/api/v1/groups")["data"]] == ["Customers"]

    auto = [{"op": "replace", "path": "/autoCreateGroups", "value": True}]
    assert customer.api.call("PATCH", "/api/v1/groups/settings", json=auto).status_code == 204
    me = customer.me(customer.session(customer.token(groups=["Customers", "Finance"])))
    assert [g["name"] for g in me["assignedGroups"]] == ["Customers", "Finance"]
    finance = customer.api.ok("GET", "/api/v1/groups", params={"filter": 'name eq "Finance"'})["data"]
    assert finance[0]["providerType"] == "idp"


def test_session__writes_need_the_csrf_token_and_group_roles_count(customer: Customer) -> None:
    customer.api.ok(
        "POST", "/api/v1/groups", 201, json={"name": "Admins", "assignedRoles": [{"name": "TenantAdmin"}]}
    )
    cookies = customer.session(customer.token("carol", groups=["Admins"]))
    no_csrf = customer.as_user(cookies, "POST", "/api/v1/groups", json={"name": "By Carol"})
    assert "qlik-csrf-token" in assert_qlik_error(no_csrf, 403, "HTTP-403")["detail"]

    csrf = customer.as_user(cookies, "GET", "/api/v1/csrf-token")
    assert csrf.status_code == 204
    assert csrf.headers["qlik-csrf-token"] == cookies["_csrfToken"]
    made = customer.as_user(
        cookies,
        "POST",
        "/api/v1/groups",
        json={"name": "By Carol"},
        headers={"qlik-csrf-token": cookies["_csrfToken"]},
    )
    assert made.status_code == 201, made.text
    assert made.json()["createdBy"] == customer.me(cookies)["id"]
    # alice (Customers, no admin role) is refused the same write, CSRF token or not.
    alice = customer.session()
    refused = customer.as_user(
        alice,
        "POST",
        "/api/v1/groups",
        json={"name": "By Alice"},
        headers={"qlik-csrf-token": alice["_csrfToken"]},
    )
    assert_qlik_error(refused, 403, "HTTP-403")


def test_session__bad_cookies_401(qlik: Qlik, control: EmulatorControl, customer: Customer) -> None:
    cookies = customer.session()
    forged = {**cookies, "eas.sid.sig": "x" + cookies["eas.sid.sig"][1:]}
    assert_qlik_error(customer.as_user(forged, "GET", "/api/v1/spaces"), 401, "INTERNAL-TOKEN-1")
    unknown = {**cookies, "eas.sid": "nope"}
    assert_qlik_error(customer.as_user(unknown, "GET", "/api/v1/spaces"), 401)
    other = TenantApi(qlik, control)
    header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    elsewhere = qlik.http.get("/api/v1/spaces", headers={"Host": other.host, "Cookie": header})
    assert_qlik_error(elsewhere, 401)
    control.advance_clock(6 * 3600 + 1)
    assert_qlik_error(customer.as_user(cookies, "GET", "/api/v1/spaces"), 401)


def test_login__replayed_jti_401(customer: Customer) -> None:
    token = customer.token()
    assert customer.login(token).status_code == 200
    assert "already used" in assert_qlik_error(customer.login(token), 401, "INTERNAL-TOKEN-1")["detail"]


def test_login__clock_tolerance_of_the_idp(
    customer: Customer, server: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The emulator's clock held still (in this process): the boundary is exact, not a margin against the run.
    now = int(time.time())
    monkeypatch.setattr(server.backend.clock, "now", lambda: datetime.fromtimestamp(now, UTC))
    late = customer.token(now=now - 304, lifetime_seconds=300)  # expired 4 s ago: within the IdP's 5 s
    assert customer.login(late).status_code == 200
    at_the_limit = customer.token(now=now - 305, lifetime_seconds=300)  # expired 5 s ago: no longer
    assert "expired" in assert_qlik_error(customer.login(at_the_limit), 401)["detail"]
    early = customer.token(now=now + 5)  # valid from 5 s ahead: within the tolerance
    assert customer.login(early).status_code == 200
    too_early = customer.token(now=now + 6)
    assert "not valid yet" in assert_qlik_error(customer.login(too_early), 401)["detail"]


def _claims_without(claim: str) -> dict[str, Any]:
    body = user_claims(issuer=ISSUER, subject="alice", name="Alice", email="alice@customer-a.example")
    del body[claim]
    return body


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda c: c.token(iss="someone-else.example"), "no active JWT identity provider"),
        (lambda c: sign_test_jwt(PRIVATE_PEM, "other-kid", user_claims(issuer=ISSUER, subject="a", name="A", email="a@x.example")), "key id 'other-kid'"),
        (lambda c: sign_test_jwt(OTHER_PRIVATE_PEM, KID, user_claims(issuer=ISSUER, subject="a", name="A", email="a@x.example")), "signature"),
        (lambda c: c.token(aud="qlik.api"), "aud"),
        (lambda c: c.token(subType="client"), "subType"),
        (lambda c: c.token(now=time.time() + 600), "not valid yet"),
        (lambda c: c.token(lifetime_seconds=3601), "one hour"),
        (lambda c: c.token(groups="Customers"), "groups"),
        (lambda c: sign_test_jwt(PRIVATE_PEM, KID, _claims_without("nbf")), "Missing required claim: nbf"),
        (lambda c: sign_test_jwt(PRIVATE_PEM, KID, _claims_without("jti")), "Missing required claim: jti"),
        (lambda c: sign_test_jwt(PRIVATE_PEM, KID, _claims_without("email_verified")), "email_verified"),
        (lambda c: sign_test_jwt("a-shared-secret", KID, user_claims(issuer=ISSUER, subject="a", name="A", email="a@x.example"), "HS256"), "never HS"),
        (lambda c: "not.a.jwt", "not a JWT"),
    ],
)  # fmt: skip
def test_login__bad_jwts_401(customer: Customer, make: Any, why: str) -> None:
    error = assert_qlik_error(customer.login(make(customer)), 401, "INTERNAL-TOKEN-1")
    assert why in error["detail"]
    assert all(u.subject != "a" for u in customer.api.control.users(customer.api.id))


def test_login__no_token_or_wrong_origin_401(customer: Customer) -> None:
    assert_qlik_error(
        customer.api.qlik.http.post("/login/jwt-session", headers={"Host": customer.api.host}), 401
    )
    wrong_origin = customer.login(
        customer.token(),
        **{"qlik-web-integration-id": customer.web_integration["id"], "Origin": "https://evil.example"},
    )
    assert "does not allow origin" in assert_qlik_error(wrong_origin, 401)["detail"]
