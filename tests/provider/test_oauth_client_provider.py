"""`QlikOAuthClient` in-process against the emulator: the secret Qlik shows once reaches the state, works on its own
tenant only, rotates without downtime, respects Qlik's limit, and never shows in a log or an error."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.models import MAX_CLIENT_SECRETS
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.resources.oauth_client import QlikOAuthClientProvider

from .children import configured, create, new_tenant, update

pytestmark = pytest.mark.provider


@pytest.fixture
def provider(emulator: EmulatorServer) -> Iterator[QlikOAuthClientProvider]:
    with configured(QlikOAuthClientProvider, emulator) as provider:
        yield provider


@pytest.fixture
def tenant(emulator: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    with new_tenant(emulator) as made:
        yield made


def _inputs(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Acme backend",
        "app_type": "web",
        "allowed_grant_types": ["client_credentials"],
        **overrides,
    }


def _token_status(emulator: EmulatorServer, host: str, client_id: str, secret: str) -> int:
    """What the tenant's `/oauth/token` answers the client, as its backend would ask."""
    body = {"client_id": client_id, "client_secret": secret, "grant_type": "client_credentials"}
    response = httpx.post(f"{emulator.url}/oauth/token", json=body, headers={"Host": host}, timeout=10)
    return response.status_code


def _call_status(emulator: EmulatorServer, host: str, client_id: str, secret: str) -> int:
    body = {"client_id": client_id, "client_secret": secret, "grant_type": "client_credentials"}
    token = httpx.post(f"{emulator.url}/oauth/token", json=body, headers={"Host": host}, timeout=10)
    if token.status_code != 200:
        return token.status_code
    bearer = {"Host": host, "Authorization": f"Bearer {token.json()['access_token']}"}
    return httpx.get(f"{emulator.url}/api/v1/spaces", headers=bearer, timeout=10).status_code


def test_check__bad_inputs_each_name_the_field_and_the_fix(provider: QlikOAuthClientProvider) -> None:
    host = "abcdefghijklmno.us.qlikcloud.com"
    cases = {
        "app_type": _inputs(app_type="backend"),
        "allowed_grant_types": _inputs(allowed_grant_types=["password"]),
        "redirect_uris": _inputs(redirect_uris=["http://portal.example.com/cb"]),
        "allowed_origins": _inputs(allowed_origins=["https://portal.example.com/path"]),
        "scopes": _inputs(scopes=["User Default"]),
        "secret_rotation": _inputs(secret_rotation=["2026"]),
        "name": _inputs(name=""),
    }
    for field, inputs in cases.items():
        failures = provider.check({}, {"tenant_hostname": host, **inputs}).failures
        assert [f.property for f in failures] == [field], (field, failures)
        assert failures[0].reason.startswith(f"{field}: ")
    spa = provider.check({}, {"tenant_hostname": host, **_inputs(app_type="spa")}).failures
    assert {f.property for f in spa} == {"allowed_grant_types", "redirect_uris"}
    assert "cannot use client_credentials" in next(
        f.reason for f in spa if f.property == "allowed_grant_types"
    )


def test_create__the_secret_is_in_the_state_and_works_on_its_own_tenant_only(
    provider: QlikOAuthClientProvider, tenant: tuple[QlikClient, str, str], emulator: EmulatorServer
) -> None:
    qlik, host, _ = tenant
    state = create(provider, {"tenant_hostname": host, **_inputs()})
    secret = state["client_secret"]
    assert isinstance(secret, str)
    assert len(secret) > 16
    assert state["secret_hint"]
    assert _call_status(emulator, host, state["id"], secret) == 200
    with new_tenant(emulator) as (_, other_host, _):
        assert _token_status(emulator, other_host, state["id"], secret) == 401
    refreshed = provider.read(state["id"], state)
    assert refreshed.outs is not None
    assert refreshed.outs["client_secret"] == secret, "a refresh keeps the secret Qlik shows only once"
    assert qlik.get_oauth_client(host, state["id"]).client_name == "Acme backend"


