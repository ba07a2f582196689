"""The wheel as a user gets it: built from the tracked sources, installed in a new virtualenv outside the
repository, and examples/stack-per-region deployed with it against the emulator it ships, for both stacks.

Nothing from the repository is importable there: the venv has the wheel and its pinned dependencies only, the
engine runs that venv's Python, and the repository's `.venv` is not on PATH.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.command_lines import CommandLines
from tests.engine.pulumi_cli import CLI_TIMEOUT_SECONDS, REPO_ROOT, tracked_sources

pytestmark = pytest.mark.engine

PASSPHRASE = "packaging-test-passphrase"


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        args, capture_output=True, text=True, timeout=CLI_TIMEOUT_SECONDS, check=False, **kwargs
    )  # type: ignore[call-overload]
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc  # type: ignore[no-any-return]


@pytest.fixture
def emulator_from_wheel(tmp_path: Path) -> Iterator[tuple[Path, dict[str, object]]]:
    """Build, install, and start the installed package's emulator: (venv, its start-up line)."""
    timings: dict[str, float] = {}
    clock = time.monotonic()
    sources = tracked_sources(tmp_path / "clone")
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(sources)])
    [wheel] = dist.glob("pulumi_qlik-*.whl")
    timings["wheel build"] = time.monotonic() - clock
    # Every package of the source tree is in the wheel (the layout has subpackages: client/apis, resources, ...).
    with zipfile.ZipFile(wheel) as archive:
        packaged = {
            name.removesuffix("/__init__.py") for name in archive.namelist() if name.endswith("/__init__.py")
        }
    source_root = sources / "provider"
    expected = {
        str(p.parent.relative_to(source_root)) for p in (source_root / "pulumi_qlik").rglob("__init__.py")
    }
    assert {"pulumi_qlik/client/apis", "pulumi_qlik/resources", "pulumi_qlik/operations"} <= expected
    assert expected <= packaged, sorted(expected - packaged)

    clock = time.monotonic()
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    constraints = sources / "constraints.txt"
    _run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "-c",
            str(constraints),
            f"pulumi-qlik[emulator] @ {wheel.as_uri()}",
        ]
    )
    timings["install"] = time.monotonic() - clock

    where = _run([str(python), "-c", "import pulumi_qlik; print(pulumi_qlik.__file__)"], cwd=tmp_path).stdout
    assert Path(where.strip()).is_relative_to(venv), where

    emulator = subprocess.Popen(
        [str(python), "-m", "pulumi_qlik.emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
    )
    try:
        assert emulator.stdout is not None
        info = json.loads(emulator.stdout.readline())
        info["timings"] = timings
        yield venv, info
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)
        if emulator.stdout is not None:
            emulator.stdout.close()


def test_wheel_in_a_new_venv_runs_stack_per_region(
    pulumi_bin: Path,
    emulator_from_wheel: tuple[Path, dict[str, object]],
    tmp_path: Path,
    command_lines: CommandLines,
) -> None:
    venv, info = emulator_from_wheel
    timings: dict[str, float] = info["timings"]  # type: ignore[assignment]
    project = Path(
        shutil.copytree(
            REPO_ROOT / "examples" / "stack-per-region",
            tmp_path / "stack-per-region",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    )
    pulumi_yaml = project / "Pulumi.yaml"
    pulumi_yaml.write_text(re.sub(r"virtualenv: .*", f"virtualenv: {venv}", pulumi_yaml.read_text()))
    env = {
        "PATH": os.pathsep.join([str(venv / "bin"), str(pulumi_bin), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": str(tmp_path / "home"),
        "PULUMI_HOME": str(tmp_path / "pulumi-home"),
        "PULUMI_BACKEND_URL": f"file://{tmp_path / 'backend'}",
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_PYTHON_CMD": str(venv / "bin" / "python"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "NO_COLOR": "1",
    }
    (tmp_path / "backend").mkdir()
    transcript: list[str] = []

    def pulumi(*args: str, stdin: str | None = None) -> str:
        proc = _run(
            [str(pulumi_bin / "pulumi"), *args, "--non-interactive"], cwd=project, env=env, input=stdin
        )
        transcript.append(proc.stdout + proc.stderr)
        return proc.stdout

    regions: dict[str, dict[str, str]] = info["regions"]  # type: ignore[assignment]
    for code in ("us", "eu"):
        region = regions[code]
        clock = time.monotonic()
        pulumi("stack", "init", code)
        pulumi("config", "set", "--stack", code, "qlik:endpoint", str(info["url"]))
        pulumi("config", "set", "--stack", code, "qlik:clientId", region["client_id"])
        pulumi(
            "config", "set", "--stack", code, "--secret", "qlik:clientSecret", stdin=region["client_secret"]
        )
        pulumi("config", "set", "--stack", code, "sourceTenant", region["source_tenant"])
        pulumi("up", "--yes", "--stack", code)
        pulumi("preview", "--expect-no-changes", "--stack", code)
        hostnames = json.loads(pulumi("stack", "output", "hostnames", "--json", "--stack", code))
        assert sorted(hostnames) == ["acme", "globex"]
        assert all(host.endswith(f".{code}.qlikcloud.com") for host in hostnames.values())
        timings[f"stack {code}: config, up, preview"] = time.monotonic() - clock

    clock = time.monotonic()
    for code in ("us", "eu"):
        out = pulumi("destroy", "--yes", "--stack", code)
        assert re.search(r"- 3 deleted", out), out  # two tenants and the stack
    timings["destroy both"] = time.monotonic() - clock
    with EmulatorControl(str(info["url"])) as control:
        created = [t for t in control.tenants() if not t.source]
    assert sorted(t.region for t in created) == ["eu", "eu", "us", "us"]
    assert {t.status for t in created} == {"disabled"}

    secrets = [r["client_secret"] for r in regions.values()]
    leaks = [i for i, text in enumerate(transcript) if any(s in text for s in secrets)]
    assert not leaks
    started = command_lines.all()
    assert any("pulumi-language-python" in line for line in started), (
        "the sampler saw no plugin: proves nothing"
    )
    on_command_lines = sum(1 for line in started for secret in secrets if secret in line)
    assert on_command_lines == 0, "a client secret on a process's command line"
    print("\n".join(f"{phase:<34} {seconds:6.1f} s" for phase, seconds in timings.items()))
