"""QlikTenantProvider: a tenant is gone only when its register host answers Qlik's "no such tenant" (TENANTS-8).

A register host that answers a plain 404 (it does not serve the route: a wrong `qlik:endpoint`, a proxy) says
nothing about the tenant: refresh keeps it, and destroy does not count it deactivated (an active tenant left
outside the stack would hold a license slot).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_qlik.client import PermissionDeniedError, QlikError
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.resources.tenant import QlikTenantProvider
from tests.provider.conftest import configured_provider

pytestmark = pytest.mark.provider

REGISTER_HOST = "register.us.qlikcloud.com"
TENANT_READ = "/api/v1/tenants/{id}"
DEACTIVATE = "/api/v1/tenants/*/actions/deactivate"


@pytest.fixture
def fresh(emulator: EmulatorServer) -> Iterator[QlikTenantProvider]:
    """A provider of its own: it remembers a register host that did not serve a read, for the process."""
    provider = configured_provider(emulator)
    yield provider
    provider.close()


def _create(provider: QlikTenantProvider, license_key: str) -> tuple[str, dict[str, Any]]:
    checked = provider.check({}, {"license_key": license_key})
    assert not checked.failures, [f.reason for f in checked.failures]
    created = provider.create(dict(checked.inputs))
    return created.id, {**(created.outs or {}), "id": created.id}


def _plain_404(control: EmulatorControl, path: str, method: str | None = None) -> None:
    control.add_fault(
        "error", method=method, host=REGISTER_HOST, path=path, status=404, code="HTTP-404", count=1000
    )


def test_read__purged_tenant_but_the_register_host_answers_a_plain_404__kept_until_tenants_8(
    fresh: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    tenant_id, outs = _create(fresh, license_keys["us"])
    control.deactivate_tenant(tenant_id)
    control.purge_tenant(tenant_id)  # its own host is unknown now (401 LOGIN-2)
    _plain_404(control, TENANT_READ)
    try:
        with pytest.raises(QlikError, match=r"cannot tell whether tenant .* still exists") as caught:
            fresh.read(tenant_id, outs)
    finally:
        control.clear_faults()
    assert "It stays in the state" in str(caught.value)
    assert "qlik:endpoint" in str(caught.value)
    assert fresh.read(tenant_id, outs).id == ""  # TENANTS-8 from the register host: gone


def test_read__own_host_refuses_and_the_register_host_answers_a_plain_404__kept(
    fresh: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    tenant_id, outs = _create(fresh, license_keys["us"])
    control.add_fault("error", host=outs["hostname"], path=TENANT_READ, status=403, count=1000)
    _plain_404(control, TENANT_READ)
    try:
        with pytest.raises(PermissionDeniedError):
            fresh.read(tenant_id, outs)  # no status from anywhere: neither gone nor deactivated
    finally:
        control.clear_faults()
    read = fresh.read(tenant_id, outs)
    assert (read.id, (read.outs or {}).get("status")) == (tenant_id, "active")


def test_delete__deactivate_answered_by_a_plain_404__refused_and_the_tenant_stays_active(
    provider: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    tenant_id, outs = _create(provider, license_keys["us"])
    _plain_404(control, DEACTIVATE, method="POST")
    try:
        with pytest.raises(QlikError) as caught:
            provider.delete(tenant_id, outs)
    finally:
        control.clear_faults()
    message = str(caught.value)
    assert f"cannot deactivate tenant {tenant_id}" in message
    assert "TENANTS-8" in message
    assert "stays in the stack" in message
    assert "qlik:endpoint" in message
    live = control.tenant(tenant_id)
    assert live is not None
    assert live.status == "active"

    provider.delete(tenant_id, outs)  # the endpoint fixed: deactivated
    live = control.tenant(tenant_id)
    assert live is not None
    assert live.status == "disabled"


def test_delete__a_purged_tenant_is_done(
    provider: QlikTenantProvider, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    tenant_id, outs = _create(provider, license_keys["us"])
    control.deactivate_tenant(tenant_id)
    control.purge_tenant(tenant_id)
    provider.delete(tenant_id, outs)  # TENANTS-8: already gone
    assert control.tenant(tenant_id) is None
