"""QlikTenantProvider's answers to what the engine meets between runs: drift, faults, odd answers from Qlik."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.models import PatchOperation
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.resources.tenant import QlikTenantProvider
from tests.provider.conftest import configured_provider, provider_config

pytestmark = pytest.mark.provider

REGISTER_HOST = "register.us.qlikcloud.com"


def _create(provider: QlikTenantProvider, **inputs: Any) -> tuple[str, dict[str, Any]]:
    checked = provider.check({}, inputs)
    assert not checked.failures, [f.reason for f in checked.failures]
    created = provider.create(dict(checked.inputs))
    return created.id, dict(created.outs or {})


def test_read__own_host_says_unknown_but_register_host_knows_it__tenant_kept(
    provider: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    tenant_id, outs = _create(provider, license_key=license_keys["us"], display_name="Kept")
    # The register host declines the refresh's own read, so it asks the tenant's host (as where Qlik does not
    # serve tenant reads on the register host)...
    control.add_fault("error", host=REGISTER_HOST, path="/api/v1/tenants/{id}", status=403, count=1)
    # ... which answers what a wrong endpoint or a DNS fault looks like from the tenant's own host.
    control.add_fault("error", host=outs["hostname"], path="/api/v1/tenants/{id}", status=401, code="LOGIN-2")

    read = provider.read(tenant_id, outs)

    assert read.id == tenant_id, "a tenant its register host still knows must stay in the state"
    assert read.outs is not None
    assert read.outs["status"] == "active"


def test_read__through_the_register_host__one_token_for_all_and_changes_seen(
    emulator: EmulatorServer, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    provider = configured_provider(emulator)
    try:
        created = [_create(provider, license_key=license_keys["us"]) for _ in range(3)]
        first_id, first_outs = created[0]
        us = emulator.world.regions["us"]
        with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url) as other:
            # Changed out of band: the refresh must see it.
            other.patch_tenant(
                first_outs["hostname"], first_id, [PatchOperation(path="/name", value="Renamed")]
            )
        second_id, _ = created[1]
        control.deactivate_tenant(second_id)
        since = control.requests()[-1].index + 1
        reads = {tenant_id: provider.read(tenant_id, outs) for tenant_id, outs in created}
        log = control.requests(since)
    finally:
        provider.close()
    assert (reads[first_id].outs or {})["name"] == "Renamed"
    assert (reads[second_id].outs or {})["status"] == "disabled"
    assert all(read.id == tenant_id for tenant_id, read in reads.items())
    # Every read went to the register host, whose token the creates had cached: no token call per tenant host.
    assert [(e.method, e.host, e.route) for e in log] == [("GET", REGISTER_HOST, "/api/v1/tenants/{id}")] * 3


def test_read__register_host_does_not_serve_reads__tenant_hosts_answer_and_it_is_not_asked_again(
    emulator: EmulatorServer, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    provider = configured_provider(emulator)
    try:
        created = [_create(provider, license_key=license_keys["us"]) for _ in range(2)]
        # A 404 that is not "no such tenant": the route is not served there.
        control.add_fault(
            "error", host=REGISTER_HOST, path="/api/v1/tenants/{id}", status=404, code="HTTP-404"
        )
        since = control.requests()[-1].index + 1
        reads = [provider.read(tenant_id, outs) for tenant_id, outs in created]
        log = control.requests(since)
    finally:
        control.clear_faults()
        provider.close()
    assert [read.id for read in reads] == [tenant_id for tenant_id, _ in created]
    assert [(read.outs or {})["status"] for read in reads] == ["active", "active"]
    register_reads = [e for e in log if e.host == REGISTER_HOST]
    assert len(register_reads) == 1, "the register host was asked again after it did not serve the read"
    read_hosts = {e.host for e in log if e.route == "/api/v1/tenants/{id}"} - {REGISTER_HOST}
    assert read_hosts == {outs["hostname"] for _, outs in created}


def test_read__neither_host_can_answer__refresh_fails_and_forgets_nothing(
    provider: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    tenant_id, outs = _create(provider, license_key=license_keys["us"])
    control.add_fault("error", host=outs["hostname"], path="/api/v1/tenants/{id}", status=401, code="LOGIN-2")
    # Enough faults for every attempt: the refresh's own read through the register host, then its confirmation.
    control.add_fault(
        "error", host="register.us.qlikcloud.com", path="/api/v1/tenants/{id}", status=503, count=20
    )

    with pytest.raises(QlikError, match=r"cannot tell whether tenant .* still exists") as caught:
        provider.read(tenant_id, outs)
    control.clear_faults()
    assert "stays in the state" in str(caught.value)


def test_read__purged_tenant__gone(
    provider: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    tenant_id, outs = _create(provider, license_key=license_keys["us"])
    control.purge_tenant(tenant_id)

    read = provider.read(tenant_id, outs)

    assert read.id == ""


def test_update__tenant_deactivated_out_of_band_without_refresh__reactivated_and_patched(
    provider: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    tenant_id, outs = _create(provider, license_key=license_keys["us"], display_name="Before")
    control.deactivate_tenant(tenant_id)
    news = dict(provider.check(outs, {"license_key": license_keys["us"], "display_name": "After"}).inputs)

    updated = provider.update(tenant_id, outs, news)

    live = control.tenant(tenant_id)
    assert live is not None
    assert live.status == "active"
    assert live.name == "After"
    assert (updated.outs or {})["status"] == "active"


def test_adopt__region_taken_from_the_hostname_not_the_default(
    emulator: EmulatorServer, control: EmulatorControl
) -> None:
    existing = control.seed_tenant("eu")
    provider = configured_provider(emulator, default_region="us")
    try:
        checked = provider.check(
            {},
            {"adopt_tenant_id": existing.id, "adopt_hostname": existing.hostnames[0], "display_name": "EU"},
        )
        assert not checked.failures
        assert checked.inputs["region"] == "eu"
        created = provider.create(dict(checked.inputs))
    finally:
        provider.close()
    assert created.id == existing.id
    assert (created.outs or {})["region"] == "eu"
    live = control.tenant(existing.id)
    assert live is not None
    assert live.name == "EU"


def test_create__answer_without_hostnames__tenant_read_back_from_the_register_host(
    emulator: EmulatorServer,
    control: EmulatorControl,
    license_keys: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    provider = configured_provider(emulator)
    real_create = QlikClient.create_tenant

    def create_without_hostnames(self: QlikClient, *args: Any, **kwargs: Any) -> Any:
        return real_create(self, *args, **kwargs).model_copy(update={"hostnames": []})

    monkeypatch.setattr(QlikClient, "create_tenant", create_without_hostnames)
    try:
        tenant_id, outs = _create(provider, license_key=license_keys["us"], display_name="Read back")
    finally:
        provider.close()
    live = control.tenant(tenant_id)
    assert live is not None
    assert outs["hostname"] == live.hostnames[0]
    assert live.name == "Read back", "the settings are applied once the hostname is known"


def test_create__unreadable_answer_with_an_id__tenant_recorded_not_lost(
    emulator: EmulatorServer, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    """Qlik's 201 lacks a required field: the tenant exists, so the resource must record it, not fail."""
    provider = configured_provider(emulator)
    # Drop `name` from the real answer on its way back, as a proxy or an API change might.
    original = QlikClient._parse

    def parse(model: Any, response: httpx.Response, *, empty_ok: bool = False) -> Any:
        if response.request.method == "POST" and response.request.url.path == "/api/v1/tenants":
            body = response.json()
            body.pop("name")
            response = httpx.Response(201, json=body, request=response.request)
        return original(model, response, empty_ok=empty_ok)

    before = {t.id for t in control.tenants()}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QlikClient, "_parse", staticmethod(parse))
        try:
            tenant_id, outs = _create(provider, license_key=license_keys["us"])
        finally:
            provider.close()
    created = [t for t in control.tenants() if t.id not in before]
    assert [t.id for t in created] == [tenant_id]
    assert outs["hostname"] == created[0].hostnames[0]


