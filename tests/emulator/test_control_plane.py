"""Control plane: world, reset, seeding, faults, latency, holds, the request log; rate limits; path-prefix addressing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from pulumi_qlik.emulator import EmulatorConfig, EmulatorControl, EmulatorControlError, EmulatorServer
from tests.spec_judge import judged_client

from .conftest import Qlik, assert_qlik_error


def test_health_and_world(qlik: Qlik, control: EmulatorControl, server: EmulatorServer) -> None:
    health = control.health()
    assert health.status == "ok"
    assert health.tenants == 2
    world = control.world()
    assert world.url == server.url
    assert set(world.regions) == {"us", "eu"}
    assert world.regions["us"].register_host == "register.us.qlikcloud.com"
    assert world.regions["eu"].source_tenant.endswith(".eu.qlikcloud.com")
    assert world == server.world


def test_control_plane_answers_on_any_host(qlik: Qlik) -> None:
    response = qlik.http.get("/_emulator/health", headers={"Host": "register.us.qlikcloud.com"})
    assert response.json()["status"] == "ok"


def test_reset_drops_created_tenants_and_keeps_credentials(qlik: Qlik, control: EmulatorControl) -> None:
    tenant = qlik.create_tenant()
    control.advance_clock(100)
    world = control.reset()
    assert world.regions["us"].client_secret == qlik.region().client_secret
    assert control.tenant(tenant["id"]) is None
    assert control.clock().offset_seconds == 0


def test_seeded_secrets_are_reproducible_only_with_a_seed() -> None:
    def secret(config: EmulatorConfig) -> str:
        from pulumi_qlik.emulator import QlikBackend

        return QlikBackend(config).world_info().regions["us"].client_secret

    assert secret(EmulatorConfig(seed="a")) == secret(EmulatorConfig(seed="a"))
    assert secret(EmulatorConfig()) != secret(EmulatorConfig())


def test_seed_region_client_license_and_tenant(qlik: Qlik, control: EmulatorControl) -> None:
    de = control.add_region("de")
    assert de.datacenter == "eu-central-1"
    assert de.register_host == "register.de.qlikcloud.com"
    response = qlik.token_response(de.register_host, de.client_id, de.client_secret)
    assert response.status_code == 200
    extra = control.add_client("us", name="Second client")
    assert (
        qlik.token_response(qlik.region().register_host, extra.client_id, extra.client_secret).status_code
        == 200
    )
    lic = control.add_license("us", max_tenants=1, status="Ok")
    seeded = control.seed_tenant("us", license_number=lic.license_number, name="imported")
    assert seeded.hostnames == ["imported.us.qlikcloud.com"]
    assert control.license(lic.license_number).tenants_used == 1
    with pytest.raises(EmulatorControlError) as caught:
        control.add_region("zz")  # unknown code without a datacenter
    assert caught.value.status_code == 400
    assert control.add_region("zz", datacenter="zz-west-1").register_host == "register.zz.qlikcloud.com"


def test_control_deactivate_and_purge_helpers(qlik: Qlik, control: EmulatorControl) -> None:
    tenant = qlik.create_tenant()
    assert control.deactivate_tenant(tenant["id"], purge_after_days=0).status == "disabled"
    assert control.tenant(tenant["id"]) is None  # purge date reached at once
    other = qlik.create_tenant()
    control.purge_tenant(other["id"])
    assert control.tenant(other["id"]) is None
    with pytest.raises(EmulatorControlError):
        control.purge_tenant(other["id"])


def test_request_log_records_route_templates_and_statuses(qlik: Qlik, control: EmulatorControl) -> None:
    tenant = qlik.create_tenant()
    start = control.requests()[-1].index + 1
    host = tenant["hostnames"][0]
    token = qlik.token(host)
    qlik.request("GET", host, f"/api/v1/tenants/{tenant['id']}", token=token)
    qlik.request("GET", host, "/api/v1/tenants/nope", token=token)
    entries = control.requests(since=start)
    assert [(e.method, e.route, e.status) for e in entries] == [
        ("POST", "/oauth/token", 200),
        ("GET", "/api/v1/tenants/{id}", 200),
        ("GET", "/api/v1/tenants/{id}", 404),
    ]
    assert entries[1].host == host
    assert entries[1].path == f"/api/v1/tenants/{tenant['id']}"
    assert [e.index for e in entries] == [start, start + 1, start + 2]
    creates = [e for e in control.requests() if e.route == "/api/v1/tenants" and e.method == "POST"]
    assert len(creates) == 1
    control.clear_requests()
    assert control.requests() == []


def test_request_log_and_control_plane_never_show_tokens_or_keys(
    qlik: Qlik, control: EmulatorControl, server: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    qlik.create_tenant()
    token = qlik.token(qlik.region().source_tenant)
    key = qlik.license_key()
    dumped = qlik.http.get("/_emulator/requests").text + qlik.http.get("/_emulator/tenants").text
    secret = qlik.region().client_secret
    for value in (token, key, secret):
        assert value not in dumped
        assert value not in caplog.text
    assert secret not in repr(server.backend) + repr(server.world) + repr(server.world.regions["us"])


def test_fault_error_with_qlik_body_for_next_n_requests(qlik: Qlik, control: EmulatorControl) -> None:
    control.add_fault("error", method="POST", path="/api/v1/tenants", status=503, code="HTTP-503", count=2)
    register = qlik.region().register_host
    token = qlik.token(register)
    key = qlik.license_key()
    for _ in range(2):
        response = qlik.request("POST", register, "/api/v1/tenants", token=token, json={"licenseKey": key})
        assert_qlik_error(response, 503, "HTTP-503")
    assert (
        qlik.request("POST", register, "/api/v1/tenants", token=token, json={"licenseKey": key}).status_code
        == 201
    )
    assert control.faults() == []
    assert len(control.tenants()) == 3  # failed attempts created nothing


def test_fault_ratelimit_gives_429_with_retry_after(qlik: Qlik, control: EmulatorControl) -> None:
    control.add_fault("ratelimit", host="*.us.qlikcloud.com", path="/api/v1/users/*", retry_after=7)
    source = qlik.region().source_tenant
    token = qlik.token(source)
    response = qlik.request("GET", source, "/api/v1/users/me", token=token)
    error = assert_qlik_error(response, 429, "HTTP-429")
    assert response.headers["retry-after"] == "7"
    assert error["detail"] == "You need to wait 7 seconds until limit is lifted."
    assert qlik.request("GET", source, "/api/v1/users/me", token=token).status_code == 301


def test_fault_drop_closes_the_connection_without_a_response(qlik: Qlik, control: EmulatorControl) -> None:
    control.add_fault("drop", method="POST", path="/api/v1/tenants")
    register = qlik.region().register_host
    token = qlik.token(register)
    with pytest.raises(httpx.RemoteProtocolError):
        qlik.request(
            "POST", register, "/api/v1/tenants", token=token, json={"licenseKey": qlik.license_key()}
        )
    assert len(control.tenants()) == 2
    (entry,) = [e for e in control.requests() if e.fault == "drop"]
    assert entry.status is None


def test_fault_drop_after_handler_loses_the_answer_but_keeps_the_change(
    qlik: Qlik, control: EmulatorControl
) -> None:
    control.add_fault("drop", method="POST", path="/api/v1/tenants", before_handler=False)
    register = qlik.region().register_host
    token = qlik.token(register)
    with pytest.raises(httpx.RemoteProtocolError):
        qlik.request(
            "POST", register, "/api/v1/tenants", token=token, json={"licenseKey": qlik.license_key()}
        )
    assert len(control.tenants()) == 3


def test_fault_delay_and_route_latency(qlik: Qlik, control: EmulatorControl) -> None:
    source = qlik.region().source_tenant
    token = qlik.token(source)
    control.add_fault("delay", path="/api/v1/tenants/me", delay_seconds=0.3)
    started = time.monotonic()
    assert qlik.request("GET", source, "/api/v1/tenants/me", token=token).status_code == 302
    assert time.monotonic() - started >= 0.3
    control.set_latency(0.2, method="GET", path="/api/v1/tenants/{id}")
    tenant_id = qlik.region().source_tenant_id
    for _ in range(2):
        started = time.monotonic()
        assert qlik.request("GET", source, f"/api/v1/tenants/{tenant_id}", token=token).status_code == 200
        assert time.monotonic() - started >= 0.2
    # Cleared rules delay nothing: a 30 s one would outlast the request's own 10 s timeout.
    control.set_latency(30, method="GET", path="/api/v1/tenants/{id}")
    control.clear_latency()
    answer = qlik.request("GET", source, f"/api/v1/tenants/{tenant_id}", token=token, timeout=10)
    assert answer.status_code == 200


def test_hold__matching_requests_wait_until_released(qlik: Qlik, control: EmulatorControl) -> None:
    source = qlik.region().source_tenant
    token = qlik.token(source)
    hold = control.hold(method="GET", path="/api/v1/tenants/me")
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(qlik.request, "GET", source, "/api/v1/tenants/me", token=token)
        deadline = time.monotonic() + 30
        while not [h for h in control.holds() if h.waiting == 1] and time.monotonic() < deadline:
            time.sleep(0.01)
        [waiting] = control.holds()
        assert (waiting.id, waiting.waiting, waiting.held) == (hold.id, 1, 1)
        # Other requests go on meanwhile.
        assert qlik.request("GET", source, "/api/v1/licenses/overview", token=token).status_code == 200
        assert not answer.done()
        control.release(hold.id)
        assert answer.result(timeout=30).status_code == 302
    assert control.holds() == []
    assert_qlik_error(qlik.http.delete(f"/_emulator/holds/{hold.id}"), 404, "EMULATOR-2")


def test_bad_control_requests_are_400_with_error_body(qlik: Qlik) -> None:
    response = qlik.http.post("/_emulator/faults", json={"action": "explode"})
    assert_qlik_error(response, 400, "EMULATOR-1")
    assert_qlik_error(qlik.http.post("/_emulator/clock", json={"advanceSeconds": -1}), 400)
    assert_qlik_error(qlik.http.get("/_emulator/licenses/nope"), 404, "EMULATOR-2")


# --- rate limits (own server: small limits) ---------------------------------------------------------------


@pytest.fixture
def limited() -> Iterator[tuple[Qlik, EmulatorControl]]:
    config = EmulatorConfig(seed="limits", tier1_limit=5, tier2_limit=2, rate_window_seconds=60)
    with (
        EmulatorServer(config) as server,
        judged_client(base_url=server.url) as http,
        EmulatorControl(server.url) as control,
    ):
        yield Qlik(http, server.world), control


def test_rate_limit__tier2_429_with_retry_after_then_lifted(limited: tuple[Qlik, EmulatorControl]) -> None:
    qlik, control = limited
    tenant = qlik.create_tenant()
    host = tenant["hostnames"][0]
    token = qlik.token(host)
    ops = [{"op": "replace", "path": "/name", "value": "x"}]
    path = f"/api/v1/tenants/{tenant['id']}"
    assert [qlik.request("PATCH", host, path, token=token, json=ops).status_code for _ in range(2)] == [
        204,
        204,
    ]
    response = qlik.request("PATCH", host, path, token=token, json=ops)
    error = assert_qlik_error(response, 429, "HTTP-429")
    assert error["title"] == "API rate limit reached."
    retry_after = int(response.headers["retry-after"])
    assert 55 <= retry_after <= 60
    assert error["detail"] == f"You need to wait {retry_after} seconds until limit is lifted."
    assert qlik.request("GET", host, path, token=token).status_code == 200  # tier 1 is counted apart
    control.advance_clock(retry_after)
    assert qlik.request("PATCH", host, path, token=token, json=ops).status_code == 204


def test_rate_limit__tier1_is_per_host(limited: tuple[Qlik, EmulatorControl]) -> None:
    qlik, _ = limited
    us = qlik.region()
    other = qlik.create_tenant()["hostnames"][0]
    token = qlik.token(us.source_tenant)
    statuses = [
        qlik.request("GET", us.source_tenant, "/api/v1/tenants/me", token=token).status_code for _ in range(6)
    ]
    assert statuses == [302] * 4 + [429] * 2  # create_tenant's license overview was the first of five
    assert qlik.request("GET", other, "/api/v1/tenants/me", token=qlik.token(other)).status_code == 302


# --- path-prefix addressing -----------------------------------------------------------------------------------


def test_path_prefix_addressing_keeps_links_and_redirects_in_the_prefix(
    qlik: Qlik, server: EmulatorServer
) -> None:
    us = qlik.region()
    base = f"{server.url}/_host/{us.register_host}"
    creds = {"client_id": us.client_id, "client_secret": us.client_secret, "grant_type": "client_credentials"}
    with judged_client() as plain:
        token = plain.post(f"{base}/oauth/token", json=creds).json()["access_token"]
        key = qlik.license_key()
        tenant = plain.post(
            f"{base}/api/v1/tenants", json={"licenseKey": key}, headers={"Authorization": f"Bearer {token}"}
        ).json()
        assert tenant["links"]["self"]["href"] == f"{base}/api/v1/tenants/{tenant['id']}"
        host_base = f"{server.url}/_host/{tenant['hostnames'][0]}"
        tenant_token = plain.post(f"{host_base}/oauth/token", json=creds).json()["access_token"]
        me = plain.get(
            f"{host_base}/api/v1/users/me",
            headers={"Authorization": f"Bearer {tenant_token}"},
            follow_redirects=True,
        )
        assert me.status_code == 200
        assert me.json()["tenantId"] == tenant["id"]
        assert str(me.url).startswith(f"{host_base}/api/v1/users/")
        unknown = plain.get(f"{server.url}/_host/nobody.us.qlikcloud.com/api/v1/users/me")
        assert_qlik_error(unknown, 401, "LOGIN-2")
