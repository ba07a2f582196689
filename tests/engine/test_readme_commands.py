"""The commands the docs give a user, run as written (copied out of the Markdown, not retyped here):

- the README's GitHub Actions job: its two `run:` scripts, in a workspace holding the root quick-start project
  and this repository's sources where the job checks them out (tests/unit/test_readme_ci.py lints the YAML);
- examples/stack-per-region/README.md: the Qlik Cloud block initialises new stacks on its own (up to its
  `pulumi up`, which needs Qlik Cloud), and the emulator block deploys both stacks and leaves the committed
  files as they were.

Each run is searched for the emulator's client secrets: in what it printed and on any process's command line.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.engine.command_lines import CommandLines
from tests.engine.pulumi_cli import CLI_TIMEOUT_SECONDS, REPO_ROOT, tracked_sources
from tests.readme import README, fenced_blocks

STACK_PER_REGION = REPO_ROOT / "examples" / "stack-per-region"
PASSPHRASE = "readme-commands-passphrase"


def _hermetic_env(tmp_path: Path, pulumi_bin: Path, *path_first: Path) -> dict[str, str]:
    """No PULUMI_/QLIK_ variable of the machine; the toolchain on PATH; a private Pulumi home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "QLIK_", "VIRTUAL_ENV"))}
    env.update(
        PATH=os.pathsep.join([*map(str, path_first), str(pulumi_bin), "/usr/local/bin", "/usr/bin", "/bin"]),
        PULUMI_HOME=str(tmp_path / "pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        NO_COLOR="1",
    )
    return env


def _bash(
    script: str,
    cwd: Path,
    env: dict[str, str],
    secrets: Callable[[], dict[str, str]],
    timeout: float = 3 * CLI_TIMEOUT_SECONDS,
) -> str:
    """`bash -e` as a GitHub Actions `run:` step; in a session of its own, ended with what it left running.
    `secrets` gives the secrets known once it ran: a failure shows the output without them."""
    proc = subprocess.Popen(
        ["bash", "-e", "-c", script],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    if proc.returncode != 0:
        shown = output
        for label, value in secrets().items():
            shown = shown.replace(value, f"[{label}]")
        raise AssertionError(f"script exited {proc.returncode}:\n{script}\n--- output\n{shown}")
    return output


def _assert_no_client_secret(secrets: dict[str, str], output: str, command_lines: CommandLines) -> None:
    """Before any assertion that prints the output."""
    assert len(secrets) >= 3
    haystacks = {"output": output, "command lines": "\n".join(command_lines.all())}
    leaks = sorted(
        f"{what} in {where}" for where, text in haystacks.items() for what, v in secrets.items() if v in text
    )
    assert not leaks, f"secrets found in plain text: {leaks}"


def _secrets_in(start_up_line: Path) -> dict[str, str]:
    """The client secrets of the emulator that printed `start_up_line` (none before it started)."""
    if not start_up_line.exists():
        return {}
    info = json.loads(start_up_line.read_text())
    return {f"client secret {c['name']}": c["client_secret"] for c in info["clients"]}


def _secrets_of_state(state_file: Path) -> dict[str, str]:
    """The client secrets in an emulator's state file (kept after it stopped)."""
    if not state_file.exists():
        return {}
    world = json.loads(state_file.read_text())
    return {f"client secret {c['name']}": c["secret"] for c in world["seeded"]["clients"]}


def test_readme_ci_job__its_scripts_install_and_deploy_as_written(
    tmp_path: Path, pulumi_bin: Path, command_lines: CommandLines
) -> None:
    [workflow_text] = fenced_blocks(README, "yaml")
    workflow = yaml.safe_load(workflow_text)
    [job] = workflow["jobs"].values()
    steps = [step for step in job["steps"] if "run" in step]
    assert [step["name"] for step in steps] == [
        "Install pulumi-qlik and its emulator",
        "Deploy against the Qlik Cloud emulator",
    ]
    [checkout_path] = [s["with"]["path"] for s in job["steps"] if s.get("with", {}).get("path")]

    # The runner's workspace: the user's project (here the root quick start) and pulumi-qlik where the job's
    # second checkout puts it; `python` is a plain interpreter, as actions/setup-python leaves it.
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy2(REPO_ROOT / name, workspace / name)
    tracked_sources(workspace / checkout_path)
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "python").symlink_to(Path(sys.base_prefix) / "bin" / "python3")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    env = _hermetic_env(tmp_path, pulumi_bin, tools)
    # The language host built here ignores the project's `virtualenv:` (see the README's engine section).
    env.update(RUNNER_TEMP=str(runner_temp), PULUMI_PYTHON_CMD=str(workspace / ".venv" / "bin" / "python"))

    start_up_line = runner_temp / "emulator.json"
    outputs = []
    for step in steps:
        step_env = {**env, **step.get("env", {})}
        outputs.append(_bash(step["run"], workspace, step_env, lambda: _secrets_in(start_up_line)))
    _assert_no_client_secret(_secrets_in(start_up_line), "\n".join(outputs), command_lines)
    installed = subprocess.run(
        [workspace / ".venv" / "bin" / "python", "-c", "import pulumi_qlik; print(pulumi_qlik.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert Path(installed.strip()).is_relative_to(workspace / ".venv"), installed

    deploy = outputs[-1]
    assert re.search(r"\+ 2 created", deploy), deploy  # the stack and its tenant
    assert re.search(r"- 2 deleted", deploy), deploy


def _stack_per_region_blocks() -> tuple[str, str]:
    cloud, emulator = fenced_blocks(STACK_PER_REGION / "README.md", "sh")
    return cloud, emulator


def test_stack_per_region_readme__qlik_cloud_block_sets_up_new_stacks_on_its_own(
    tmp_path: Path, pulumi_bin: Path
) -> None:
    """A new user's first run: no stack exists yet. Run up to `pulumi up` (Qlik Cloud is out of reach here),
    with the placeholders filled in and the prompted secrets typed on stdin."""
    cloud, _ = _stack_per_region_blocks()
    secrets = {"us": "us-secret-typed-at-the-prompt", "eu": "eu-secret-typed-at-the-prompt"}
    lines = []
    for line in cloud.splitlines():
        if line.startswith("pulumi up"):
            continue
        line = line.replace("<US OAuth client id>", "us-client").replace("<EU OAuth client id>", "eu-client")
        line = line.replace("<your-source>", "acme-source")
        if "--secret" in line:
            stack = re.search(r"--stack (\w+)", line)
            assert stack is not None, line
            line = f'{line.split("#")[0]} <<< "$TYPED_SECRET_{stack[1].upper()}"'
        lines.append(line)
    assert any(line.startswith("pulumi stack init") for line in lines), "the block creates no stack"

    project = Path(shutil.copytree(STACK_PER_REGION, tmp_path / "stack-per-region"))
    env = _hermetic_env(tmp_path, pulumi_bin)
    (tmp_path / "backend").mkdir()
    env.update(
        PULUMI_BACKEND_URL=f"file://{tmp_path / 'backend'}",
        PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
        TYPED_SECRET_US=secrets["us"],
        TYPED_SECRET_EU=secrets["eu"],
    )
    _bash("\n".join(lines), project, env, lambda: {f"typed secret {code}": v for code, v in secrets.items()})

    for code in ("us", "eu"):
        shown = subprocess.run(
            ["pulumi", "config", "--stack", code, "--show-secrets", "--json"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        config = {key: entry["value"] for key, entry in json.loads(shown).items()}
        assert config["qlik:region"] == code  # from the committed stack file
        assert json.loads(config["qlik-stack-per-region:customers"]) == ["acme", "globex"]
        assert config["qlik:clientId"] == f"{code}-client"
        assert config["qlik:clientSecret"] == secrets[code]
        assert config["qlik-stack-per-region:sourceTenant"] == f"acme-source.{code}.qlikcloud.com"
        assert secrets[code] not in (project / f"Pulumi.{code}.yaml").read_text()


def test_stack_per_region_readme__emulator_block_deploys_and_leaves_the_committed_files_unchanged(
    tmp_path: Path, pulumi_bin: Path, command_lines: CommandLines
) -> None:
    """The block from the repository root of a clean clone (scripts, the example, a link to the virtualenv)."""
    _, emulator_block = _stack_per_region_blocks()
    clone = tracked_sources(tmp_path / "clone", "scripts", "examples/stack-per-region", ".gitignore")
    (clone / ".venv").symlink_to(REPO_ROOT / ".venv")
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "clone"]):
        subprocess.run([*git, *args], cwd=clone, check=True, capture_output=True)
    env = _hermetic_env(tmp_path, pulumi_bin)

    state_file = clone / ".state" / "emulator" / "state.json"
    try:
        output = _bash(emulator_block, clone, env, lambda: _secrets_of_state(state_file))
    finally:
        subprocess.run([clone / "scripts" / "emulator.sh", "stop"], cwd=clone, env=env, check=False)
    _assert_no_client_secret(_secrets_of_state(state_file), output, command_lines)

    status = subprocess.run(
        ["git", "status", "--porcelain", "--", "examples/stack-per-region"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status == "", status
    assert len(re.findall(r"\+ 3 created", output)) == 2, output  # each stack: two tenants and the stack
    assert len(re.findall(r"- 3 deleted", output)) == 2, output
    assert re.search(r'"globex": ?"[a-z0-9-]+\.eu\.qlikcloud\.com"', output), output  # stack output hostnames