def test_read__deactivated_tenant__purge_date_from_the_organization_api(
    emulator: EmulatorServer, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    org = emulator.world.organization
    provider = QlikTenantProvider()
    config = {
        **provider_config(emulator),
        "qlik:organizationClientId": org.client_id,
        "qlik:organizationClientSecret": org.client_secret,
    }
    provider.configure(ConfigureRequest(config=Config(config, "test")))
    try:
        tenant_id, outs = _create(provider, license_key=license_keys["us"])
        deactivated = control.deactivate_tenant(tenant_id, purge_after_days=12)
        read = provider.read(tenant_id, outs)
    finally:
        provider.close()
    assert read.outs is not None
    assert read.outs["status"] == "disabled"
    assert deactivated.estimated_purge_date is not None
    assert read.outs["estimated_purge_date"] is not None
    assert read.outs["estimated_purge_date"][:19] == deactivated.estimated_purge_date[:19]


def test_read__deactivated_tenant__no_organization_client__purge_date_from_its_deactivation_time(
    provider: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    """Without the Organization API: the tenant's `statusLastUpdatedAt` + the `purge_after_days` it kept."""
    tenant_id, outs = _create(provider, license_key=license_keys["us"])
    deactivated = control.deactivate_tenant(tenant_id, purge_after_days=30)
    read = provider.read(tenant_id, outs)
    assert read.outs is not None
    assert read.outs["status"] == "disabled"
    assert outs["purge_after_days"] == 30
    assert deactivated.estimated_purge_date is not None
    assert read.outs["estimated_purge_date"][:16] == deactivated.estimated_purge_date[:16]


# --- a deactivated tenant's host answering a plain 401/403 (no published code says "deactivated") ---------


def _plain_refusal(control: EmulatorControl, host: str, status: int, count: int) -> None:
    """Every call to the tenant's host, its token endpoint included, refused without a telling code."""
    control.add_fault("error", host=host, status=status, code=f"HTTP-{status}", count=count)


@pytest.mark.parametrize("status", [401, 403])
def test_read__deactivated_tenant_refuses_with_a_plain_status__disabled_by_its_status(
    provider: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str], status: int
) -> None:
    tenant_id, outs = _create(provider, license_key=license_keys["us"])
    control.deactivate_tenant(tenant_id)
    _plain_refusal(control, outs["hostname"], status, count=10)
    try:
        read = provider.read(tenant_id, outs)
    finally:
        control.clear_faults()
    assert read.id == tenant_id
    assert read.outs is not None
    assert read.outs["status"] == "disabled"


@pytest.mark.parametrize("status", [401, 403])
def test_read__active_tenant_refuses_with_a_plain_status__error_not_disabled(
    provider: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str], status: int
) -> None:
    """A refusal is "unknown" until the status says: an active tenant refusing us is a credential problem."""
    tenant_id, outs = _create(provider, license_key=license_keys["us"])
    # The register host declines the refresh's own read once, so the read goes to the tenant's host; asked for the
    # status afterwards, it says active.
    control.add_fault("error", host=REGISTER_HOST, path="/api/v1/tenants/{id}", status=403, count=1)
    _plain_refusal(control, outs["hostname"], status, count=10)
    try:
        with pytest.raises(QlikError, match=str(status)):
            provider.read(tenant_id, outs)
    finally:
        control.clear_faults()


