"""QlikUserProvider's check/diff rules, and its calls against the emulator where the engine tests don't go:
adoption refusals, roll-back of a failed invite, delete and read when the tenant is deactivated or gone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.output import Unknown

from pulumi_qlik.client import AuthenticationError, QlikClient, QlikError, TokenCache, retry
from pulumi_qlik.client.models import CreateUserRequest
from pulumi_qlik.config import load_settings
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.engine.object_provider import INCOMPLETE
from pulumi_qlik.engine.tenant_child import AlreadyExistsError, TenantDeactivatedError
from pulumi_qlik.resources.user import QlikUserProvider

from .conftest import provider_config

HOST = "abcdefghijklmno.us.qlikcloud.com"


def _inputs(**overrides: Any) -> dict[str, Any]:
    return {"tenant_hostname": HOST, "email": "it@example.com", "roles": ["TenantAdmin"], **overrides}


def _provider(settings: dict[str, Any] | None = None) -> QlikUserProvider:
    provider = QlikUserProvider()
    provider._settings = load_settings(settings or {}, environ={})
    return provider


# --- check and diff (no Qlik) -----------------------------------------------------------------------------


def test_check__normalises_hostname_email_and_roles() -> None:
    result = _provider().check(
        {},
        _inputs(
            tenant_hostname=" ABCDEFGHIJKLMNO.US.qlikcloud.com ",
            email="IT@Example.com",
            roles=["TenantAdmin", "AnalyticsAdmin", "TenantAdmin"],
        ),
    )
    assert result.failures == []
    assert result.inputs["tenant_hostname"] == HOST
    assert result.inputs["email"] == "it@example.com"
    assert result.inputs["roles"] == ["AnalyticsAdmin", "TenantAdmin"]
    assert result.inputs["send_invite"] is True


def test_check__unknown_values_pass_through_and_known_ones_are_still_checked() -> None:
    unknown = Unknown()
    result = _provider().check({}, _inputs(tenant_hostname=unknown, email="not-an-email"))
    assert isinstance(result.inputs["tenant_hostname"], Unknown)
    assert [(f.property, f.reason.split(":")[0]) for f in result.failures] == [("email", "email")]


@pytest.mark.parametrize(
    ("overrides", "field", "fix"),
    [
        (
            {"tenant_hostname": "https://x.us.qlikcloud.com/"},
            "tenant_hostname",
            "<name>.<region>.qlikcloud.com",
        ),
        ({"tenant_hostname": None}, "tenant_hostname", "tenant_hostname=tenant.hostname"),
        ({"email": None}, "email", "it@example.com"),
        ({"roles": "TenantAdmin"}, "roles", '["TenantAdmin"]'),
        ({"roles": ["Tenant/Admin"]}, "roles", "TenantAdmin"),
        ({"name": "  "}, "name", "left unset"),
        ({"send_invite": "yes"}, "send_invite", "true or false"),
    ],
)
def test_check__bad_input_names_the_field_and_the_fix(
    overrides: dict[str, Any], field: str, fix: str
) -> None:
    [failure] = _provider().check({}, _inputs(**overrides)).failures
    assert failure.property == field
    assert failure.reason.startswith(f"{field}: ")
    assert fix in failure.reason


def _olds(**overrides: Any) -> dict[str, Any]:
    return {
        **_inputs(),
        "name": "IT",
        "subject": "it@example.com",
        "assigned_roles": ["TenantAdmin"],
        "user_id": "u1",
        **overrides,
    }


@pytest.mark.parametrize(
    ("news", "replaces", "changes"),
    [
        (_inputs(), [], False),
        (_inputs(name="IT"), [], False),
        (_inputs(name="IT team"), [], True),
        (_inputs(roles=["AnalyticsAdmin", "TenantAdmin"]), [], True),
        (_inputs(email="ops@example.com"), ["email"], True),
        (_inputs(subject="idp|1"), ["subject"], True),
        (
            _inputs(tenant_hostname=Unknown()),
            [],
            True,
        ),  # its tenant is updating: in place in the plan, `up` diffs again
        (_inputs(tenant_hostname="other0000000000.us.qlikcloud.com"), ["tenant_hostname"], True),
        (_inputs(roles=[Unknown()]), [], True),
    ],
)
def test_diff(news: dict[str, Any], replaces: list[str], changes: bool) -> None:
    result = _provider().diff("u1", _olds(), news)
    assert result.replaces == replaces
    assert result.changes is changes
    assert result.delete_before_replace is True  # else a new user with the same email would adopt the old one


# --- against the emulator ---------------------------------------------------------------------------------


@pytest.fixture
def tenant(emulator: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    """(client, hostname, tenant id) of a new tenant."""
    us = emulator.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        key = qlik.get_license_overview(us.source_tenant).license_key
        created = qlik.create_tenant(us.register_host, license_key=key)
        assert created.hostname is not None
        yield qlik, created.hostname, created.id


@pytest.fixture
def provider(emulator: EmulatorServer) -> Iterator[QlikUserProvider]:
    provider = QlikUserProvider()
    provider.configure(ConfigureRequest(config=Config(provider_config(emulator), "test")))
    yield provider
    provider.close()


def _create(provider: QlikUserProvider, host: str, **overrides: Any) -> dict[str, Any]:
    checked = provider.check({}, _inputs(tenant_hostname=host, name="IT", **overrides))
    assert checked.failures == []
    result = provider.create(checked.inputs)
    assert result.outs is not None
    return {**result.outs, "id": result.id}


def test_create__existing_user_needs_adopt_existing__and_a_differing_subject_is_refused_even_then(
    provider: QlikUserProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    existing = qlik.create_user(host, CreateUserRequest(subject="idp|7", email="it@example.com"))
    with pytest.raises(
        AlreadyExistsError,
        match=rf"user 'it@example.com' already exists .*'{existing.id}'.*adopt_existing=True",
    ):
        _create(provider, host)  # someone else's user: never taken silently
    with pytest.raises(QlikError, match=r"already exists on .* with subject 'idp\|7', not 'other'"):
        _create(provider, host, subject="other", adopt_existing=True)
    assert qlik.get_user(host, existing.id).subject == "idp|7"  # untouched
    adopted = _create(provider, host, adopt_existing=True)
    assert (adopted["id"], adopted["subject"]) == (existing.id, "idp|7")


def test_create__failed_invite_removes_the_user_it_added(
    provider: QlikUserProvider, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    _, host, tenant_id = tenant
    control.add_fault("error", path="/api/v1/users/actions/invite", status=403, code="HTTP-403")
    with pytest.raises(QlikError, match="403"):
        _create(provider, host)
    assert [u.email for u in control.users(tenant_id) if u.client_id is None] == []


def test_delete_and_read__a_deactivated_tenant_keeps_its_users_and_refuses_the_delete__a_purged_one_took_them(
    provider: QlikUserProvider, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    qlik, host, tenant_id = tenant
    state = _create(provider, host)
    assert (state["status"], state["invite_status"], state["assigned_roles"]) == (
        "invited",
        "ok",
        ["TenantAdmin"],
    )
    control.deactivate_tenant(tenant_id)
    assert provider.read(state["id"], state).id == state["id"]  # still there, behind the deactivation
    with pytest.raises(
        TenantDeactivatedError, match=r"deactivated.*Nothing was deleted.*pulumi state delete"
    ):
        provider.delete(state["id"], state)  # the user would be back with a reactivation
    control.reactivate_tenant(tenant_id)
    assert qlik.get_user(host, state["id"]).email == "it@example.com"
    control.deactivate_tenant(tenant_id)
    control.purge_tenant(tenant_id)
    assert provider.read(state["id"], state).id == ""  # gone with its tenant
    provider.delete(state["id"], state)


def test_delete__an_already_deleted_user_is_done(
    provider: QlikUserProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    state = _create(provider, host)
    qlik.delete_user(host, state["id"])
    assert provider.read(state["id"], state).id == ""
    provider.delete(state["id"], state)


def test_read_and_delete__an_unknown_host_alone_does_not_make_a_user_gone(
    provider: QlikUserProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    """Only the register host may say the tenant is gone: a wrong host must not drop or 'delete' the user."""
    _, host, _ = tenant
    state = _create(provider, host)
    elsewhere = {**state, "tenant_hostname": "nosuchtenant000.us.qlikcloud.com"}
    with pytest.raises(AuthenticationError, match="LOGIN-2"):
        provider.read(state["id"], elsewhere)
    with pytest.raises(AuthenticationError, match="LOGIN-2"):
        provider.delete(state["id"], elsewhere)
    assert provider.read(state["id"], state).id == state["id"]


@pytest.fixture
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry.RetryPolicy, "backoff", lambda _self, _attempt: 0.0)


def _people(control: EmulatorControl, tenant_id: str) -> list[Any]:
    return [u for u in control.users(tenant_id) if u.client_id is None]


def _next_up(provider: QlikUserProvider, state: dict[str, Any]) -> dict[str, Any]:
    """The next `up` with the same program: its diff must see the incomplete create, its update completes it."""
    checked = provider.check(state, _inputs(tenant_hostname=state["tenant_hostname"], name="IT"))
    assert checked.failures == []
    diff = provider.diff(state["id"], state, checked.inputs)
    assert (diff.changes, diff.replaces) == (True, [])
    outs = provider.update(state["id"], state, checked.inputs).outs
    assert outs is not None
    done = {**outs, "id": state["id"]}
    assert provider.diff(state["id"], done, checked.inputs).changes is False  # then a clean preview
    return done


@pytest.mark.usefixtures("_no_backoff")
def test_create__invitation_sent_then_read_back_fails__user_recorded_incomplete__next_up_never_invites_twice(
    provider: QlikUserProvider, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    """The invite answered `ok` (email sent): whatever fails next, the person's user is never deleted, and the
    next `up` completes the state without a second email."""
    _, host, tenant_id = tenant
    control.add_fault("error", method="GET", host=host, path="/api/v1/users/{id}", status=500, count=6)
    state = _create(provider, host)
    control.clear_faults()
    [person] = _people(control, tenant_id)
    assert (state["id"], state["invite_status"], state[INCOMPLETE]) == (person.id, "ok", True)
    assert person.invites_sent == 1

    done = _next_up(provider, state)
    assert (done["invite_status"], done["status"], done.get(INCOMPLETE)) == ("ok", "invited", None)
    [person] = _people(control, tenant_id)
    assert person.invites_sent == 1


@pytest.mark.usefixtures("_no_backoff")
def test_create__invite_answer_lost__user_recorded_incomplete__next_up_sends_the_invitation(
    provider: QlikUserProvider,
    tenant: tuple[QlikClient, str, str],
    control: EmulatorControl,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No answer to the invite: the email may be out, so the user stays and is recorded (with a warning);
    the next `up` sends the invitation (`resend`) and completes the state: one user, never a duplicate."""
    _, host, tenant_id = tenant
    invite = "/api/v1/users/actions/invite"
    control.add_fault("drop", host=host, path=invite, count=6, before_handler=False)
    state = _create(provider, host)
    control.clear_faults()
    [kept] = _people(control, tenant_id)
    assert (state["id"], state[INCOMPLETE], state.get("invite_status")) == (kept.id, True, None)
    assert kept.invites_sent == 1, "the emulator sent the email although its answer was lost (never re-sent)"
    assert (
        f"user 'it@example.com' is on {host} (id {kept.id}), but a later step of its create failed"
        in caplog.text
    )

    done = _next_up(provider, state)
    assert (done["id"], done["invite_status"], done.get(INCOMPLETE)) == (kept.id, "ok", None)
    [person] = _people(control, tenant_id)
    assert (person.id, person.invites_sent) == (kept.id, 2)


