"""`make up` and `make down` as a user runs them (scripts/up.sh, scripts/down.sh, scripts/emulator.sh) put no
secret on a command line, where any user of the machine can read it (`ps`, /proc/PID/cmdline), nor in what they
print; the emulator's start-up JSON, which holds every client secret, is readable by its owner only.

The scripts run in a copy of the repository's root project (scripts, Pulumi.yaml, __main__.py and a link to the
virtualenv), so the test writes no stack file or state into the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

from tests.engine.command_lines import watch_command_lines
from tests.engine.pulumi_cli import CLI_TIMEOUT_SECONDS, REPO_ROOT

# Fast enough to catch a `python -c` helper of the scripts (each lives a few tens of milliseconds).
SAMPLE_SECONDS = 0.005


def _root_project_copy(destination: Path) -> Path:
    shutil.copytree(REPO_ROOT / "scripts", destination / "scripts")
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy2(REPO_ROOT / name, destination / name)
    (destination / ".venv").symlink_to(REPO_ROOT / ".venv")
    return destination


def _script(root: Path, name: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(root / "scripts" / name)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=2 * CLI_TIMEOUT_SECONDS,
        check=False,
    )
    # The output may hold a leaked secret: the assertions below report where, never what.
    assert proc.returncode == 0, f"scripts/{name} exited {proc.returncode}; its output is in the test's log"
    return proc


def test_make_up_and_down__no_secret_on_a_command_line_or_in_their_output(
    tmp_path: Path, pulumi_bin: Path
) -> None:
    root = _root_project_copy(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "QLIK_"))}
    env["NO_COLOR"] = "1"
    emulator_dir = root / ".state" / "emulator"
    secrets: dict[str, str] = {}
    outputs: dict[str, str] = {}
    try:
        with watch_command_lines(SAMPLE_SECONDS) as seen:
            up = _script(root, "up.sh", env)
            outputs["make up"] = up.stdout + up.stderr
            info = json.loads((emulator_dir / "info.json").read_text())
            secrets.update({f"client secret {c['name']}": c["client_secret"] for c in info["clients"]})
            secrets["stack passphrase"] = (root / ".state" / "passphrase").read_text().strip()
            assert stat.S_IMODE((emulator_dir / "info.json").stat().st_mode) == 0o600
            assert stat.S_IMODE(emulator_dir.stat().st_mode) == 0o700
            down = _script(root, "down.sh", env)
            outputs["make down"] = down.stdout + down.stderr
    finally:
        subprocess.run([str(root / "scripts" / "emulator.sh"), "stop"], cwd=root, env=env, check=False)

    assert "Tenant ready: https://" in outputs["make up"]
    assert "destroy" in outputs["make down"] or "deleted" in outputs["make down"]
    started = seen.all()
    # The search proves something only if the sampler saw the short-lived helpers and the background emulator.
    assert any("import json" in line for line in started), "no `python -c` helper of up.sh was sampled"
    assert any("pulumi_qlik.emulator" in line for line in started), (
        "the emulator's command line was not sampled"
    )
    assert any("pulumi-language-python" in line for line in started), "no Pulumi plugin was sampled"
    assert len(secrets) >= 4
    haystacks = {"command lines": "\n".join(started), **outputs}
    leaks = sorted(
        f"{what} in {where}" for where, text in haystacks.items() for what, v in secrets.items() if v in text
    )
    assert not leaks, f"secrets found in plain text: {leaks}"
