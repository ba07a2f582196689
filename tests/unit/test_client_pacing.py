"""Client-side pacing: requests wait for room in Qlik's per-tier, per-host budget instead of meeting 429s, and
adapt to what the server lets through (AIMD): on a fake clock, no timing."""

from __future__ import annotations

import math
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import pytest

from pulumi_qlik.client import Pacer, QlikClient, RateLimit, TokenCache
from pulumi_qlik.client.pacing import MIN_SPACING, SLOW_DOWN, SPEED_UP, PaceKey, tier_of
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
        assert pacer.acquire(KEY).waited == 0.0
        time.now += 1.0
    # Sent at 1000, 1001, 1002; now 1003: room again at 1000 + 10 + 0.5.
    assert pacer.acquire(KEY).waited == pytest.approx(7.5)
    assert time.now == pytest.approx(1010.5)
    # The next one waits for the request sent at 1001.
    assert pacer.acquire(KEY).waited == pytest.approx(1.0)


def test_pacer__budgets_are_per_host_client_and_tier() -> None:
    time = FakeTime()
    pacer = Pacer({1: RateLimit(1, 60.0), 2: RateLimit(1, 60.0)}, clock=time.clock, sleep=time.sleep)
    assert pacer.acquire(KEY).waited == 0.0
    assert pacer.acquire(KEY._replace(host="abc.us.qlikcloud.com")).waited == 0.0
    assert pacer.acquire(KEY._replace(client_id="client-b")).waited == 0.0
    assert pacer.acquire(KEY._replace(tier=1)).waited == 0.0
    assert time.slept == []
    assert pacer.acquire(KEY).waited > 0


def test_pacer__tier_without_a_limit_is_not_paced() -> None:
    time = FakeTime()
    pacer = Pacer({2: RateLimit(1, 60.0)}, clock=time.clock, sleep=time.sleep)
    for _ in range(5):
        assert pacer.acquire(KEY._replace(tier=1)).waited == 0.0


def adaptive(time: FakeTime) -> Pacer:
    """Qlik's documented limits (far above what these tests send): only what the pacer learns paces."""
    return Pacer(clock=time.clock, sleep=time.sleep)


def test_429__holds_every_request_of_its_host_until_retry_after() -> None:
    time = FakeTime()
    pacer = adaptive(time)
    slot = pacer.acquire(KEY)
    pacer.rate_limited(KEY, slot, 5.0)

    assert pacer.acquire(KEY).waited == pytest.approx(5.0)
    assert time.now == pytest.approx(1005.0)


def test_429__spacing_becomes_the_rate_the_server_let_through() -> None:
    time = FakeTime()
    pacer = adaptive(time)
    # A burst of four at once: the server takes one and answers 429 (Retry-After 1) to the other three.
    slots = [pacer.acquire(KEY) for _ in range(4)]
    pacer.accepted(KEY)
    for slot in slots[1:]:
        pacer.rate_limited(KEY, slot, 1.0)

    # One let through in a second: one a second, whatever the count of 429s answering the same burst.
    assert pacer.spacing(KEY) == pytest.approx(1.0)
    sent = [pacer.acquire(KEY).sent_at for _ in range(3)]
    assert sent == pytest.approx([1001.0, 1002.0, 1003.0])


def test_429_after_the_slow_down__slows_down_again_multiplicatively() -> None:
    time = FakeTime()
    pacer = adaptive(time)
    pacer.rate_limited(KEY, pacer.acquire(KEY), 1.0)
    assert pacer.spacing(KEY) == pytest.approx(1.0)
    time.now += 0.5
    pacer.rate_limited(KEY, pacer.acquire(KEY), 1.0)  # sent after the slow-down: news

    assert pacer.spacing(KEY) == pytest.approx(1.0 * SLOW_DOWN)


def test_accepted_requests__speed_back_up_to_no_spacing() -> None:
    time = FakeTime()
    pacer = adaptive(time)
    pacer.rate_limited(KEY, pacer.acquire(KEY), 1.0)

    pacer.accepted(KEY)
    assert pacer.spacing(KEY) == pytest.approx(SPEED_UP)
    steps = 1
    while pacer.spacing(KEY):
        pacer.accepted(KEY)
        steps += 1
    assert steps == math.ceil(math.log(MIN_SPACING) / math.log(SPEED_UP))


def test_a_new_host__starts_at_the_narrowest_spacing_its_siblings_learnt() -> None:
    time = FakeTime()
    pacer = adaptive(time)
    pacer.rate_limited(KEY, pacer.acquire(KEY), 2.0)
    crowded = KEY._replace(host="register.eu.qlikcloud.com")  # shared with other processes: a wider spacing
    pacer.rate_limited(crowded, pacer.acquire(crowded), 5.0)

    new_host = KEY._replace(host="abc.us.qlikcloud.com")
    assert pacer.spacing(new_host) == pytest.approx(2.0)
    assert pacer.spacing(KEY._replace(client_id="client-b", host="x.us.qlikcloud.com")) == 0.0
    assert pacer.spacing(KEY._replace(tier=1, host="y.us.qlikcloud.com")) == 0.0
    # Its first request is not held by the other host's Retry-After; the second keeps the spacing.
    assert pacer.acquire(new_host).waited == 0.0
    assert pacer.acquire(new_host).waited == pytest.approx(2.0)


def test_a_stream_under_a_limit_tighter_than_documented__few_429s_no_stampede() -> None:
    """60 requests, always ready, to a host that allows one a second (the emulator's rule: a sliding window,
    Retry-After in whole seconds). Without learning, every request would be sent at once and retried together."""
    time = FakeTime()
    pacer = adaptive(time)
    window: deque[float] = deque()
    accepted = rejected = 0
    started = time.now
    while accepted < 60:
        slot = pacer.acquire(KEY)
        while window and window[0] <= time.now - 1.0:
            window.popleft()
        if window:
            rejected += 1
            pacer.rate_limited(KEY, slot, max(1, math.ceil(window[0] + 1.0 - time.now)))
        else:
            window.append(time.now)
            accepted += 1
            pacer.accepted(KEY)
        time.now += 0.01  # the round trip

    assert rejected < 12
    # Within 20 % of the schedule the limit allows (one a second), on the fake clock.
    assert time.now - started < 60 * 1.2


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


def test_concurrent_writes__limit_tighter_than_documented__all_succeed_without_a_stampede() -> None:
    """Five concurrent creates on a register host that allows one tier-2 call a second, with Qlik's documented
    limits in the pacer and no retries of faults: the pacer learns the real limit from the first 429s and lets the
    rest go one at a time, so every call succeeds and the 429s stay below the 4 + 3 + 2 + 1 of calls that all
    retry at once."""
    config = EmulatorConfig(seed="aimd", tier2_limit=1, rate_window_seconds=1)
    with EmulatorServer(config) as server, EmulatorControl(server.url) as control:
        us = server.world.regions["us"]
        with QlikClient(
            us.client_id,
            us.client_secret,
            endpoint=server.url,
            token_cache=TokenCache(),
            pacer=Pacer(),
            max_retries=0,
        ) as qlik:
            key = qlik.get_license_overview(us.source_tenant).license_key
            with ThreadPoolExecutor(max_workers=5) as pool:
                created = list(
                    pool.map(lambda _: qlik.create_tenant(us.register_host, license_key=key), range(5))
                )
        assert len({tenant.id for tenant in created}) == 5
        posts = [e for e in control.requests() if e.method == "POST" and e.route == "/api/v1/tenants"]
        assert [e.status for e in posts].count(201) == 5
        assert 0 < [e.status for e in posts].count(429) < 10