@pytest.mark.usefixtures("_no_backoff")
def test_create__invite_answer_lost__a_refresh_before_the_next_up_keeps_it_incomplete__invitation_sent(
    provider: QlikUserProvider, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    """`pulumi up --refresh` (or a refresh first): the read must not drop what the next `up` has to finish."""
    _, host, tenant_id = tenant
    control.add_fault("drop", host=host, path="/api/v1/users/actions/invite", count=6, before_handler=False)
    state = _create(provider, host)
    control.clear_faults()
    read = provider.read(state["id"], state)
    assert read.outs is not None
    refreshed = {**read.outs, "id": read.id}
    assert refreshed[INCOMPLETE] is True

    done = _next_up(provider, refreshed)
    assert (done["invite_status"], done.get(INCOMPLETE)) == ("ok", None)
    [person] = _people(control, tenant_id)
    assert person.invites_sent == 2  # the lost one, then the one the next `up` sent


@pytest.mark.parametrize("status", [401, 403])
def test_read_and_delete__deactivated_tenant_refuses_with_a_plain_status__kept__delete_refused(
    provider: QlikUserProvider, tenant: tuple[QlikClient, str, str], control: EmulatorControl, status: int
) -> None:
    """Not the emulator's chosen code: the register host's status says the tenant is deactivated."""
    qlik, host, tenant_id = tenant
    state = _create(provider, host)
    control.deactivate_tenant(tenant_id)
    control.add_fault("error", host=host, status=status, code=f"HTTP-{status}", count=20)
    try:
        assert provider.read(state["id"], state).id == state["id"]
        with pytest.raises(TenantDeactivatedError, match="Nothing was deleted"):
            provider.delete(state["id"], state)
    finally:
        control.clear_faults()
    control.reactivate_tenant(tenant_id)
    assert qlik.get_user(host, state["id"]).id == state["id"]  # kept, as the error said


def test_an_incomplete_user_knows_its_tenant__so_a_deactivated_tenant_keeps_it_and_refuses_its_delete(
    provider: QlikUserProvider, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    """A create recorded incomplete (the invite's answer lost) still records the tenant's id: the register host
    can then be asked, and the deactivated-tenant rule holds for it like for any other user."""
    _, host, tenant_id = tenant
    control.add_fault("drop", host=host, path="/api/v1/users/actions/invite", count=6, before_handler=False)
    state = _create(provider, host)
    control.clear_faults()
    assert (state[INCOMPLETE], state["tenant_id"]) == (True, tenant_id)
    control.deactivate_tenant(tenant_id)
    assert provider.read(state["id"], state).id == state["id"]
    with pytest.raises(TenantDeactivatedError, match="Nothing was deleted"):
        provider.delete(state["id"], state)
