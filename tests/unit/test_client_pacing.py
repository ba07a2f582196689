"""Client-side pacing: requests wait for room in Qlik's per-tier, per-host budget instead of meeting 429s."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from pulumi_qlik.client import Pacer, QlikClient, RateLimit, TokenCache
from pulumi_qlik.client.pacing import PaceKey, tier_of
from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


KEY = PaceKey("https", "register.us.qlikcloud.com", "client-a", 2)


def test_pacer__waits_for_the_oldest_request_to_leave_the_window() -> None:
    time = FakeTime()
    pacer = Pacer({2: RateLimit(3, 10.0)}, margin_seconds=0.5, clock=time.clock, sleep=time.sleep)
    for _ in range(3):
        assert pacer.acquire(KEY) == 0.0
        time.now += 1.0
    # Sent at 1000, 1001, 1002; now 1003: room again at 1000 + 10 + 0.5.
    assert pacer.acquire(KEY) == pytest.approx(7.5)
    assert time.now == pytest.approx(1010.5)
    # The next one waits for the request sent at 1001.
    assert pacer.acquire(KEY) == pytest.approx(1.0)


def test_pacer__budgets_are_per_host_client_and_tier() -> None:
    time = FakeTime()
    pacer = Pacer({1: RateLimit(1, 60.0), 2: RateLimit(1, 60.0)}, clock=time.clock, sleep=time.sleep)
    assert pacer.acquire(KEY) == 0.0
    assert pacer.acquire(KEY._replace(host="abc.us.qlikcloud.com")) == 0.0
    assert pacer.acquire(KEY._replace(client_id="client-b")) == 0.0
    assert pacer.acquire(KEY._replace(tier=1)) == 0.0
    assert time.slept == []
    assert pacer.acquire(KEY) > 0


def test_pacer__tier_without_a_limit_is_not_paced() -> None:
    time = FakeTime()
    pacer = Pacer({2: RateLimit(1, 60.0)}, clock=time.clock, sleep=time.sleep)
    for _ in range(5):
        assert pacer.acquire(KEY._replace(tier=1)) == 0.0


@pytest.mark.parametrize(
    ("method", "tier"), [("GET", 1), ("get", 1), ("POST", 2), ("PATCH", 2), ("DELETE", 2)]
)
def test_tier_of(method: str, tier: int) -> None:
    assert tier_of(method) == tier


def test_rate_limit__rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="requests >= 1"):
        RateLimit(0, 60.0)


def test_concurrent_creates__paced_under_the_emulators_limit__no_429() -> None:
    """Six concurrent creates against a register host that allows two tier-2 calls a second: all succeed
    on their first attempt (no retries allowed), and the emulator answered no 429."""
    config = EmulatorConfig(seed="pacing", tier2_limit=2, rate_window_seconds=1)
    with EmulatorServer(config) as server, EmulatorControl(server.url) as control:
        us = server.world.regions["us"]
        pacer = Pacer({2: RateLimit(2, 1.0)}, margin_seconds=0.2)
        with QlikClient(
            us.client_id,
            us.client_secret,
            endpoint=server.url,
            token_cache=TokenCache(),
            pacer=pacer,
            max_retries=0,
        ) as qlik:
            key = qlik.get_license_overview(us.source_tenant).license_key
            with ThreadPoolExecutor(max_workers=6) as pool:
                created = list(
                    pool.map(lambda _: qlik.create_tenant(us.register_host, license_key=key), range(6))
                )
        assert len({tenant.id for tenant in created}) == 6
        posts = [e for e in control.requests() if e.method == "POST" and e.route == "/api/v1/tenants"]
        assert [e.status for e in posts] == [201] * 6
