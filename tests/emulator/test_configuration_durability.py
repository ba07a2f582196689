"""The tenant-configuration services survive a restart with a state file: groups and settings, license
settings, JWT IdPs, spaces and assignments, web integrations, CSP origins, and JWT sessions."""

from __future__ import annotations

from pathlib import Path

import httpx

from pulumi_qlik.emulator import EmulatorConfig, EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair, sign_test_jwt, user_claims

from .conftest import Qlik
from .tenant_api import TenantApi


def test_restart_keeps_the_configuration_and_sessions(tmp_path: Path) -> None:
    state = tmp_path / "emulator.json"
    private_pem, public_pem = generate_rsa_key_pair()
    with (
        EmulatorServer(EmulatorConfig(state_file=state)) as first,
        httpx.Client(base_url=first.url) as http,
        EmulatorControl(first.url) as control,
    ):
        api = TenantApi(Qlik(http, first.world), control)
        idp = {"provider": "external", "protocol": "jwtAuth",
               "options": {"issuer": "portal", "staticKeys": [{"kid": "k", "pem": public_pem}]}}  # fmt: skip
        api.ok("POST", "/api/v1/identity-providers", 201, json=idp)
        group = api.ok("POST", "/api/v1/groups", 201, json={"name": "Customers"})
        auto = [{"op": "replace", "path": "/autoCreateGroups", "value": True}]
        api.ok("PATCH", "/api/v1/groups/settings", 204, json=auto)
        api.ok("PUT", "/api/v1/licenses/settings", json={"autoAssignProfessional": True})
        analytics = api.ok("POST", "/api/v1/spaces", 201, json={"name": "Analytics", "type": "managed"})
        api.ok("POST", f"/api/v1/spaces/{analytics['id']}/assignments", 201,
               json={"type": "group", "assigneeId": group["id"], "roles": ["consumer"]})  # fmt: skip
        api.ok(
            "POST",
            "/api/v1/web-integrations",
            201,
            json={"name": "Portal", "validOrigins": ["https://p.example"]},
        )
        api.ok("POST", "/api/v1/csp-origins", 201, json={"origin": "p.example", "frameAncestors": True})
        claims = user_claims(
            issuer="portal", subject="alice", name="Alice", email="a@p.example", groups=["Customers"]
        )
        login = api.call("POST", "/login/jwt-session", token=sign_test_jwt(private_pem, "k", claims))
        assert login.status_code == 200, login.text
        cookies = "; ".join(f"{k}={v}" for k, v in login.cookies.items())
        host, token = api.host, api.token

    with (
        EmulatorServer(EmulatorConfig(state_file=state)) as second,
        httpx.Client(base_url=second.url) as http,
    ):

        def get(path: str) -> httpx.Response:
            return http.get(path, headers={"Host": host, "Authorization": f"Bearer {token}"})

        assert [i["options"]["issuer"] for i in get("/api/v1/identity-providers").json()["data"]] == [
            "portal"
        ]
        assert [g["name"] for g in get("/api/v1/groups").json()["data"]] == ["Customers"]
        assert get("/api/v1/groups/settings").json()["autoCreateGroups"] is True
        assert get("/api/v1/licenses/settings").json()["autoAssignProfessional"] is True
        assert len(get(f"/api/v1/spaces/{analytics['id']}/assignments").json()["data"]) == 1
        assert [w["name"] for w in get("/api/v1/web-integrations").json()["data"]] == ["Portal"]
        assert [c["origin"] for c in get("/api/v1/csp-origins").json()["data"]] == ["p.example"]
        seen = http.get("/api/v1/spaces", headers={"Host": host, "Cookie": cookies})
        assert [s["name"] for s in seen.json()["data"]] == ["Analytics"]  # the session survived too
