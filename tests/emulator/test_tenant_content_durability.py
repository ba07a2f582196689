"""The services of issue 23 survive a restart with a state file (OAuth clients and their secrets' digests, data
connections and credentials, reload tasks and their runs, themes and extensions), and the file holds none of
the secrets."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import httpx

from pulumi_qlik.emulator import EmulatorConfig, EmulatorControl, EmulatorServer

from .conftest import Qlik
from .tenant_api import TenantApi
from .test_scheduling import task

PASSWORD = "restart-Pass-1c9e"


def _theme() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # fixed timestamps: two calls give the same bytes
        archive.writestr(
            zipfile.ZipInfo("acme.qext", (2026, 1, 1, 0, 0, 0)), json.dumps({"name": "Acme", "type": "theme"})
        )
        archive.writestr(zipfile.ZipInfo("theme.json", (2026, 1, 1, 0, 0, 0)), "{}")
    return buffer.getvalue()


def test_restart_keeps_the_tenant_content_without_its_secrets(tmp_path: Path) -> None:
    state = tmp_path / "emulator.json"
    with (
        EmulatorServer(EmulatorConfig(state_file=state)) as first,
        httpx.Client(base_url=first.url) as http,
        EmulatorControl(first.url) as control,
    ):
        api = TenantApi(Qlik(http, first.world), control)
        body = {"appType": "web", "clientName": "Backend", "allowedGrantTypes": ["client_credentials"]}
        client = api.ok("POST", "/api/v1/oauth-clients", 201, json=body)
        space = api.ok("POST", "/api/v1/spaces", 201, json={"name": "Dev", "type": "shared"})
        connection = api.ok(
            "POST",
            "/api/v1/data-connections",
            201,
            json={
                "qName": "DB",
                "qType": "pg",
                "datasourceID": "postgres",
                "qConnectStatement": "x",
                "space": space["id"],
                "qUsername": "u",
                "qPassword": PASSWORD,
                "qSeparateCredentials": True,
            },
        )
        app = control.seed_app(api.id, "Sales")
        scheduled = api.ok("POST", "/api/scheduling/tasks", 201, json=task(app.id))
        api.ok("POST", f"/api/scheduling/tasks/{scheduled['id']}/actions/start")
        theme = api.ok("POST", "/api/v1/themes", 201, files={"file": ("t.zip", _theme(), "application/zip")})
        host = api.host

    saved = state.read_text()
    assert client["clientSecret"] not in saved
    assert PASSWORD not in saved

    with (
        EmulatorServer(EmulatorConfig(state_file=state)) as second,
        httpx.Client(base_url=second.url) as http,
    ):
        qlik = Qlik(http, second.world)
        token = qlik.token_response(host, client["clientId"], client["clientSecret"])
        assert token.status_code == 200, token.text
        bearer = token.json()["access_token"]

        def get(path: str) -> httpx.Response:
            response = http.get(path, headers={"Host": host, "Authorization": f"Bearer {bearer}"})
            assert response.status_code == 200, response.text
            return response

        assert get(f"/api/v1/oauth-clients/{client['clientId']}").json()["clientName"] == "Backend"
        assert get(f"/api/v1/data-connections/{connection['qID']}").json()["qName"] == "DB"
        assert get(f"/api/v1/data-credentials/{connection['qCredentialsID']}").json()["qConnCount"] == 1
        assert second.backend.data_connections.password_is(connection["qID"], PASSWORD)
        assert get(f"/api/scheduling/tasks/{scheduled['id']}").json()["resourceId"] == app.id
        assert get(f"/api/scheduling/tasks/{scheduled['id']}/runs/last").json()["triggeredBy"] == "manual"
        assert get(f"/api/v1/themes/{theme['id']}/file").content == _theme()
