from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.pulumi_cli import PulumiCLI, toolchain_bin


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    return toolchain_bin()


@pytest.fixture
def pulumi_cli(tmp_path: Path, pulumi_bin: Path) -> PulumiCLI:
    return PulumiCLI(root=tmp_path / "pulumi")


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    # record_secrets: leak tests search for the real tokens and license keys the emulator handed out.
    with EmulatorServer(EmulatorConfig(record_secrets=True)) as server:
        yield server


@pytest.fixture
def control(emulator: EmulatorServer) -> Iterator[EmulatorControl]:
    with EmulatorControl(emulator.url) as control:
        yield control
