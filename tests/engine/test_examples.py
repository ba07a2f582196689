"""Every example deploys against the emulator with the real CLI, and a second preview changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.pulumi_cli import REPO_ROOT, PulumiCLI, copy_project

pytestmark = pytest.mark.engine

EXAMPLES = REPO_ROOT / "examples"


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer() as server:
        yield server


def _without_virtualenv_option(project: Path) -> None:
    # The copy lives outside the repository, where the example's relative virtualenv path doesn't lead.
    pulumi_yaml = project / "Pulumi.yaml"
    text = pulumi_yaml.read_text()
    text = text.replace("    virtualenv: ../../.venv\n", "").replace("  options:\n", "")
    pulumi_yaml.write_text(text.replace("runtime:\n  name: python\n", "runtime: python\n"))


def test_two_regions_example(pulumi_cli: PulumiCLI, emulator: EmulatorServer, tmp_path: Path) -> None:
    project = copy_project(EXAMPLES / "two-regions", tmp_path / "two-regions")
    _without_virtualenv_option(project)

    def run(*args: str, stdin: str | None = None) -> str:
        return pulumi_cli.run(*args, "--stack", "demo", cwd=project, stdin=stdin).stdout

    pulumi_cli.run("stack", "init", "demo", cwd=project)
    run("config", "set", "qlik:endpoint", emulator.url)
    run("config", "set", "--path", "regions[0]", "us")
    run("config", "set", "--path", "regions[1]", "eu")
    for code in ("us", "eu"):
        region = emulator.world.regions[code]
        run("config", "set", "--path", f"sourceTenants.{code}", region.source_tenant)
        run("config", "set", "--path", f"qlik:credentials.{code}.clientId", region.client_id)
        run(
            "config",
            "set",
            "--secret",
            "--path",
            f"qlik:credentials.{code}.clientSecret",
            stdin=region.client_secret,
        )

    run("up", "--yes", "--skip-preview")
    outputs = json.loads(run("stack", "output", "--json"))
    assert outputs["us_alias"] == "acme-us.us.qlikcloud.com"
    assert outputs["eu_alias"] == "acme-eu.eu.qlikcloud.com"
    run("preview", "--expect-no-changes")

    run("destroy", "--yes", "--skip-preview")
    with EmulatorControl(emulator.url) as control:
        assert {t.status for t in control.tenants() if not t.source} == {"disabled"}
