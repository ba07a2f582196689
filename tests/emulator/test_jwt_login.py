"""JWT login (``POST /login/jwt-session``): a JWT signed with the key of the tenant's JWT identity provider
becomes Qlik's session cookies; API calls with the cookie act as that user (what a customer's user sees);
every rule a JWT must meet is refused with 401 when broken."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest

from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.jwt_tools import JWT_AUDIENCE, generate_rsa_key_pair, sign_test_jwt, user_claims

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


# --- the attack matrix (issue 26): forged and malformed tokens are 401, never 5xx, and log no one in -----

_HEADER = {"alg": "RS256", "typ": "JWT", "kid": KID}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _raw(header: Any, payload: str, key: str | bytes | None = PRIVATE_PEM, alg: str = "RS256") -> str:
    """A JWT built by hand: ``payload`` is JSON text (NaN, Infinity and huge integers survive), signed with
    ``alg`` under ``key`` (``None``: no signature, as ``alg: none``), whatever the header says."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(payload.encode())}"
    if key is None:
        return signing_input + "."
    if alg.startswith("HS"):  # by hand: PyJWT itself refuses a PEM as an HMAC secret
        digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
        key_bytes = key.encode() if isinstance(key, str) else key
        signature = hmac.new(key_bytes, signing_input.encode(), digest).digest()
    else:
        algorithm = jwt.algorithms.get_default_algorithms()[alg]
        signature = algorithm.sign(signing_input.encode(), algorithm.prepare_key(key))
    return f"{signing_input}.{_b64(signature)}"


def _payload(**changes: Any) -> str:
    """Good claims for subject ``mallory`` (now, five minutes), ``changes`` applied (``None`` drops a claim);
    a string value starting with ``=`` is pasted as raw JSON (``"=NaN"``)."""
    claims = user_claims(issuer=ISSUER, subject="mallory", name="M", email="mallory@customer-a.example")
    raw: dict[str, str] = {}
    for claim, value in changes.items():
        if value is None:
            claims.pop(claim)
        elif isinstance(value, str) and value.startswith("="):
            claims[claim], raw[claim] = f"@{claim}@", value[1:]
        else:
            claims[claim] = value
    text = json.dumps(claims)
    for claim, literal in raw.items():
        text = text.replace(f'"@{claim}@"', literal)
    return text


