"""QlikTenantSettingsProvider in-process: check/diff rules, one settings resource per tenant, and create, update
in place, refresh after an out-of-band change and destroy (which leaves the settings) against the emulator."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import GroupSettingsPatchOperation, LicenseSettingsRequest
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.resources.tenant_settings import QlikTenantSettingsProvider

from .children import HOST, configured, create, new_tenant, update


def _inputs(owner: str = "settings", **overrides: Any) -> dict[str, Any]:
    return {"tenant_hostname": HOST, "auto_create_groups": True, "settings_owner": owner, **overrides}


@pytest.fixture(scope="module")
def provider(emulator: EmulatorServer) -> Iterator[QlikTenantSettingsProvider]:
    with configured(QlikTenantSettingsProvider, emulator) as provider:
        yield provider


@pytest.fixture
def tenant(emulator: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    with new_tenant(emulator) as tenant:
        yield tenant


# --- check and diff (no Qlik) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "fix"),
    [
        ({"tenant_hostname": "tenant.example.com"}, "tenant_hostname", "<name>.<region>.qlikcloud.com"),
        ({"tenant_hostname": None}, "tenant_hostname", "tenant_hostname=tenant.hostname"),
        ({"auto_create_groups": "true"}, "auto_create_groups", "true or false"),
        ({"auto_assign_professional": 1}, "auto_assign_professional", "true or false"),
        ({"auto_assign_analyzer": "no"}, "auto_assign_analyzer", "unset to leave"),
        ({"settings_owner": None}, "settings_owner", "constructor"),
    ],
)
def test_check__bad_input_names_the_field_and_the_fix(
    overrides: dict[str, Any], field: str, fix: str
) -> None:
    [failure] = QlikTenantSettingsProvider().check({}, _inputs(**overrides)).failures
    assert failure.property == field
    assert failure.reason.startswith(f"{field}: ")
    assert fix in failure.reason


def test_check__two_settings_for_one_tenant_fail_the_second_naming_the_first() -> None:
    provider = QlikTenantSettingsProvider()
    host = "twosettings0000.us.qlikcloud.com"
    assert provider.check({}, _inputs("first", tenant_hostname=host)).failures == []
    assert provider.check({}, _inputs("first", tenant_hostname=host)).failures == []  # the same one again
    [failure] = QlikTenantSettingsProvider().check({}, _inputs("second", tenant_hostname=host)).failures
    assert failure.property == "tenant_hostname"
    assert "managed by QlikTenantSettings 'first'" in failure.reason
    assert "Keep one QlikTenantSettings per tenant" in failure.reason


def test_check__an_unknown_hostname_claims_nothing_until_known() -> None:
    provider = QlikTenantSettingsProvider()
    result = provider.check({}, _inputs("a", tenant_hostname=Unknown()))
    assert result.failures == []
    assert isinstance(result.inputs["tenant_hostname"], Unknown)
    assert provider.check({}, _inputs("b", tenant_hostname=Unknown())).failures == []


@pytest.mark.parametrize(
    ("news", "replaces", "changes"),
    [
        (_inputs(), [], False),
        (_inputs(auto_create_groups=None), [], False),  # unset: left as the tenant has it
        (_inputs(auto_create_groups=False), [], True),
        (_inputs(auto_assign_analyzer=True), [], True),
        (_inputs(tenant_hostname="other0000000000.us.qlikcloud.com"), ["tenant_hostname"], True),
        (
            _inputs(tenant_hostname=Unknown()),
            [],
            True,
        ),  # its tenant is updating: in place in the plan, `up` diffs again
    ],
)
def test_diff(news: dict[str, Any], replaces: list[str], changes: bool) -> None:
    state = {**_inputs(), "auto_assign_professional": False, "auto_assign_analyzer": False, "tenant_id": "t"}
    result = QlikTenantSettingsProvider().diff("t", state, news)
    assert result.replaces == replaces
    assert result.changes is changes


# --- against the emulator ---------------------------------------------------------------------------------


def test_create_update_refresh_and_destroy_leaves_the_settings(
    provider: QlikTenantSettingsProvider,
    tenant: tuple[QlikClient, str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    qlik, host, tenant_id = tenant
    state = create(provider, _inputs("life", tenant_hostname=host, auto_assign_professional=True))
    assert state["id"] == state["tenant_id"] == tenant_id
    assert qlik.get_group_settings(host).auto_create_groups is True
    licenses = qlik.get_license_settings(host)
    assert (licenses.auto_assign_professional, state["auto_assign_professional"]) == (True, True)
    analyzer_before = licenses.auto_assign_analyzer
    assert state["auto_assign_analyzer"] is analyzer_before  # unset: read, not written

    state = update(
        provider,
        state,
        _inputs("life", tenant_hostname=host, auto_create_groups=False, auto_assign_analyzer=True),
    )
    assert qlik.get_group_settings(host).auto_create_groups is False
    licenses = qlik.get_license_settings(host)
    assert (licenses.auto_assign_professional, licenses.auto_assign_analyzer) == (True, True)

    # Out-of-band change: refresh reads it back.
    qlik.patch_group_settings(host, [GroupSettingsPatchOperation(path="/autoCreateGroups", value=True)])
    qlik.put_license_settings(
        host, LicenseSettingsRequest(auto_assign_professional=False, auto_assign_analyzer=True)
    )
    read = provider.read(state["id"], state)
    assert read.outs is not None
    assert (read.outs["auto_create_groups"], read.outs["auto_assign_professional"]) == (True, False)

    with caplog.at_level(logging.WARNING, logger="pulumi_qlik"):
        provider.delete(state["id"], read.outs)
    assert "are left as they are" in caplog.text
    assert qlik.get_group_settings(host).auto_create_groups is True  # untouched by destroy


def test_create__settings_already_as_wanted__each_read_once_nothing_written(
    provider: QlikTenantSettingsProvider, tenant: tuple[QlikClient, str, str], emulator: EmulatorServer
) -> None:
    """A new tenant's settings are often Qlik's defaults already: the create reads each setting once (its
    outputs reuse what it read) and writes nothing. What it writes, it reads back."""
    qlik, host, _ = tenant
    groups, licenses = qlik.get_group_settings(host), qlik.get_license_settings(host)
    wanted = _inputs(
        "as-wanted",
        tenant_hostname=host,
        auto_create_groups=groups.auto_create_groups,
        auto_assign_professional=licenses.auto_assign_professional,
    )
    first = emulator.request_log.since()[-1].index + 1
    state = create(provider, wanted)
    calls = _api_calls(emulator, host, since=first)
    assert sorted(calls) == [("GET", "/api/v1/groups/settings"), ("GET", "/api/v1/licenses/settings")]
    assert state["auto_create_groups"] is groups.auto_create_groups

    first = emulator.request_log.since()[-1].index + 1
    update(provider, state, {**wanted, "auto_create_groups": not groups.auto_create_groups})
    calls = _api_calls(emulator, host, since=first)
    assert calls.count(("GET", "/api/v1/groups/settings")) == 2  # before the write, and after it
    assert calls.count(("PATCH", "/api/v1/groups/settings")) == 1


def test_read_and_delete__deactivated_then_purged_tenant(
    provider: QlikTenantSettingsProvider, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    _, host, tenant_id = tenant
    state = create(provider, _inputs("gone", tenant_hostname=host))
    control.deactivate_tenant(tenant_id)
    assert provider.read(state["id"], state).id == state["id"]
    provider.delete(state["id"], state)  # never calls Qlik
    control.purge_tenant(tenant_id)
    assert provider.read(state["id"], state).id == ""
    provider.delete(state["id"], state)


def _api_calls(emulator: EmulatorServer, host: str, since: int) -> list[tuple[str, str]]:
    """The Qlik API calls made on `host` from request-log index `since` (token requests left out)."""
    entries = emulator.request_log.since(since)
    return [(e.method, e.path) for e in entries if e.host == host and e.path.startswith("/api/")]
