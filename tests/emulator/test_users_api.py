"""The Users API on tenant hosts, against ``users.d.ts`` (``@qlik/api``): create, list, get, patch, delete,
invite, count, filter; TenantAdmin only for changes; the control plane's view and user activation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_qlik.emulator import EmulatorConfig, EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.world import parse_iso
from tests.spec_judge import judged_client

from .conftest import Qlik, assert_qlik_error


class TenantUsers:
    """One new tenant and its bot user's token; calls on its host."""

    def __init__(self, qlik: Qlik) -> None:
        self.qlik = qlik
        self.tenant = qlik.create_tenant()
        self.host = self.tenant["hostnames"][0]
        self.token = qlik.token(self.host)

    def call(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.qlik.request(method, self.host, path, token=token or self.token, **kwargs)

    def create(self, email: str, **body: Any) -> dict[str, Any]:
        payload = {"email": email, "subject": f"sub-{email}", "status": "invited", **body}
        response = self.call("POST", "/api/v1/users", json=payload)
        assert response.status_code == 201, response.text
        user: dict[str, Any] = response.json()
        return user

    def get(self, user_id: str) -> dict[str, Any]:
        response = self.call("GET", f"/api/v1/users/{user_id}")
        assert response.status_code == 200, response.text
        user: dict[str, Any] = response.json()
        return user

    def patch(self, user_id: str, ops: Any, token: str | None = None) -> httpx.Response:
        return self.call("PATCH", f"/api/v1/users/{user_id}", token=token, json=ops)

    def invite(self, *invitees: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.call("POST", "/api/v1/users/actions/invite", json={"invitees": list(invitees)})
        assert response.status_code == 207, response.text
        data: list[dict[str, Any]] = response.json()["data"]
        return data


@pytest.fixture
def users(qlik: Qlik) -> TenantUsers:
    return TenantUsers(qlik)


def test_create__201_invited_user_with_roles_by_name_and_id(users: TenantUsers) -> None:
    admin = users.create(
        "it@customer-a.example", name="Customer A IT", assignedRoles=[{"name": "TenantAdmin"}]
    )
    assert admin["status"] == "invited"
    assert admin["email"] == "it@customer-a.example"
    assert admin["name"] == "Customer A IT"
    assert admin["subject"] == "sub-it@customer-a.example"
    assert admin["tenantId"] == users.tenant["id"]
    assert [r["name"] for r in admin["assignedRoles"]] == ["TenantAdmin"]
    assert set(admin["assignedRoles"][0]) == {"id", "name", "type", "level"}
    assert admin["assignedRoles"][0]["level"] == "admin"
    assert "clientId" not in admin  # a person, not a bot user
    assert admin["links"]["self"]["href"] == f"https://{users.host}/api/v1/users/{admin['id']}"
    role_id = admin["assignedRoles"][0]["id"]
    by_id = users.create("dev@customer-a.example", assignedRoles=[{"id": role_id}])
    assert [r["name"] for r in by_id["assignedRoles"]] == ["TenantAdmin"]
    mixed = {
        "email": "mix@customer-a.example",
        "subject": "mix",
        "assignedRoles": [{"id": role_id}, {"name": "Developer"}],
    }
    assert "not a mix" in assert_qlik_error(users.call("POST", "/api/v1/users", json=mixed), 400)["detail"]
    assert by_id["name"] == "dev@customer-a.example"  # no name given: the email
    assert users.get(admin["id"]) == admin


def test_create__409_for_an_existing_email_any_case_or_subject(users: TenantUsers) -> None:
    users.create("it@customer-a.example")
    again = users.call("POST", "/api/v1/users", json={"email": "IT@Customer-A.example", "subject": "other"})
    assert assert_qlik_error(again, 409)["source"] == {"pointer": "/email"}
    same_subject = {"email": "new@customer-a.example", "subject": "sub-it@customer-a.example"}
    assert_qlik_error(users.call("POST", "/api/v1/users", json=same_subject), 409)


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"email": "a@b.example"}, "/subject"),
        ({"subject": "s"}, "/email"),
        ({"subject": "s", "email": "not-an-email"}, "/email"),
        ({"subject": "s", "email": "a@b.example", "status": "active"}, "/status"),
        (
            {"subject": "s", "email": "a@b.example", "assignedRoles": [{"name": "NoSuchRole"}]},
            "/assignedRoles/0",
        ),
        ({"subject": "s", "email": "a@b.example", "tenantId": "someone-else"}, "/tenantId"),
    ],
)
def test_create__400_names_the_field(users: TenantUsers, body: dict[str, Any], pointer: str) -> None:
    error = assert_qlik_error(users.call("POST", "/api/v1/users", json=body), 400)
    assert error["source"]["pointer"] == pointer
    assert users.call("GET", "/api/v1/users/actions/count").json() == {"total": 1}  # only the bot user


