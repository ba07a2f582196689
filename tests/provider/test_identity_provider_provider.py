"""QlikIdentityProviderProvider in-process: check/diff rules (what replaces, and in which order), then create,
update in place, adopt, refresh after out-of-band change and delete, and delete on a gone tenant, against the
emulator."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pulumi.output import Unknown

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.models import (
    CreateJWTIdentityProviderRequest,
    IdentityProviderPatchOperation,
    JWTAuthOptions,
    StaticKey,
)
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair, sign_test_jwt, user_claims
from pulumi_qlik.engine.tenant_child import AlreadyExistsError, TenantDeactivatedError
from pulumi_qlik.resources.group import QlikGroupProvider
from pulumi_qlik.resources.identity_provider import QlikIdentityProviderProvider
from pulumi_qlik.resources.identity_provider_inputs import normalise_pem

from .children import HOST, configured, create, new_tenant, update

PRIVATE_PEM, PUBLIC_PEM = generate_rsa_key_pair()
_, OTHER_PUBLIC_PEM = generate_rsa_key_pair()
ISSUER = "https://portal.customer-a.example"


def _inputs(**overrides: Any) -> dict[str, Any]:
    return {"tenant_hostname": HOST, "issuer": ISSUER, "key_id": "k1", "public_key": PUBLIC_PEM, **overrides}


@pytest.fixture(scope="module")
def provider(emulator: EmulatorServer) -> Iterator[QlikIdentityProviderProvider]:
    with configured(QlikIdentityProviderProvider, emulator) as provider:
        yield provider


@pytest.fixture
def tenant(emulator: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    with new_tenant(emulator) as tenant:
        yield tenant


# --- check and diff (no Qlik) -----------------------------------------------------------------------------


def test_check__defaults_and_one_spelling_of_the_key() -> None:
    one_line = PUBLIC_PEM.replace("\n", "")
    result = QlikIdentityProviderProvider().check({}, _inputs(public_key=one_line + "\r\n"))
    assert result.failures == []
    assert result.inputs["public_key"] == normalise_pem(PUBLIC_PEM)
    assert result.inputs["clock_tolerance_seconds"] == 5
    assert result.inputs["adopt_existing"] is False


def test_check__unknowns_pass_through() -> None:
    result = QlikIdentityProviderProvider().check(
        {}, _inputs(tenant_hostname=Unknown(), public_key=Unknown())
    )
    assert result.failures == []
    assert isinstance(result.inputs["public_key"], Unknown)


@pytest.mark.parametrize(
    ("overrides", "field", "fix"),
    [
        ({"tenant_hostname": "portal.example.com"}, "tenant_hostname", "<name>.<region>.qlikcloud.com"),
        ({"issuer": ""}, "issuer", 'issuer="https://portal.example.com"'),
        ({"issuer": "my portal"}, "issuer", "no spaces"),
        ({"key_id": None}, "key_id", 'key_id="portal-2026"'),
        ({"public_key": "ssh-rsa AAAA"}, "public_key", "-----BEGIN PUBLIC KEY-----"),
        (
            {"public_key": "-----BEGIN PUBLIC KEY-----\n!!notbase64!!\n-----END PUBLIC KEY-----"},
            "public_key",
            "not base64",
        ),
        ({"clock_tolerance_seconds": 9000}, "clock_tolerance_seconds", "between 0 and 7200"),
        ({"clock_tolerance_seconds": 1.5}, "clock_tolerance_seconds", "whole number"),
        ({"description": "x" * 129}, "description", "at most 128"),
        ({"adopt_existing": 1}, "adopt_existing", "true or false"),
    ],
)
def test_check__bad_input_names_the_field_and_the_fix(
    overrides: dict[str, Any], field: str, fix: str
) -> None:
    [failure] = QlikIdentityProviderProvider().check({}, _inputs(**overrides)).failures
    assert failure.property == field
    assert failure.reason.startswith(f"{field}: ")
    assert fix in failure.reason


def test_check__a_private_key_is_refused_and_never_quoted() -> None:
    [failure] = QlikIdentityProviderProvider().check({}, _inputs(public_key=PRIVATE_PEM)).failures
    assert failure.property == "public_key"
    assert "is a private key: give only the public half" in failure.reason
    body = PRIVATE_PEM.splitlines()[1]
    assert body not in failure.reason


def test_check__a_secret_description_is_hidden_from_failures() -> None:
    inputs = _inputs(description="x" * 200, tenant_hostname="bad host", secret_inputs=["description"])
    failures = QlikIdentityProviderProvider().check({}, inputs).failures
    assert "x" * 200 not in str([f.reason for f in failures])


def _state(**overrides: Any) -> dict[str, Any]:
    checked = QlikIdentityProviderProvider().check({}, _inputs(description="portal")).inputs
    return {**checked, "idp_id": "i1", **overrides}


@pytest.mark.parametrize(
    ("news", "replaces", "delete_first"),
    [
        (_inputs(description="portal"), [], None),
        (_inputs(), [], None),  # description unset: whatever Qlik has
        (_inputs(description="new"), [], None),
        (_inputs(public_key=OTHER_PUBLIC_PEM), ["public_key"], True),  # same (issuer, kid): old one first
        (_inputs(clock_tolerance_seconds=30), ["clock_tolerance_seconds"], True),
        (_inputs(key_id="k2", public_key=OTHER_PUBLIC_PEM), ["key_id", "public_key"], False),  # rotation
        (_inputs(issuer="https://other.example"), ["issuer"], False),
        (_inputs(tenant_hostname="other0000000000.us.qlikcloud.com"), ["tenant_hostname"], False),
        (_inputs(issuer=Unknown()), ["issuer"], False),
    ],
)
def test_diff__what_replaces_and_in_which_order(
    news: dict[str, Any], replaces: list[str], delete_first: bool | None
) -> None:
    checked = QlikIdentityProviderProvider().check({}, news).inputs
    result = QlikIdentityProviderProvider().diff("i1", _state(), checked)
    assert result.replaces == replaces
    assert result.changes is (news.get("description") == "new" or bool(replaces))
    if replaces:
        assert result.delete_before_replace is delete_first


# --- against the emulator ---------------------------------------------------------------------------------


def test_create_update_refresh_delete(
    provider: QlikIdentityProviderProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, tenant_id = tenant
    state = create(provider, _inputs(tenant_hostname=host, description="portal"))
    assert (state["idp_id"], state["tenant_id"], state["protocol"], state["interactive"]) == (
        state["id"],
        tenant_id,
        "jwtAuth",
        False,
    )
    assert (state["issuer"], state["key_id"], state["public_key"]) == (
        ISSUER,
        "k1",
        normalise_pem(PUBLIC_PEM),
    )
    assert state["clock_tolerance_seconds"] == 5

    state = update(provider, state, _inputs(tenant_hostname=host, description="customer portal"))
    assert qlik.get_identity_provider(host, state["id"]).description == "customer portal"

    qlik.patch_identity_provider(
        host, state["id"], [IdentityProviderPatchOperation(path="/description", value="oob")]
    )
    read = provider.read(state["id"], state)
    assert read.outs is not None
    assert read.outs["description"] == "oob"
    assert read.inputs is not None
    assert read.inputs["description"] == "oob"

    provider.delete(state["id"], state)
    assert qlik.list_identity_providers(host) == []
    assert provider.read(state["id"], state).id == ""  # deleted out of band: refresh forgets it
    provider.delete(state["id"], state)


def _made_by_hand(qlik: QlikClient, host: str, pem: str = PUBLIC_PEM) -> str:
    options = JWTAuthOptions(issuer=ISSUER, static_keys=[StaticKey(kid="k1", pem=normalise_pem(pem) or pem)])
    return qlik.create_identity_provider(host, CreateJWTIdentityProviderRequest(options=options)).id


def test_create__one_for_the_same_issuer_and_kid_is_an_error_without_adopt_existing(
    provider: QlikIdentityProviderProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    existing = _made_by_hand(qlik, host)
    with pytest.raises(
        AlreadyExistsError, match=rf"already exists on .* \(id '{existing}'\).*adopt_existing=True"
    ):
        create(provider, _inputs(tenant_hostname=host))
    assert [i.id for i in qlik.list_identity_providers(host)] == [existing]


def test_create__adopt_existing_takes_it_over_when_its_key_matches(
    provider: QlikIdentityProviderProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    existing = _made_by_hand(qlik, host)
    state = create(provider, _inputs(tenant_hostname=host, description="adopted", adopt_existing=True))
    assert state["id"] == existing
    assert qlik.get_identity_provider(host, existing).description == "adopted"


def test_create__adopt_existing_refuses_another_key(
    provider: QlikIdentityProviderProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    _made_by_hand(qlik, host, OTHER_PUBLIC_PEM)
    with pytest.raises(QlikError, match="with another public_key, which Qlik cannot change in place"):
        create(provider, _inputs(tenant_hostname=host, adopt_existing=True))


def test_create__a_rotated_key_id_coexists_with_the_old_one(
    provider: QlikIdentityProviderProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    """Create-before-delete for a new `kid`: Qlik holds both until the old one is deleted."""
    qlik, host, _ = tenant
    old = create(provider, _inputs(tenant_hostname=host))
    new = create(provider, _inputs(tenant_hostname=host, key_id="k2", public_key=OTHER_PUBLIC_PEM))
    assert sorted(i.id for i in qlik.list_identity_providers(host)) == sorted([old["id"], new["id"]])
    provider.delete(old["id"], old)
    assert [i.id for i in qlik.list_identity_providers(host)] == [new["id"]]


def test_secret_description_stays_out_of_the_log(
    provider: QlikIdentityProviderProvider,
    tenant: tuple[QlikClient, str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    qlik, host, _ = tenant
    secret = "customer-a internal note 4711"
    with caplog.at_level(logging.INFO, logger="pulumi_qlik"):
        state = create(
            provider, _inputs(tenant_hostname=host, description=secret, secret_inputs=["description"])
        )
        update(
            provider,
            state,
            _inputs(tenant_hostname=host, description=secret + "!", secret_inputs=["description"]),
        )
    assert state["secret_inputs"] == ["description"]
    assert secret not in caplog.text
    assert qlik.get_identity_provider(host, state["id"]).description == secret + "!"


def test_delete_and_read__deactivated_tenant_refuses_the_delete__purged_tenant_took_it(
    provider: QlikIdentityProviderProvider, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    qlik, host, tenant_id = tenant
    state = create(provider, _inputs(tenant_hostname=host))
    control.deactivate_tenant(tenant_id)
    assert provider.read(state["id"], state).id == state["id"]  # still there, behind the deactivation
    # Counted deleted, it would trust its key again once the tenant is reactivated (a revoked key back in use).
    with pytest.raises(
        TenantDeactivatedError, match=r"deactivated.*Nothing was deleted.*pulumi state delete"
    ):
        provider.delete(state["id"], state)
    control.reactivate_tenant(tenant_id)
    assert qlik.get_identity_provider(host, state["id"]).id == state["id"]
    provider.delete(state["id"], state)  # reactivated: the delete goes through
    assert [idp.id for idp in qlik.list_identity_providers(host)] == []

    again = create(provider, _inputs(tenant_hostname=host))
    control.deactivate_tenant(tenant_id)
    control.purge_tenant(tenant_id)
    assert provider.read(again["id"], again).id == ""
    provider.delete(again["id"], again)  # the purge took it: done


def _login(emulator: EmulatorServer, control: EmulatorControl, host: str, private_pem: str, kid: str) -> int:
    """Sign a JWT as the portal would for `alice` (in the Customers group) and log in with it; the status."""
    now = time.time() + control.clock().offset_seconds
    claims = user_claims(
        issuer=ISSUER,
        subject="alice",
        name="Alice",
        email="alice@customer-a.example",
        groups=["Customers"],
        now=now,
    )
    token = sign_test_jwt(private_pem, kid, claims)
    headers = {"Host": host, "Authorization": f"Bearer {token}"}
    return httpx.post(f"{emulator.url}/login/jwt-session", headers=headers).status_code


def test_the_identity_provider_signs_the_portals_users_in_and_a_rotation_never_stops_logins(
    emulator: EmulatorServer,
    provider: QlikIdentityProviderProvider,
    tenant: tuple[QlikClient, str, str],
    control: EmulatorControl,
) -> None:
    qlik, host, _ = tenant
    other_private, other_public = generate_rsa_key_pair()
    with configured(QlikGroupProvider, emulator) as groups:
        create(groups, {"tenant_hostname": host, "name": "Customers", "assigned_roles": []})
    old = create(provider, _inputs(tenant_hostname=host))
    assert _login(emulator, control, host, PRIVATE_PEM, "k1") == 200
    [alice] = qlik.find_users(host, subject="alice")
    assert [g.name for g in alice.assigned_groups] == ["Customers"]

    # Rotation as the engine runs it for a new key_id: the new identity provider first, then the old one deleted.
    new = create(provider, _inputs(tenant_hostname=host, key_id="k2", public_key=other_public))
    assert _login(emulator, control, host, PRIVATE_PEM, "k1") == 200  # both work in between
    assert _login(emulator, control, host, other_private, "k2") == 200
    provider.delete(old["id"], old)
    assert _login(emulator, control, host, PRIVATE_PEM, "k1") == 401
    assert _login(emulator, control, host, other_private, "k2") == 200
    assert new["key_id"] == "k2"