_PUBLIC_BYTES = PUBLIC_PEM.encode()
_NOW = int(time.time())
_HUGE = "=" + "9" * 400
ATTACKS: dict[str, Callable[[], str]] = {
    "alg none, no signature": lambda: _raw({**_HEADER, "alg": "none"}, _payload(), None),
    "alg None": lambda: _raw({**_HEADER, "alg": "None"}, _payload(), None),
    "alg NONE with a signature": lambda: _raw({**_HEADER, "alg": "NONE"}, _payload()),
    "alg missing": lambda: _raw({"typ": "JWT", "kid": KID}, _payload()),
    "alg not a string": lambda: _raw({**_HEADER, "alg": ["RS256"]}, _payload()),
    "HS256, public key as secret": lambda: _raw({**_HEADER, "alg": "HS256"}, _payload(), _PUBLIC_BYTES, "HS256"),
    "HS384, public key as secret": lambda: _raw({**_HEADER, "alg": "HS384"}, _payload(), _PUBLIC_BYTES, "HS384"),
    "HS512, public key as secret": lambda: _raw({**_HEADER, "alg": "HS512"}, _payload(), _PUBLIC_BYTES, "HS512"),
    "HS256, public key PEM + newline": lambda: _raw({**_HEADER, "alg": "HS256"}, _payload(), _PUBLIC_BYTES + b"\n", "HS256"),
    "HS256, shared secret": lambda: _raw({**_HEADER, "alg": "HS256"}, _payload(), b"secret", "HS256"),
    "header says RS256, HS256 signature": lambda: _raw(_HEADER, _payload(), _PUBLIC_BYTES, "HS256"),
    "RS384 (qlik.dev: must be RS256)": lambda: _raw({**_HEADER, "alg": "RS384"}, _payload(), PRIVATE_PEM, "RS384"),
    "RS512": lambda: _raw({**_HEADER, "alg": "RS512"}, _payload(), PRIVATE_PEM, "RS512"),
    "PS256": lambda: _raw({**_HEADER, "alg": "PS256"}, _payload(), PRIVATE_PEM, "PS256"),
    "wrong key": lambda: _raw(_HEADER, _payload(), OTHER_PRIVATE_PEM),
    "signature stripped": lambda: _raw(_HEADER, _payload()).rsplit(".", 1)[0] + ".",
    "payload swapped under a good signature": lambda: _raw(_HEADER, _payload()).split(".")[0] + "." + _b64(_payload(sub="admin").encode()) + "." + _raw(_HEADER, _payload()).split(".")[2],
    "kid missing": lambda: _raw({"alg": "RS256", "typ": "JWT"}, _payload()),
    "kid empty": lambda: _raw({**_HEADER, "kid": ""}, _payload()),
    "kid not a string": lambda: _raw({**_HEADER, "kid": 7}, _payload()),
    "kid unknown": lambda: _raw({**_HEADER, "kid": "other-kid"}, _payload()),
    "wrong issuer": lambda: _raw(_HEADER, _payload(iss="evil.example")),
    "issuer not a string": lambda: _raw(_HEADER, _payload(iss=[ISSUER])),
    "wrong audience": lambda: _raw(_HEADER, _payload(aud="qlik.api")),
    "audience list without ours": lambda: _raw(_HEADER, _payload(aud=["qlik.api", "other"])),
    "audience an object": lambda: _raw(_HEADER, _payload(aud={"a": JWT_AUDIENCE})),
    **{f"missing {c}": (lambda c=c: _raw(_HEADER, _payload(**{c: None}))) for c in ("sub", "subType", "name", "email", "email_verified", "iss", "aud", "iat", "nbf", "exp", "jti")},
    "subType client": lambda: _raw(_HEADER, _payload(subType="client")),
    "sub empty": lambda: _raw(_HEADER, _payload(sub="")),
    "sub a number": lambda: _raw(_HEADER, _payload(sub=42)),
    "email an object": lambda: _raw(_HEADER, _payload(email={"a": 1})),
    "jti a number": lambda: _raw(_HEADER, _payload(jti=17111234567)),
    "email_verified a string": lambda: _raw(_HEADER, _payload(email_verified="true")),
    "groups a string": lambda: _raw(_HEADER, _payload(groups="Customers")),
    "groups with a number": lambda: _raw(_HEADER, _payload(groups=["Customers", 1])),
    "expired": lambda: _raw(_HEADER, _payload(iat=_NOW - 600, nbf=_NOW - 600, exp=_NOW - 300)),
    "not valid yet (nbf)": lambda: _raw(_HEADER, _payload(iat=_NOW, nbf=_NOW + 600, exp=_NOW + 900)),
    "issued in the future (iat)": lambda: _raw(_HEADER, _payload(iat=_NOW + 600)),
    "window over one hour": lambda: _raw(_HEADER, _payload(iat=_NOW, nbf=_NOW, exp=_NOW + 3601)),
    "exp NaN": lambda: _raw(_HEADER, _payload(exp="=NaN")),
    "nbf NaN, exp in ten years": lambda: _raw(_HEADER, _payload(nbf="=NaN", exp=_NOW + 10 * 365 * 86400)),
    "iat NaN": lambda: _raw(_HEADER, _payload(iat="=NaN")),
    "exp Infinity": lambda: _raw(_HEADER, _payload(exp="=Infinity")),
    "nbf -Infinity": lambda: _raw(_HEADER, _payload(nbf="=-Infinity")),
    "iat 400 digits": lambda: _raw(_HEADER, _payload(iat=_HUGE)),
    "exp 400 digits": lambda: _raw(_HEADER, _payload(exp=_HUGE)),
    "nbf minus 400 digits": lambda: _raw(_HEADER, _payload(nbf="=-" + "9" * 400)),
    "exp 1e308": lambda: _raw(_HEADER, _payload(exp="=1e308")),
    "exp a string": lambda: _raw(_HEADER, _payload(exp=str(_NOW + 60))),
    "exp true": lambda: _raw(_HEADER, _payload(exp=True)),
    "nbf negative": lambda: _raw(_HEADER, _payload(nbf=-1)),
    "claims a JSON array": lambda: _raw(_HEADER, "[1, 2]"),
    "claims nested 4000 deep": lambda: _raw(_HEADER, "[" * 4000 + "]" * 4000),
    "header nested 4000 deep": lambda: f"{_b64(b'[' * 4000 + b']' * 4000)}.{_b64(_payload().encode())}.x",
    "claims not JSON": lambda: _raw(_HEADER, "{not json"),
    "header a JSON array": lambda: _raw(["RS256"], _payload()),
    "not a JWT": lambda: "not.a.jwt",
    "two parts": lambda: _raw(_HEADER, _payload()).rsplit(".", 1)[0],
    "empty bearer": lambda: "",
    "header not UTF-8": lambda: f"{_b64(bytes([255, 254]))}.{_b64(_payload().encode())}.{_b64(bytes([255]))}",
    "punctuation": lambda: "%%%.$$$.***",
}  # fmt: skip


def test_login__the_attack_matrix_is_refused_401_and_logs_no_one_in(customer: Customer) -> None:
    good = customer.login(_raw(_HEADER, _payload(iat=int(time.time()), nbf=int(time.time()))))
    assert good.status_code == 200, good.text  # the hand-made tokens are right when not tampered with
    mallory = customer.api.ok("GET", "/api/v1/users", params={"filter": 'subject eq "mallory"'})["data"][0]
    answers = {name: customer.login(make()) for name, make in ATTACKS.items()}
    assert len(answers) >= 60
    assert {n: a.status_code for n, a in answers.items() if a.status_code >= 500} == {}
    for name, answer in answers.items():
        assert answer.status_code == 401, f"{name}: {answer.text}"
        assert_qlik_error(answer, 401, "INTERNAL-TOKEN-1")
    users = customer.api.control.users(customer.api.id)
    assert [u.id for u in users if u.subject == "mallory"] == [mallory["id"]]
    assert all(u.subject != "admin" for u in users)  # the swapped payload's subject


