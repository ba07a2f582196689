"""QlikTenantProvider driven in-process, as the engine would call it, against one emulator per module."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_qlik.client import QlikClient, pacing
from pulumi_qlik.emulator import EmulatorConfig, EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.settings import RegionSeed
from pulumi_qlik.resources.tenant import QlikTenantProvider

REGIONS = ("us", "eu")


RATE_LIMIT = 1_000_000


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    # Property tests create hundreds of tenants: no allotment or rate limit may get in the way.
    config = EmulatorConfig(
        regions=[RegionSeed(code=code, max_tenants=100_000) for code in REGIONS],
        tier1_limit=RATE_LIMIT,
        tier2_limit=RATE_LIMIT,
    )
    with EmulatorServer(config) as server:
        yield server


class VirtualClock:
    """Time that passes only when someone waits: the pacer's decisions, without their wall-clock cost."""

    def __init__(self) -> None:
        self._now = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self._now += max(seconds, 0.0)


@pytest.fixture(autouse=True)
def _pace_to_the_emulators_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The providers here pace their calls to this emulator's limits, not to Qlik's 100 creates a minute, and
    wait on virtual time: a 429 storm still slows the pacer down (and every call still goes through it), and a
    5xx or a 429 is still retried after its backoff or `Retry-After`, but neither costs wall-clock time (the
    faults here are counted, not timed). Their timing is proven in tests/unit and the engine tests."""
    clock = VirtualClock()
    unlimited = pacing.Pacer(
        {tier: pacing.RateLimit(RATE_LIMIT, 60.0) for tier in (1, 2)}, clock=clock, sleep=clock.sleep
    )
    monkeypatch.setattr(pacing, "_default_pacer", unlimited)  # clients' retries wait on the pacer's time


@pytest.fixture(scope="module")
def control(emulator: EmulatorServer) -> Iterator[EmulatorControl]:
    with EmulatorControl(emulator.url) as control:
        yield control


def provider_config(emulator: EmulatorServer, default_region: str | None = "us") -> dict[str, Any]:
    world = emulator.world
    config: dict[str, Any] = {
        "qlik:endpoint": emulator.url,
        "qlik:credentials": {
            code: {
                "clientId": world.regions[code].client_id,
                "clientSecret": world.regions[code].client_secret,
            }
            for code in REGIONS
        },
    }
    if default_region:
        config["qlik:region"] = default_region
    return config


def configured_provider(emulator: EmulatorServer, default_region: str | None = "us") -> QlikTenantProvider:
    provider = QlikTenantProvider()
    provider.configure(ConfigureRequest(config=Config(provider_config(emulator, default_region), "test")))
    return provider


@pytest.fixture(scope="module")
def provider(emulator: EmulatorServer) -> Iterator[QlikTenantProvider]:
    provider = configured_provider(emulator)
    yield provider
    provider.close()


class LicenseKeys(dict[str, str]):
    """The regions' entitlement keys; `repr` names the regions only, so failure reports show no key."""

    def __repr__(self) -> str:
        return f"<license keys of {', '.join(self)}>"


@pytest.fixture(scope="module")
def license_keys(emulator: EmulatorServer) -> dict[str, str]:
    keys = LicenseKeys()
    for code in REGIONS:
        info = emulator.world.regions[code]
        with QlikClient(info.client_id, info.client_secret, endpoint=emulator.url) as client:
            keys[code] = client.get_license_overview(info.source_tenant).license_key.get_secret_value()
    return keys


@pytest.fixture(autouse=True)
def _create_journal_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The providers here journal their creates into a temporary file, never the user's ~/.pulumi."""
    path = tmp_path_factory.getbasetemp() / "create-journal" / "creates.jsonl"
    monkeypatch.setenv("QLIK_CREATE_JOURNAL", str(path))
