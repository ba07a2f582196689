"""examples/unit-testing: a user's own unit tests with Pulumi's mocks run with no Qlik, no emulator, no network.

Its tests run as a user runs them (`python -m pytest` in the project), in a process where every TCP/UDP
`connect` fails and is recorded, and whose `qlik:` config points at an unroutable address with credentials: a
function that still called Qlik would try to connect, and the run would fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "unit-testing"

NO_NETWORK = """
import pathlib, socket
_log = pathlib.Path(__file__).with_name("connects.log")
_log.write_text("armed\\n")
_connect = socket.socket.connect

def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        with _log.open("a") as log:
            log.write(f"connect {address}\\n")
        raise OSError("no network in this test")
    return _connect(self, address)

socket.socket.connect = connect
"""


def test_unit_testing_example__passes_without_network(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(NO_NETWORK)
    qlik_config = {
        "qlik:endpoint": "https://192.0.2.1:9",  # TEST-NET-1: routes nowhere
        "qlik:clientId": "unit-test-client",
        "qlik:clientSecret": "unit-test-secret",
    }
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
        "PULUMI_CONFIG": json.dumps(qlik_config),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_infra.py"],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = (tmp_path / "connects.log").read_text()
    assert log.startswith("armed"), "the network guard was not loaded: the test would prove nothing"
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 passed" in proc.stdout
    assert "connect" not in log.removeprefix("armed"), log