def test_list__email_and_subject_filters_paging_and_total(users: TenantUsers) -> None:
    created = [users.create(f"user{i}@example.com", name=f"User {i}") for i in range(5)]
    found = users.call("GET", "/api/v1/users", params={"email": "USER3@example.com"}).json()
    assert [u["id"] for u in found["data"]] == [created[3]["id"]]
    by_filter = users.call("GET", "/api/v1/users", params={"filter": 'subject eq "sub-user1@example.com"'})
    assert [u["id"] for u in by_filter.json()["data"]] == [created[1]["id"]]

    seen: list[str] = []
    page = users.call(
        "GET", "/api/v1/users", params={"limit": 2, "totalResults": "true", "status": "invited"}
    )
    body = page.json()
    assert body["totalResults"] == 5
    while True:
        seen += [u["id"] for u in body["data"]]
        if "next" not in body["links"]:
            break
        next_href = httpx.URL(body["links"]["next"]["href"])
        assert next_href.host == users.host
        body = users.call("GET", next_href.raw_path.decode()).json()
    assert seen == [u["id"] for u in created]  # sorted by name (+name), each once
    prev = httpx.URL(body["links"]["prev"]["href"])
    assert [u["name"] for u in users.call("GET", prev.raw_path.decode()).json()["data"]] == [
        "User 2",
        "User 3",
    ]


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "101"}, {"filter": '(email eq "a" or email eq "b"'}, {"sort": "+secret"}],
)
def test_list__bad_query_is_400_naming_the_parameter(users: TenantUsers, params: dict[str, str]) -> None:
    error = assert_qlik_error(users.call("GET", "/api/v1/users", params=params), 400)
    assert error["source"]["parameter"] == next(iter(params))


def test_filter_action_and_count(users: TenantUsers) -> None:
    users.create("a@example.com", name="Alice")
    users.create("b@example.com", name="Bob")
    response = users.call("POST", "/api/v1/users/actions/filter", json={"filter": 'name co "LIC"'})
    assert [u["name"] for u in response.json()["data"]] == ["Alice"]
    assert users.call("GET", "/api/v1/users/actions/count").json() == {"total": 3}


def _names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(u["name"] for u in response.json()["data"])


def _filter(users: TenantUsers, text: str) -> httpx.Response:
    return users.call("GET", "/api/v1/users", params={"filter": text})


@pytest.fixture
def people(users: TenantUsers, control: EmulatorControl) -> dict[str, dict[str, Any]]:
    """Alice (active), Bob (disabled), Carol (invited), on the tenant beside its bot user."""
    made = {
        name: users.create(f"{name.lower()}@example.com", name=name) for name in ("Alice", "Bob", "Carol")
    }
    control.activate_user(made["Alice"]["id"])
    control.activate_user(made["Bob"]["id"])
    assert (
        users.patch(
            made["Bob"]["id"], [{"op": "replace", "path": "/status", "value": "disabled"}]
        ).status_code
        == 204
    )
    return made


def test_filter__the_users_specs_examples_work(users: TenantUsers, people: dict[str, dict[str, Any]]) -> None:
    alice, bob, carol = people["Alice"]["id"], people["Bob"]["id"], people["Carol"]["id"]
    # getUsers' first example, with our ids
    text = f'(id eq "{alice}" or id eq "{carol}") and (status eq "active" or status eq "disabled")'
    assert _names(_filter(users, text)) == ["Alice"]
    # its second example: one query over several attributes
    text = 'name co "{q}" or email co "{q}" or subject co "{q}" or id eq "{q}" or assignedRoles.name eq "{q}"'
    assert _names(_filter(users, text.format(q="ali"))) == ["Alice"]
    assert _names(_filter(users, text.format(q=carol))) == ["Carol"]
    assert len(_names(_filter(users, text.format(q="TenantAdmin")))) == 1  # the bot user
    # the "Valid" example, and the "Invalid" one (status not grouped over the whole query)
    valid = '(name eq "Bob" or name eq "Alice") and (status eq "active" or status eq "disabled")'
    assert _names(_filter(users, valid)) == ["Alice", "Bob"]
    invalid = 'name eq "Bob" or name eq "Alice" and (status eq "active" or status eq "disabled")'
    error = assert_qlik_error(_filter(users, invalid), 400)
    assert error["source"] == {"parameter": "filter"}
    assert "grouped together" in error["detail"]
    # the filter action's example, in its body
    text = f'(id eq "{alice}" or id eq "{bob}") and (status eq "active" or status eq "deleted")'
    assert _names(users.call("POST", "/api/v1/users/actions/filter", json={"filter": text})) == ["Alice"]


