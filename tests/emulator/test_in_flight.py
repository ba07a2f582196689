"""The request log's `inFlight`: how many calls of one route a client had open at once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.spec_judge import judged_get

pytestmark = pytest.mark.emulator


def test_in_flight__counts_concurrent_requests_per_route() -> None:
    with EmulatorServer() as server, EmulatorControl(server.url) as control:
        # Held until all five are in: they overlap for certain, however slowly their threads start.
        hold = control.hold(path="/api/v1/licenses/overview")
        source = server.world.regions["us"].source_tenant

        def overview(_: int) -> int:
            response = judged_get(f"{server.url}/_host/{source}/api/v1/licenses/overview")
            return response.status_code

        with ThreadPoolExecutor(max_workers=5) as pool:
            answers = pool.map(overview, range(5))
            deadline = time.monotonic() + 30
            while sum(h.waiting for h in control.holds()) < 5 and time.monotonic() < deadline:
                time.sleep(0.01)
            control.release(hold.id)
            assert list(answers) == [401] * 5
        judged_get(f"{server.url}/_host/{source}/api/v1/licenses/overview")
        entries = control.requests()
        assert max(e.in_flight for e in entries[:5]) == 5
        assert entries[-1].in_flight == 1
