"""Markers by folder: every test carries the marker of the tests/ folder it lives in, so `-m unit`, `-m emulator`,
`-m provider`, `-m compat`, `-m engine` and `-m examples` select exactly the folders of the README's test table.
`node` and `slow` are set in the modules they apply to. (A `pytestmark` in a conftest.py applies to nothing.)

And one hygiene rule for every test: Pulumi's mocks and the asyncio loop they run on are process-wide, so each
test ends with the runtime unmocked and the main thread's loop closed."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import warnings
from collections.abc import Iterator
from pathlib import Path

import pulumi.runtime.settings
import pytest
from pulumi.runtime.mocks import MockMonitor

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
def _process_wide_pulumi_state_reset() -> Iterator[None]:
    """After a test that used `pulumi.runtime.set_mocks` (the examples, users' unit tests, the functions under
    mocks): the runtime unmocked, so the next test's functions make their real calls; and the event loop the mocks
    ran on closed, so no later test drops it unclosed (a ResourceWarning, an error here)."""
    yield
    if isinstance(pulumi.runtime.settings.get_monitor(), MockMonitor):
        pulumi.runtime.settings.reset_options()
        # Pulumi's MockMonitor.Invoke makes an event loop in the executor thread of every mocked invoke and never
        # closes it (pulumi/runtime/mocks.py, `_ensure_event_loop`); the package's functions go through that path
        # under mocks. Closed here, those loops are not reclaimed unclosed later, at whatever moment the GC runs.
        for obj in gc.get_objects():
            if isinstance(obj, asyncio.BaseEventLoop) and not obj.is_running() and not obj.is_closed():
                with contextlib.suppress(OSError, ValueError):  # half torn down by its thread's exit already
                    obj.close()
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