def test_filter__not_and_precedence(users: TenantUsers, people: dict[str, dict[str, Any]]) -> None:
    humans = 'email co "example.com"'
    assert _names(_filter(users, f'{humans} and not (name eq "Bob")')) == ["Alice", "Carol"]
    assert _names(_filter(users, f'not name eq "Bob" and {humans}')) == ["Alice", "Carol"]
    # and binds tighter than or
    assert _names(_filter(users, 'name eq "Carol" or name eq "Alice" and name eq "Bob"')) == ["Carol"]
    assert _names(_filter(users, '(name eq "Carol" or name eq "Alice") and name eq "Bob"')) == []
    assert _names(_filter(users, 'NAME EQ "alice" OR Name Eq "BOB"')) == ["Alice", "Bob"]  # any case
    for bad in ['name eq "a" and', 'name eq "a")', "name eq a", 'name sw "a"', 'status co "act"', "()"]:
        assert assert_qlik_error(_filter(users, bad), 400)["source"] == {"parameter": "filter"}, bad


def test_filter_action__body_is_optional(users: TenantUsers, people: dict[str, dict[str, Any]]) -> None:
    everyone = _names(users.call("GET", "/api/v1/users"))
    assert len(everyone) == 4
    assert _names(users.call("POST", "/api/v1/users/actions/filter")) == everyone
    assert _names(users.call("POST", "/api/v1/users/actions/filter", json={})) == everyone
    assert_qlik_error(users.call("POST", "/api/v1/users/actions/filter", json=["x"]), 400)


def test_sort__invite_expiry(
    users: TenantUsers, people: dict[str, dict[str, Any]], control: EmulatorControl
) -> None:
    control.advance_clock(3600)
    dave = users.create("dave@example.com", name="Dave")
    carol = users.get(people["Carol"]["id"])
    assert dave["inviteExpiry"] - carol["inviteExpiry"] >= 3600  # the clock moved an hour (and real time on)
    created = parse_iso(carol["createdAt"]).timestamp()
    assert carol["inviteExpiry"] == int(created) + 7 * 86400  # a week, as the spec's example
    assert "inviteExpiry" not in users.get(people["Alice"]["id"])  # active: no pending invitation
    ascending = users.call("GET", "/api/v1/users", params={"sort": "+inviteExpiry"}).json()["data"]
    assert [u["name"] for u in ascending[:2]] == ["Carol", "Dave"]
    descending = users.call("GET", "/api/v1/users", params={"sort": "-inviteExpiry"}).json()["data"]
    assert [u["name"] for u in descending if "inviteExpiry" in u] == ["Dave", "Carol"]
    control.advance_clock(60)
    assert users.invite({"email": "carol@example.com", "resend": True})[0]["status"] == "ok"
    renewed = users.get(carol["id"])
    assert renewed["inviteExpiry"] >= carol["inviteExpiry"] + 3660  # renewed, a week after the resend
    assert renewed["inviteExpiry"] == int(parse_iso(renewed["lastUpdatedAt"]).timestamp()) + 7 * 86400


def test_patch__name_and_roles_in_place_204(users: TenantUsers) -> None:
    user = users.create("it@example.com", assignedRoles=[{"name": "TenantAdmin"}])
    ops = [
        {"op": "replace", "path": "/name", "value": "IT Admins"},
        {
            "op": "replace",
            "path": "/assignedRoles",
            "value": [{"name": "AnalyticsAdmin"}, {"name": "DataAdmin"}],
        },
    ]
    response = users.patch(user["id"], ops)
    assert response.status_code == 204
    assert response.content == b""
    after = users.get(user["id"])
    assert after["name"] == "IT Admins"
    assert [r["name"] for r in after["assignedRoles"]] == ["AnalyticsAdmin", "DataAdmin"]
    assert after["id"] == user["id"]
    assert after["subject"] == user["subject"]
    users.patch(user["id"], [{"op": "add", "path": "/assignedRoles", "value": [{"name": "Developer"}]}])
    users.patch(
        user["id"], [{"op": "remove-value", "path": "/assignedRoles", "value": [{"name": "DataAdmin"}]}]
    )
    assert [r["name"] for r in users.get(user["id"])["assignedRoles"]] == ["AnalyticsAdmin", "Developer"]


@pytest.mark.parametrize(
    ("op", "pointer"),
    [
        ({"op": "replace", "path": "/assignedRoles", "value": [{"name": "Wizard"}]}, "/1/value/0"),
        ({"op": "replace", "path": "/name", "value": ""}, "/1/value"),
        ({"op": "replace", "path": "/email", "value": "x@y.example"}, "/1"),
        ({"op": "replace", "path": "/status", "value": "deleted"}, "/1/value"),
    ],
)
def test_patch__400_all_or_nothing(users: TenantUsers, op: dict[str, Any], pointer: str) -> None:
    user = users.create("it@example.com")
    ops = [{"op": "replace", "path": "/name", "value": "changed"}, op]
    error = assert_qlik_error(users.patch(user["id"], ops), 400)
    assert error["source"]["pointer"] == pointer
    if "Wizard" in str(op):
        assert "unknown role 'Wizard'" in error["detail"]
    assert users.get(user["id"])["name"] == user["name"]


