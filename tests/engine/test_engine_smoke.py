"""The toolchain itself: a trivial dynamic resource through the real CLI and through the Automation API."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pulumi import automation as auto

from tests.engine.pulumi_cli import REPO_ROOT, PulumiCLI, copy_project, resources_of_type

pytestmark = pytest.mark.engine

SMOKE_PROJECT = Path(__file__).parent / "projects" / "smoke"
DYNAMIC_TYPE = "pulumi-python:dynamic:Resource"


def test_cli_up_preview_refresh_destroy(pulumi_cli: PulumiCLI, tmp_path: Path) -> None:
    project = copy_project(SMOKE_PROJECT, tmp_path / "smoke")
    pulumi_cli.run("stack", "init", "dev", cwd=project)
    pulumi_cli.run("config", "set", "message", "hello", cwd=project)

    pulumi_cli.run("up", "--yes", "--skip-preview", cwd=project)
    [echo] = resources_of_type(pulumi_cli.stack_state("engine-smoke", "dev"), DYNAMIC_TYPE)
    assert echo["id"] == "echo-hello"
    assert echo["outputs"]["length"] == 5
    assert pulumi_cli.outputs("dev", cwd=project) == {"length": 5}

    # --expect-no-changes turns any planned change into a non-zero exit.
    pulumi_cli.run("preview", "--expect-no-changes", cwd=project)
    pulumi_cli.run("refresh", "--yes", "--expect-no-changes", cwd=project)

    pulumi_cli.run("config", "set", "message", "bonjour", cwd=project)
    up = pulumi_cli.run("up", "--yes", "--skip-preview", cwd=project)
    assert "1 updated" in up.stdout
    [echo] = resources_of_type(pulumi_cli.stack_state("engine-smoke", "dev"), DYNAMIC_TYPE)
    assert echo["outputs"]["length"] == 7

    pulumi_cli.run("destroy", "--yes", "--skip-preview", cwd=project)
    assert resources_of_type(pulumi_cli.stack_state("engine-smoke", "dev"), DYNAMIC_TYPE) == []


def _inline_program() -> None:
    import pulumi

    from tests.engine.echo import Echo

    echo = Echo("greeting", "automation")
    pulumi.export("length", echo.length)


def test_automation_api_up_preview_destroy(pulumi_bin: Path, tmp_path: Path) -> None:
    backend = tmp_path / "backend"
    backend.mkdir()
    env = {
        "PULUMI_CONFIG_PASSPHRASE": "engine-test-passphrase",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_PYTHON_CMD": str(REPO_ROOT / ".venv" / "bin" / "python"),
        # The dynamic provider process imports the pickled provider class from tests.engine.echo.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
        "PATH": os.pathsep.join([str(pulumi_bin), os.environ["PATH"]]),
    }
    stack = auto.create_stack(
        "dev",
        project_name="automation-smoke",
        program=_inline_program,
        opts=auto.LocalWorkspaceOptions(
            pulumi_home=str(tmp_path / "home"),
            pulumi_command=auto.PulumiCommand(root=str(pulumi_bin.parent)),
            env_vars=env,
            project_settings=auto.ProjectSettings(
                name="automation-smoke",
                runtime="python",
                backend=auto.ProjectBackend(url=f"file://{backend}"),
            ),
            secrets_provider="passphrase",
        ),
    )
    up = stack.up()
    assert up.outputs["length"].value == len("automation")
    assert up.summary.resource_changes == {"create": 2}  # the stack and the echo

    preview = stack.preview()
    assert preview.change_summary == {"same": 2}

    stack.destroy()
    assert stack.export_stack().deployment.get("resources") in (None, [])