@pytest.mark.parametrize("status", [401, 403])
def test_update_and_delete__deactivated_tenant_refuses_with_a_plain_status__reactivated__deleted(
    provider: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str], status: int
) -> None:
    tenant_id, outs = _create(provider, license_key=license_keys["us"], display_name="Before")
    control.deactivate_tenant(tenant_id)
    # The GET, and (after a 401) the token the client renews once.
    _plain_refusal(control, outs["hostname"], status, count=2 if status == 401 else 1)
    news = provider.check(outs, {"license_key": license_keys["us"], "display_name": "After"}).inputs
    try:
        updated = provider.update(tenant_id, outs, dict(news))
    finally:
        control.clear_faults()
    assert updated.outs is not None
    assert updated.outs["status"] == "active"
    live = control.tenant(tenant_id)
    assert live is not None
    assert (live.status, live.name) == ("active", "After")

    control.deactivate_tenant(tenant_id)
    outs = dict(updated.outs)
    _plain_refusal(control, outs["hostname"], status, count=10)
    # The register host's deactivate refuses now; the status says it is done already.
    control.add_fault("error", host="register.*", path="/api/v1/tenants/*/actions/deactivate", status=400)
    try:
        provider.delete(tenant_id, outs)
    finally:
        control.clear_faults()