def test_delete__204_then_404(users: TenantUsers) -> None:
    user = users.create("it@example.com")
    response = users.call("DELETE", f"/api/v1/users/{user['id']}")
    assert response.status_code == 204
    assert_qlik_error(users.call("GET", f"/api/v1/users/{user['id']}"), 404, "USERS-7")
    assert_qlik_error(users.call("DELETE", f"/api/v1/users/{user['id']}"), 404, "USERS-7")


def test_invite__207_per_invitee_and_activation(users: TenantUsers, control: EmulatorControl) -> None:
    created = users.create("it@example.com", name="IT")
    results = users.invite({"email": "it@example.com"}, {"email": "new@example.com", "name": "New Person"})
    assert results[0] == {
        "email": "it@example.com",
        "status": "exists",
        "subject": created["subject"],
        "userId": created["id"],
    }
    assert results[1]["status"] == "ok"
    fresh = users.get(results[1]["userId"])
    assert (fresh["status"], fresh["name"], fresh["subject"]) == (
        "invited",
        "New Person",
        results[1]["subject"],
    )
    assert users.invite({"email": "it@example.com", "resend": True})[0]["status"] == "ok"
    sent = {u.email: u.invites_sent for u in control.users(users.tenant["id"])}
    assert sent == {None: 0, "it@example.com": 1, "new@example.com": 1}

    activated = control.activate_user(created["id"])
    assert activated.status == "active"
    assert users.get(created["id"])["status"] == "active"
    assert users.invite({"email": "it@example.com", "resend": True})[0] == {
        "email": "it@example.com",
        "status": "error",
        "code": 1001,
        "title": "Active User",
    }
    assert_qlik_error(users.call("POST", "/api/v1/users/actions/invite", json={"invitees": []}), 400)


def test_only_a_tenant_admin_manages_users(users: TenantUsers, control: EmulatorControl) -> None:
    second = control.add_client("us", name="Second client")
    token = users.qlik.token_response(users.host, second.client_id, second.client_secret).json()[
        "access_token"
    ]
    me_path = httpx.URL(users.call("GET", "/api/v1/users/me", token=token).headers["location"]).path
    me = users.call("GET", me_path, token=token).json()
    assert [r["name"] for r in me["assignedRoles"]] == ["TenantAdmin"]
    demote = [{"op": "replace", "path": "/assignedRoles", "value": [{"name": "Developer"}]}]
    assert users.patch(me["id"], demote).status_code == 204

    body = {"email": "x@example.com", "subject": "x"}
    for method, path, payload in [
        ("POST", "/api/v1/users", body),
        ("POST", "/api/v1/users/actions/invite", {"invitees": [{"email": "x@example.com"}]}),
        ("PATCH", f"/api/v1/users/{me['id']}", [{"op": "replace", "path": "/name", "value": "x"}]),
        ("DELETE", f"/api/v1/users/{me['id']}", None),
    ]:
        assert_qlik_error(users.call(method, path, token=token, json=payload), 403, "HTTP-403")
    assert users.call("GET", "/api/v1/users", token=token).status_code == 200  # reading stays allowed


def test_users_are_per_tenant_and_need_a_tenant_host(users: TenantUsers) -> None:
    user = users.create("it@example.com")
    other = TenantUsers(users.qlik)
    assert_qlik_error(other.call("GET", f"/api/v1/users/{user['id']}"), 404, "USERS-7")
    assert other.call("GET", "/api/v1/users", params={"email": "it@example.com"}).json()["data"] == []
    register = users.qlik.region().register_host
    listing = users.qlik.request("GET", register, "/api/v1/users", token=users.qlik.token(register))
    assert_qlik_error(listing, 404)


def test_invited_users_survive_a_restart_with_a_state_file(tmp_path: Path) -> None:
    state = tmp_path / "emulator.json"
    with EmulatorServer(EmulatorConfig(state_file=state)) as first, judged_client(base_url=first.url) as http:
        users = TenantUsers(Qlik(http, first.world))
        created = users.create("it@example.com", name="IT", assignedRoles=[{"name": "TenantAdmin"}])
        users.invite({"email": "it@example.com", "resend": True})
        tenant_id = users.tenant["id"]
    with EmulatorServer(EmulatorConfig(state_file=state)) as second, EmulatorControl(second.url) as control:
        [person] = [u for u in control.users(tenant_id) if u.client_id is None]
        assert (person.id, person.email, person.name, person.roles, person.status, person.invites_sent) == (
            created["id"],
            "it@example.com",
            "IT",
            ["TenantAdmin"],
            "invited",
            1,
        )