def test_login__a_replayed_jti_is_refused_on_its_tenant_only(qlik: Qlik, control: EmulatorControl) -> None:
    first, second = Customer(TenantApi(qlik, control)), Customer(TenantApi(qlik, control))
    token = first.token()
    assert first.login(token).status_code == 200
    assert "already used" in assert_qlik_error(first.login(token), 401, "INTERNAL-TOKEN-1")["detail"]
    assert second.login(token).status_code == 200, "jti stores are per tenant"
    assert_qlik_error(second.login(token), 401, "INTERNAL-TOKEN-1")


def test_login__a_token_for_another_tenant_is_refused(
    qlik: Qlik, control: EmulatorControl, customer: Customer
) -> None:
    bare = TenantApi(qlik, control)  # no identity provider
    refused = qlik.request("POST", bare.host, "/login/jwt-session", token=customer.token("eve"))
    assert "no active JWT identity provider" in assert_qlik_error(refused, 401, "INTERNAL-TOKEN-1")["detail"]
    assert all(u.subject != "eve" for u in control.users(bare.id))


def test_login__never_as_a_bot_user_or_a_user_of_another_idp(customer: Customer) -> None:
    bot = customer.api.me()
    refused = customer.login(customer.token(bot["subject"], name="Pwned", email="pwned@evil.example"))
    assert "bot user" in assert_qlik_error(refused, 401, "INTERNAL-TOKEN-1")["detail"]
    after = customer.api.ok("GET", f"/api/v1/users/{bot['id']}")
    assert (after["name"], after.get("email")) == (bot["name"], bot.get("email"))

    alice = customer.me(customer.session())
    other_private, other_public = generate_rsa_key_pair()
    idp = {
        "provider": "external",
        "protocol": "jwtAuth",
        "options": {"issuer": "other-portal.example", "staticKeys": [{"kid": "k2", "pem": other_public}]},
    }
    customer.api.ok("POST", "/api/v1/identity-providers", 201, json=idp)
    claims = user_claims(
        issuer="other-portal.example", subject="alice", name="Not Alice", email="x@evil.example"
    )
    foreign = customer.login(sign_test_jwt(other_private, "k2", claims))
    assert "another identity provider" in assert_qlik_error(foreign, 401, "INTERNAL-TOKEN-1")["detail"]
    assert customer.api.ok("GET", f"/api/v1/users/{alice['id']}")["name"] == "Alice"
    # A new key under the same issuer (a rotation: a new IdP, then the old one deleted) still logs alice in.
    rotated = {**idp, "options": {"issuer": ISSUER, "staticKeys": [{"kid": "k3", "pem": other_public}]}}
    customer.api.ok("POST", "/api/v1/identity-providers", 201, json=rotated)
    claims = user_claims(issuer=ISSUER, subject="alice", name="Alice", email="alice@customer-a.example")
    assert customer.me(customer.session(sign_test_jwt(other_private, "k3", claims)))["id"] == alice["id"]


def test_login__only_a_verified_email_claims_an_invited_user(customer: Customer) -> None:
    body = {"subject": "idp-uuid", "email": "dana@customer-a.example", "name": "Dana"}
    invited = customer.api.ok("POST", "/api/v1/users", 201, json=body)
    unverified = customer.login(
        customer.token("mallory", email="dana@customer-a.example", email_verified=False)
    )
    assert "email_verified" in assert_qlik_error(unverified, 401, "INTERNAL-TOKEN-1")["detail"]
    assert customer.api.ok("GET", f"/api/v1/users/{invited['id']}")["status"] == "invited"
    dana = customer.me(customer.session(customer.token("dana")))
    assert (dana["id"], dana["status"]) == (invited["id"], "active")


def test_session__ends_when_its_user_is_disabled_or_deleted(customer: Customer) -> None:
    cookies = customer.session()
    alice = customer.me(cookies)
    disable = [{"op": "replace", "path": "/status", "value": "disabled"}]
    customer.api.ok("PATCH", f"/api/v1/users/{alice['id']}", 204, json=disable)
    assert "ended" in assert_qlik_error(customer.as_user(cookies, "GET", "/api/v1/spaces"), 401)["detail"]
    enable = [{"op": "replace", "path": "/status", "value": "active"}]
    customer.api.ok("PATCH", f"/api/v1/users/{alice['id']}", 204, json=enable)
    assert_qlik_error(customer.as_user(cookies, "GET", "/api/v1/spaces"), 401)  # the session stays ended

    cookies = customer.session()
    assert customer.as_user(cookies, "GET", "/api/v1/spaces").status_code == 200
    customer.api.ok("DELETE", f"/api/v1/users/{alice['id']}", 204)
    assert_qlik_error(customer.as_user(cookies, "GET", "/api/v1/spaces"), 401)
