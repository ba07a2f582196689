from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.pulumi_cli import PulumiCLI, toolchain_bin


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    return toolchain_bin()


@pytest.fixture
def pulumi_cli(tmp_path: Path, pulumi_bin: Path) -> PulumiCLI:
    return PulumiCLI(root=tmp_path / "pulumi")
