"""Every example deploys against the emulator with the real CLI, and a second preview changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.pulumi_cli import REPO_ROOT, PulumiCLI, Stack, copy_project

pytestmark = pytest.mark.engine

EXAMPLES = REPO_ROOT / "examples"


def _without_virtualenv_option(project: Path) -> None:
    # The copy lives outside the repository, where the example's relative virtualenv path doesn't lead.
    pulumi_yaml = project / "Pulumi.yaml"
    text = pulumi_yaml.read_text()
    text = text.replace("    virtualenv: ../../.venv\n", "").replace("  options:\n", "")
    pulumi_yaml.write_text(text.replace("runtime:\n  name: python\n", "runtime: python\n"))


def test_two_regions_example(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    project = copy_project(EXAMPLES / "two-regions", tmp_path / "two-regions")
    _without_virtualenv_option(project)
    pulumi_cli.run("stack", "init", "demo", cwd=project)
    stack = Stack(pulumi_cli, project, "qlik-two-regions", "demo")

    stack.config("qlik:endpoint", emulator.url)
    stack.config("regions[0]", "us", path=True)
    stack.config("regions[1]", "eu", path=True)
    for code in ("us", "eu"):
        region = emulator.world.regions[code]
        stack.config(f"sourceTenants.{code}", region.source_tenant, path=True)
        stack.config(f"qlik:credentials.{code}.clientId", region.client_id, path=True)
        stack.config(f"qlik:credentials.{code}.clientSecret", region.client_secret, path=True, secret=True)

    stack.run("up", "--yes", "--skip-preview")
    outputs = stack.outputs()
    assert outputs["us_alias"] == "acme-us.us.qlikcloud.com"
    assert outputs["eu_alias"] == "acme-eu.eu.qlikcloud.com"
    stack.run("preview", "--expect-no-changes")

    stack.run("destroy", "--yes", "--skip-preview")
    assert {t.status for t in control.tenants() if not t.source} == {"disabled"}
