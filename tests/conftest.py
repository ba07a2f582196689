"""Markers by folder: every test carries the marker of the tests/ folder it lives in, so `-m unit`, `-m emulator`,
`-m provider`, `-m compat`, `-m engine` and `-m examples` select exactly the folders of the README's test table.
`node` and `slow` are set in the modules they apply to. (A `pytestmark` in a conftest.py applies to nothing.)"""

from __future__ import annotations

from pathlib import Path

import pytest

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
