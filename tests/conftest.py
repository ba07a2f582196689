"""Markers by folder: every test carries the marker of the tests/ folder it lives in, so `-m unit`, `-m emulator`,
`-m provider`, `-m compat`, `-m engine` and `-m examples` select exactly the folders of the README's test table.
`node` and `slow` are set in the modules they apply to. (A `pytestmark` in a conftest.py applies to nothing.)

And one hygiene rule for every test: Pulumi's mocks and the asyncio loop they run on are process-wide, so each
test ends with the runtime unmocked and the loops made for it closed: the main thread's and those Pulumi made in
its executor threads (found where Pulumi makes them, not by a sweep of the process)."""

from __future__ import annotations

import asyncio
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pulumi.runtime.mocks
import pulumi.runtime.settings
import pulumi.runtime.sync_await
import pytest
from pulumi.runtime.mocks import MockMonitor

from pulumi_qlik.operations.made_here import made_here

TESTS = Path(__file__).parent
FOLDER_MARKERS = {
    "unit": "unit",
    "emulator": "emulator",
    "provider": "provider",
    "compat": "compat",
    "engine": "engine",
    "examples": "examples",
}


# tryfirst: before pytest's own hook deselects by `-m`.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not item.path.is_relative_to(TESTS):
            continue  # a test file named on the command line from elsewhere: not ours to mark
        marker = FOLDER_MARKERS.get(item.path.relative_to(TESTS).parts[0])
        if marker is None:
            raise pytest.UsageError(
                f"{item.nodeid}: tests live in one of the folders {sorted(FOLDER_MARKERS)}"
            )
        item.add_marker(marker)


@pytest.fixture(autouse=True)
def _a_new_provider_process() -> None:
    """What the providers of a process learn of the tenants it made (`operations/made_here.py`) starts empty
    in each test, as in each `pulumi` command: tests run many emulators, and reuse hostnames, in one process."""
    made_here().clear()


@pytest.fixture(autouse=True)
def _process_wide_pulumi_state_reset(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """After a test that used `pulumi.runtime.set_mocks` (the examples, users' unit tests, the functions under
    mocks): the runtime unmocked, so the next test's functions make their real calls; the event loops Pulumi
    made for the test's executor threads closed; and the main thread's loop closed, so no later test drops one
    unclosed (a ResourceWarning, an error here)."""
    made = _record_pulumi_thread_loops(monkeypatch)
    yield
    if isinstance(pulumi.runtime.settings.get_monitor(), MockMonitor):
        pulumi.runtime.settings.reset_options()
    for each in made:
        each.close()  # idle: the test is over; a running one is a leak of the test's own, and raises here
    policy = asyncio.get_event_loop_policy()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            loop = policy.get_event_loop()
    except RuntimeError:
        loop = None  # set to None by the test: nothing to close
    if loop is not None and not loop.is_running():
        loop.close()
    asyncio.set_event_loop_policy(None)


def _record_pulumi_thread_loops(monkeypatch: pytest.MonkeyPatch) -> list[asyncio.AbstractEventLoop]:
    """The event loops Pulumi makes, during this test, in threads other than the main one.

    Under mocks, Pulumi runs each invoke and registration in an executor thread (`run_in_executor`), where
    `_ensure_event_loop` (pulumi/runtime/sync_await.py, imported by name into mocks.py) makes a loop for the
    thread and never closes it: reclaimed with the thread, at whatever moment, it warns "unclosed event loop".
    Pulumi's own two copies of the function record what they make, so the fixture closes exactly those."""
    made: list[asyncio.AbstractEventLoop] = []
    original = pulumi.runtime.sync_await._ensure_event_loop

    def ensure_event_loop() -> asyncio.AbstractEventLoop:
        loop: asyncio.AbstractEventLoop = original()
        if threading.current_thread() is not threading.main_thread() and loop not in made:
            made.append(loop)
        return loop

    monkeypatch.setattr(pulumi.runtime.sync_await, "_ensure_event_loop", ensure_event_loop)
    monkeypatch.setattr(pulumi.runtime.mocks, "_ensure_event_loop", ensure_event_loop)
    return made
