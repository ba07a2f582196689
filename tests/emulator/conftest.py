"""Fixtures for the emulator contract tests: one server per session, reset before every test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from pulumi_qlik.emulator import EmulatorConfig, EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.schemas import RegionInfo, WorldInfo
from tests import spec_files, spec_judge


@dataclass
class Qlik:
    """Plain httpx against the emulator, addressing virtual hosts by the ``Host`` header."""

    http: httpx.Client
    world: WorldInfo

    def region(self, code: str = "us") -> RegionInfo:
        return self.world.regions[code]

    def request(
        self, method: str, host: str, path: str, *, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = {"Host": host, **kwargs.pop("headers", {})}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, path, headers=headers, **kwargs)

    def token_response(self, host: str, client_id: str, client_secret: str) -> httpx.Response:
        body = {"client_id": client_id, "client_secret": client_secret, "grant_type": "client_credentials"}
        return self.request("POST", host, "/oauth/token", json=body)

    def token(self, host: str, region: str = "us") -> str:
        info = self.region(region)
        response = self.token_response(host, info.client_id, info.client_secret)
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def org_token(self) -> str:
        org = self.world.organization
        response = self.token_response(org.host, org.client_id, org.client_secret)
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def license_key(self, region: str = "us") -> str:
        source = self.region(region).source_tenant
        response = self.request("GET", source, "/api/v1/licenses/overview", token=self.token(source, region))
        assert response.status_code == 200, response.text
        return str(response.json()["licenseKey"])

    def create_tenant(self, region: str = "us", **body: Any) -> dict[str, Any]:
        register = self.region(region).register_host
        payload = {"licenseKey": self.license_key(region), **body}
        response = self.request(
            "POST", register, "/api/v1/tenants", token=self.token(register, region), json=payload
        )
        assert response.status_code == 201, response.text
        tenant: dict[str, Any] = response.json()
        return tenant


INVITE_PATH = "/api/v1/users/actions/invite"
NEW_SERVICE_NUMERIC_STATUS = (
    "/api/scheduling/tasks",
    "/api/v1/data-connections",
    "/api/v1/data-credentials",
    "/api/v1/themes",
    "/api/v1/extensions",
)

NUMERIC_STATUS_APIS = (
    "/api/v1/users",
    "/api/v1/groups",
    "/api/v1/identity-providers",
    *NEW_SERVICE_NUMERIC_STATUS,
)
"""APIs whose published ``Error.status`` is a number (users.d.ts, groups.json, identity-providers.json)."""


def assert_qlik_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Qlik's error body: ``{"errors":[{"code","title","status",...}],"traceId"}``; returns errors[0].

    Per API, as its published spec spells it: the users API's ``status`` is a number; the invite action's
    ``code`` is an integer, the HTTP status (``code`` is then not checked); the licenses API's
    ``ErrorResponse`` adds the top-level ``error`` and ``message`` (docs/emulator.md, fidelity table).
    """
    assert response.status_code == status, response.text
    body = response.json()
    path = response.request.url.path
    licenses_api = "/api/v1/licenses/" in path
    assert set(body) == ({"errors", "traceId", "error", "message"} if licenses_api else {"errors", "traceId"})
    assert len(body["traceId"]) == 32
    assert response.headers["x-trace-id"] == body["traceId"]
    error: dict[str, Any] = body["errors"][0]
    numeric = any(api in path for api in NUMERIC_STATUS_APIS)
    assert error["status"] == (status if numeric else str(status))
    assert error["title"]
    if path.endswith(INVITE_PATH):
        assert error["code"] == status
    elif code is not None:
        assert error["code"] == code
    return error


@pytest.fixture(scope="session")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(seed="contract-tests")) as running:
        yield running


@pytest.fixture(scope="session")
def _control(server: EmulatorServer) -> Iterator[EmulatorControl]:
    with EmulatorControl(server.url) as client:
        yield client


@pytest.fixture(scope="session")
def judge() -> spec_judge.SpecJudge:
    """Qlik's specs as judge of every answer (tests/spec_judge.py); fails, never skips, without them."""
    try:
        return spec_judge.shared_judge()
    except spec_files.SpecsMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def _http(server: EmulatorServer, judge: spec_judge.SpecJudge) -> Iterator[httpx.Client]:
    with spec_judge.judged_client(base_url=server.url, timeout=10) as http:
        yield http


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The judge's count at the end of the run (only when the run judged anything)."""
    judge = spec_judge.loaded_judge()
    if judge is not None:
        for line in judge.summary():
            terminalreporter.write_line(line)


@pytest.fixture
def control(_control: EmulatorControl) -> EmulatorControl:
    """The control plane, after a reset to the seeded world (no tenants created, clock at now, no faults)."""
    _control.reset()
    return _control


@pytest.fixture
def qlik(_http: httpx.Client, control: EmulatorControl) -> Qlik:
    return Qlik(_http, control.world())
