"""The markers select what the README's test table says: `-m unit`, `-m emulator`, `-m provider`, `-m compat`,
`-m engine` and `-m examples` exactly the tests of their folder; `-m node` the @qlik/api test; `-m slow` the fault
and bad-input matrices.

One `pytest --collect-only -m engine` of the whole suite in a subprocess (collection imports every test module,
so one run, not one per marker): it shows what `-m engine` really selects, and a small plugin records every
collected test's markers, selected or not, from which the other markers' selections follow as `-m` computes them
(a test is selected by `-m NAME` when one of its markers is NAME).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("unit", "emulator", "provider", "compat", "engine", "examples")
MODULE_MARKERS = {
    "node": {"tests/compat/test_qlik_api_node.py"},
    "slow": {"tests/engine/test_fault_matrix.py", "tests/engine/test_bad_input_matrix.py"},
}

RECORDER = """
import json, os

_deselected = []


def pytest_deselected(items):
    _deselected.extend(items)


def pytest_collection_finish(session):
    def row(item):
        return [item.nodeid, sorted({mark.name for mark in item.iter_markers()})]

    with open(os.environ["MARKER_RECORD"], "w") as out:
        json.dump({"selected": [row(i) for i in session.items], "deselected": [row(i) for i in _deselected]}, out)
"""


def test_markers__select_exactly_the_folders_and_modules_the_readme_names(tmp_path: Path) -> None:
    (tmp_path / "marker_recorder.py").write_text(RECORDER)
    record = tmp_path / "markers.json"
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "MARKER_RECORD": str(record)}
    collect_engine = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "engine"]
    proc = subprocess.run(
        [*collect_engine, "-p", "marker_recorder", "-p", "no:cacheprovider"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    collected = json.loads(record.read_text())
    selected = {test_id for test_id, _ in collected["selected"]}
    markers = {test_id: set(names) for test_id, names in collected["selected"] + collected["deselected"]}

    def module(test_id: str) -> str:
        return test_id.split("::", 1)[0]

    def in_folder(folder: str) -> set[str]:
        return {test_id for test_id in markers if test_id.startswith(f"tests/{folder}/")}

    # What `-m engine` really selected: the whole of tests/engine, nothing else.
    assert selected == in_folder("engine")
    assert set().union(*(in_folder(folder) for folder in FOLDERS)) == set(markers), (
        "a test outside the folders"
    )
    for folder in FOLDERS:
        assert in_folder(folder), f"no test collected in tests/{folder}"
        assert {t for t, names in markers.items() if folder in names} == in_folder(folder), folder
    for marker, modules in MODULE_MARKERS.items():
        assert {t for t, names in markers.items() if marker in names} == {
            t for t in markers if module(t) in modules
        }, marker
        assert {module(t) for t in markers} >= modules, f"a module marked {marker} was not collected"
