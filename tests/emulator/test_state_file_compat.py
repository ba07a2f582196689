"""A state file written before the emulator was split into domains still loads, with every rule intact.

``fixtures/state-v1-before-domain-split.json`` was written by the single-backend emulator (seed
``state-fixture``): two API-created tenants (one renamed with an alias, one deactivated), an added region,
client and license, a rotated license key and an advanced clock.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_qlik.emulator import EmulatorConfig, EmulatorControl, EmulatorServer
from tests.spec_judge import judged_client

pytestmark = pytest.mark.emulator

FIXTURE = Path(__file__).parent / "fixtures" / "state-v1-before-domain-split.json"


ADDED_STATE_KEYS = {
    "groups",
    "groupSettings",
    "licenseSettings",
    "identityProviders",
    "spaces",
    "spaceAssignments",
    "webIntegrations",
    "cspOrigins",
    "jwtLogin",
}
"""Top-level state keys of services added after the fixture was written (issue 16): additions only."""


def _token(http: httpx.Client, host: str, client_id: str, secret: str) -> str:
    body = {"client_id": client_id, "client_secret": secret, "grant_type": "client_credentials"}
    response = http.post("/oauth/token", json=body, headers={"Host": host})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_state_file_from_before_the_domain_split_loads(tmp_path: Path) -> None:
    state = tmp_path / "emulator.json"
    shutil.copy(FIXTURE, state)
    saved: dict[str, Any] = json.loads(FIXTURE.read_text())["state"]
    with (
        EmulatorServer(EmulatorConfig(state_file=state)) as server,
        EmulatorControl(server.url) as control,
        judged_client(base_url=server.url) as http,
    ):
        tenants = {t.id: t for t in control.tenants()}
        assert set(tenants) == {t["id"] for t in saved["tenants"]}
        renamed = next(t for t in tenants.values() if t.name == "Fixture")
        assert renamed.hostnames[1] == "fixture-alias.us.qlikcloud.com"
        disabled = [t for t in tenants.values() if t.status == "disabled"]
        assert len(disabled) == 1
        assert control.clock().offset_seconds >= 120

        world = server.world
        assert set(world.regions) == {"us", "eu", "de"}
        extra = next(c for c in world.clients if c.name == "Extra EU client")
        _token(http, world.regions["eu"].register_host, extra.client_id, extra.client_secret)

        us = world.regions["us"]
        alias_token = _token(http, "fixture-alias.us.qlikcloud.com", us.client_id, us.client_secret)
        assert alias_token
        blocked = http.get(f"/api/v1/tenants/{disabled[0].id}", headers={"Host": disabled[0].hostnames[0]})
        assert blocked.status_code == 401

        # The saved signing key still verifies the rotated key of the seeded license.
        key = control.license("us").license_key
        register = us.register_host
        created = http.post(
            "/api/v1/tenants",
            json={"licenseKey": key},
            headers={
                "Host": register,
                "Authorization": f"Bearer {_token(http, register, us.client_id, us.client_secret)}",
            },
        )
        assert created.status_code == 201, created.text

        # Saved again by today's code: the same format (every top-level key, in both snapshots); the
        # services added since only add keys of their own.
        resaved = json.loads(state.read_text())
        original = json.loads(FIXTURE.read_text())
        assert resaved["version"] == original["version"]
        assert set(resaved["state"]) == set(original["state"]) | ADDED_STATE_KEYS
        assert set(resaved["seeded"]) == set(original["seeded"])
        assert resaved["seeded"] == original["seeded"]

        # The seeded snapshot in the file is what reset goes back to.
        control.reset()
        seeded = control.tenants()
        assert len(seeded) == 2
        assert all(t.source for t in seeded)
