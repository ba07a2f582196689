"""State file (restart keeps every tenant) and the ``python -m pulumi_qlik.emulator`` command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from pulumi_qlik.emulator import EmulatorConfig, EmulatorControl, EmulatorServer
from tests.spec_judge import judged_client, judged_get, judged_post

from .conftest import Qlik


def test_restart_with_state_file_keeps_tenants_tokens_clock_and_credentials(tmp_path: Path) -> None:
    state = tmp_path / "state" / "emulator.json"
    config = EmulatorConfig(state_file=state)
    with EmulatorServer(config) as first, judged_client(base_url=first.url) as http:
        qlik = Qlik(http, first.world)
        created = [qlik.create_tenant(), qlik.create_tenant("eu")]
        host = created[0]["hostnames"][0]
        token = qlik.token(host)
        ops = [{"op": "replace", "path": "/hostnames/1", "value": "kept-alias"}]
        assert (
            qlik.request(
                "PATCH", host, f"/api/v1/tenants/{created[0]['id']}", token=token, json=ops
            ).status_code
            == 204
        )
        with EmulatorControl(first.url) as control:
            control.advance_clock(3600)
        world_before = first.world
    assert state.exists()
    assert oct(state.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in state.parent.iterdir()] == ["emulator.json"]  # no temp files left behind
    with (
        EmulatorServer(EmulatorConfig(state_file=state)) as second,
        judged_client(base_url=second.url) as http,
    ):
        assert second.world.model_dump(exclude={"url"}) == world_before.model_dump(exclude={"url"})
        qlik = Qlik(http, second.world)
        with EmulatorControl(second.url) as control:
            dumps = {t.id: t for t in control.tenants()}
            assert control.clock().offset_seconds >= 3600
        assert {t["id"] for t in created} <= set(dumps)
        assert dumps[created[0]["id"]].hostnames[1] == "kept-alias.us.qlikcloud.com"
        response = qlik.request("GET", host, f"/api/v1/tenants/{created[0]['id']}", token=token)
        assert response.status_code == 200  # tokens survive a restart (stored as digests)
        assert qlik.create_tenant()["id"] not in dumps


def test_state_file_is_written_after_each_mutation(tmp_path: Path) -> None:
    state = tmp_path / "emulator.json"
    with (
        EmulatorServer(EmulatorConfig(state_file=state)) as server,
        judged_client(base_url=server.url) as http,
    ):
        tenant = Qlik(http, server.world).create_tenant()
        saved = json.loads(state.read_text())
        assert tenant["id"] in {t["id"] for t in saved["state"]["tenants"]}
        assert "access_token" not in state.read_text()


def _start_cli(*args: str) -> tuple[subprocess.Popen[str], dict[str, object]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi_qlik.emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    return process, json.loads(line)


def test_cli_prints_one_json_line_answers_health_and_saves_on_sigterm(tmp_path: Path) -> None:
    state = tmp_path / "cli.json"
    process, startup = _start_cli("--state-file", str(state), "--regions", "us,de", "--token-ttl", "60")
    try:
        url = str(startup["url"])
        assert url.startswith("http://127.0.0.1:")
        regions = startup["regions"]
        assert isinstance(regions, dict)
        assert set(regions) == {"us", "de"}
        for info in regions.values():
            assert {"client_id", "client_secret", "register_host", "source_tenant"} <= set(info)
        assert judged_get(f"{url}/_emulator/health").json()["status"] == "ok"
        de = regions["de"]
        token = judged_post(
            f"{url}/oauth/token",
            headers={"Host": de["register_host"]},
            json={
                "client_id": de["client_id"],
                "client_secret": de["client_secret"],
                "grant_type": "client_credentials",
            },
        ).json()
        assert token["expires_in"] == 60
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert out == ""  # exactly one line on stdout
    assert state.exists()
    for info in regions.values():
        assert info["client_secret"] not in err


def test_cli_config_file_and_flags(tmp_path: Path) -> None:
    config = tmp_path / "emulator.json"
    config.write_text(
        json.dumps(
            {
                "seed": "fixed",
                "regions": [
                    {"code": "eu", "clientId": "my-client", "clientSecret": "my-secret", "maxTenants": 3}
                ],
                "tier2Limit": 7,
            }
        )
    )
    process, startup = _start_cli("--config", str(config))
    try:
        regions = startup["regions"]
        assert isinstance(regions, dict)
        assert list(regions) == ["eu"]
        assert regions["eu"]["client_id"] == "my-client"
        assert regions["eu"]["client_secret"] == "my-secret"
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    assert process.returncode == 0


def test_cli_rejects_a_bad_config(tmp_path: Path) -> None:
    config = tmp_path / "bad.json"
    config.write_text(json.dumps({"tokenTtl": 5}))
    result = subprocess.run(
        [sys.executable, "-m", "pulumi_qlik.emulator", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ},
    )
    assert result.returncode == 2
    assert "tokenTtl" in result.stderr
    assert result.stdout == ""