def test_rotation__new_secret_first_the_previous_stays_valid_until_the_next_rotation(
    provider: QlikOAuthClientProvider, tenant: tuple[QlikClient, str, str], emulator: EmulatorServer
) -> None:
    _, host, _ = tenant
    first = create(provider, {"tenant_hostname": host, **_inputs(secret_rotation="1")})
    second = update(provider, first, {"tenant_hostname": host, **_inputs(secret_rotation="2")})
    assert second["client_secret"] != first["client_secret"]
    assert second["previous_secret_hint"] == first["secret_hint"]
    assert _call_status(emulator, host, first["id"], first["client_secret"]) == 200, "still valid"
    assert _call_status(emulator, host, first["id"], second["client_secret"]) == 200
    third = update(provider, second, {"tenant_hostname": host, **_inputs(secret_rotation="3")})
    assert _token_status(emulator, host, first["id"], first["client_secret"]) == 401, "deleted at the next"
    assert _call_status(emulator, host, first["id"], second["client_secret"]) == 200
    assert _call_status(emulator, host, first["id"], third["client_secret"]) == 200


def test_rotation__qlik_s_secret_limit_is_one_clear_error(
    provider: QlikOAuthClientProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    state = create(provider, {"tenant_hostname": host, **_inputs(secret_rotation="1")})
    for _ in range(MAX_CLIENT_SECRETS - 1):
        qlik.create_oauth_client_secret(host, state["id"])
    with pytest.raises(
        QlikError, match=rf"already has {MAX_CLIENT_SECRETS}, Qlik's limit.*Delete the secrets"
    ):
        update(provider, state, {"tenant_hostname": host, **_inputs(secret_rotation="2")})


def test_adopted_client__gets_a_secret_of_its_own(
    provider: QlikOAuthClientProvider, tenant: tuple[QlikClient, str, str], emulator: EmulatorServer
) -> None:
    _, host, _ = tenant
    create(provider, {"tenant_hostname": host, **_inputs()})
    adopted = create(provider, {"tenant_hostname": host, **_inputs(adopt_existing=True)})
    assert _call_status(emulator, host, adopted["id"], adopted["client_secret"]) == 200


def test_the_secret_never_reaches_a_log_or_an_error(
    provider: QlikOAuthClientProvider,
    tenant: tuple[QlikClient, str, str],
    control: EmulatorControl,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, host, _ = tenant
    caplog.set_level(logging.DEBUG)
    state = create(provider, {"tenant_hostname": host, **_inputs(secret_rotation="a")})
    rotated = update(provider, state, {"tenant_hostname": host, **_inputs(secret_rotation="b")})
    control.add_fault("error", method="GET", host=host, path="/api/v1/oauth-clients/*", status=500, count=20)
    try:
        with pytest.raises(QlikError) as raised:
            update(provider, rotated, {"tenant_hostname": host, **_inputs(secret_rotation="c")})
    finally:
        control.clear_faults()
    for secret in (state["client_secret"], rotated["client_secret"]):
        assert secret not in caplog.text
        assert secret not in str(raised.value)
        assert secret not in repr(raised.value)


def test_replace__a_new_app_type_deletes_the_old_client_first_a_new_tenant_makes_the_new_one_first(
    provider: QlikOAuthClientProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    """The replacement keeps the name: made first, it would find the old client by name and refuse."""
    qlik, host, _ = tenant
    state = create(provider, {"tenant_hostname": host, **_inputs()})
    spa = {"tenant_hostname": host, **_inputs(app_type="spa", allowed_grant_types=None,
                                              redirect_uris=["https://portal.example.com/cb"])}  # fmt: skip
    checked = provider.check(state, spa).inputs
    diff = provider.diff(state["id"], state, checked)
    assert (diff.replaces, diff.delete_before_replace) == (["app_type"], True)
    provider.delete(state["id"], state)
    replacement = create(provider, spa)
    assert [c.client_id for c in qlik.list_oauth_clients(host)] == [replacement["id"]]
    moved = provider.diff(
        state["id"],
        state,
        provider.check(state, {**_inputs(), "tenant_hostname": "x" * 15 + ".us.qlikcloud.com"}).inputs,
    )
    assert (moved.replaces, moved.delete_before_replace) == (["tenant_hostname"], False)
