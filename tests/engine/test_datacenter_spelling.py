"""Qlik may spell a datacenter otherwise than our region table: no plan may replace (= deactivate) a tenant for it.

The emulator answers `US_EAST_1` and `EU-West-1` for tenants created with `us-east-1` and `eu-west-1`; the real
engine runs `up` (with its preview), `preview --expect-no-changes`, `refresh` and the preview again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_qlik.emulator.settings import RegionSeed
from tests.engine.pulumi_cli import PulumiCLI
from tests.engine.reliability_kit import Emulator, FleetStack, fleet, secrets_in_plain_text

pytestmark = pytest.mark.engine

SPELLED = {"us": "US_EAST_1", "eu": "EU-West-1"}


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Emulator]:
    regions = [RegionSeed(code=code, reported_datacenter=spelling) for code, spelling in SPELLED.items()]
    emu = Emulator(tmp_path / "emulator.json", regions=regions)
    yield emu
    emu.close()


def test_datacenter_spelled_otherwise_by_qlik__no_replace(
    pulumi_cli: PulumiCLI, emulator: Emulator, tmp_path: Path
) -> None:
    fs = FleetStack(pulumi_cli, emulator, tmp_path)
    fs.declare(fleet(2))
    fs.run("up", "--yes")
    states = fs.stack.tenants()
    assert sorted(t["outputs"]["datacenter"] for t in states) == sorted(SPELLED.values()), (
        "the emulator must answer its own spelling, or this test proves nothing"
    )
    fs.run("preview", "--expect-no-changes")
    fs.run("refresh", "--yes")
    fs.run("preview", "--expect-no-changes")
    second = fs.run("up", "--yes")
    assert "replace" not in second.stdout.lower(), second.stdout
    assert sorted(t["id"] for t in fs.stack.tenants()) == sorted(t["id"] for t in states)
    assert [t.status for t in emulator.created()] == ["active", "active"]
    assert not secrets_in_plain_text(fs)
