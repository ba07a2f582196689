"""The create's critical path: after the POST, the settings PATCH and the users/me verification run side by
side on one token, and nothing reads the tenant back after a 204 PATCH."""

from __future__ import annotations

from collections import Counter

import pytest

from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from tests.provider.conftest import configured_provider

pytestmark = pytest.mark.provider


def test_create__patch_and_verification_side_by_side__one_token__no_get_after_patch(
    emulator: EmulatorServer, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    provider = configured_provider(emulator)
    # The PATCH takes a second: verification done one after the other would be logged after it.
    control.add_fault("delay", method="PATCH", path="/api/v1/tenants/{id}", delay_seconds=1.0)
    control.clear_requests()
    try:
        checked = provider.check({}, {"license_key": license_keys["us"], "display_name": "Side by side"})
        created = provider.create(dict(checked.inputs))
    finally:
        provider.close()
        control.clear_faults()
    outs = dict(created.outs or {})
    host = outs["hostname"]
    on_tenant = [(e.method, e.route) for e in control.requests() if e.host == host]
    # In the order they completed.
    assert on_tenant == [
        ("POST", "/oauth/token"),
        ("GET", "/api/v1/users/me"),
        ("GET", "/api/v1/users/{id}"),
        ("PATCH", "/api/v1/tenants/{id}"),
    ], on_tenant
    assert Counter(on_tenant)[("POST", "/oauth/token")] == 1
    assert outs["name"] == "Side by side"
    assert outs["bot_user_id"]
    live = control.tenant(created.id)
    assert live is not None
    assert live.name == "Side by side"
