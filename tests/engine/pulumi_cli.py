"""Drive the real Pulumi CLI through `scripts/pulumi` with a hermetic, per-test environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.engine.s3_backend import S3Backend

REPO_ROOT = Path(__file__).resolve().parents[2]
PULUMI_WRAPPER = REPO_ROOT / "scripts" / "pulumi"
ENSURE_PULUMI = REPO_ROOT / "scripts" / "ensure-pulumi.sh"
CLI_TIMEOUT_SECONDS = 300


def tracked_sources(destination: Path, *pathspecs: str) -> Path:
    """What a clean clone has (under `pathspecs`, if given): the files git tracks, or would if new, as they
    are in the work tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *pathspecs],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


class PulumiCommandError(AssertionError):
    """A pulumi command exited non-zero; carries everything it printed."""


def toolchain_bin() -> Path:
    """The bin directory of the project's Pulumi toolchain (built on first use)."""
    out = subprocess.run([ENSURE_PULUMI], check=True, capture_output=True, text=True).stdout
    return Path(out.strip().splitlines()[-1])


@dataclass
class PulumiCLI:
    """One isolated Pulumi world: its own backend (a directory, or a bucket on an S3-compatible server),
    PULUMI_HOME and passphrase."""

    root: Path
    passphrase: str = "engine-test-passphrase"
    extra_env: dict[str, str] = field(default_factory=dict)
    transcript: list[str] = field(default_factory=list)
    s3: S3Backend | None = None
    """Keep the stacks in this bucket (Pulumi's S3 backend) instead of the local file backend."""

    @property
    def backend_dir(self) -> Path:
        return self.root / "backend"

    @property
    def backend_url(self) -> str:
        return self.s3.url if self.s3 else f"file://{self.backend_dir}"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
        env.update(
            PULUMI_HOME=str(self.root / "home"),
            PULUMI_BACKEND_URL=self.backend_url,
            PULUMI_CONFIG_PASSPHRASE=self.passphrase,
            PULUMI_QLIK_STATE_DIR=str(self.root / "state"),
            # Colour codes and the interactive display would only get in the way of assertions.
            NO_COLOR="1",
            PULUMI_NON_INTERACTIVE="true",
        )
        if self.s3:
            env.update(self.s3.env)
        env.update(self.extra_env)
        return env

    def run(
        self, *args: str, cwd: Path, check: bool = True, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run `pulumi ARGS`; secrets go through `stdin`, never through ARGS (which the transcript keeps)."""
        proc = subprocess.run(
            [str(PULUMI_WRAPPER), *args, "--non-interactive"],
            cwd=cwd,
            input=stdin,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT_SECONDS,
            check=False,
        )
        self.transcript.append(f"$ pulumi {' '.join(args)}\n{proc.stdout}\n{proc.stderr}")
        if check and proc.returncode != 0:
            raise PulumiCommandError(
                f"pulumi {' '.join(args)} exited {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
            )
        return proc

    def start(self, *args: str, cwd: Path, log: Path) -> subprocess.Popen[str]:
        """`pulumi ARGS` in the background, everything it prints going to `log` (see `finish`)."""
        with log.open("w") as out:
            return subprocess.Popen(
                [str(PULUMI_WRAPPER), *args, "--non-interactive"],
                cwd=cwd,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )

    def finish(self, proc: subprocess.Popen[str], log: Path) -> tuple[int, str]:
        """Wait for a background run; its exit code and output (which joins the transcript)."""
        code = proc.wait(timeout=CLI_TIMEOUT_SECONDS)
        text = log.read_text()
        self.transcript.append(f"$ (background) pulumi {log.name}\n{text}")
        return code, text

    def stack_state(self, project: str, stack: str) -> dict[str, Any]:
        return json.loads(self.state_file_text(project, stack))  # type: ignore[no-any-return]

    def state_files(self) -> dict[str, str]:
        """Every stack's raw state file (checkpoint) and its backups, by path; on S3, every object of the
        bucket (checkpoints, backups, history, locks, metadata)."""
        if self.s3:
            return {key: data.decode(errors="replace") for key, data in self.s3.objects().items()}
        root = self.backend_dir / ".pulumi"
        if not root.exists():
            return {}
        return {str(p.relative_to(root)): p.read_text() for p in root.rglob("*.json*") if p.is_file()}

    def locks(self) -> list[str]:
        """The backend's stack locks: one per update in progress, or left behind by a run that died."""
        if self.s3:
            return self.s3.keys(".pulumi/locks/")
        root = self.backend_dir / ".pulumi" / "locks"
        return [str(p.relative_to(self.backend_dir)) for p in root.rglob("*.json")]

    def state_file_text(self, project: str, stack: str) -> str:
        key = f".pulumi/stacks/{project}/{stack}.json"
        if self.s3:
            return self.s3.read(key).decode()
        return (self.backend_dir / key).read_text()

    def outputs(self, stack: str, cwd: Path) -> dict[str, Any]:
        proc = self.run("stack", "output", "--json", "--stack", stack, cwd=cwd)
        return json.loads(proc.stdout)  # type: ignore[no-any-return]


class Stack:
    """One stack of a project directory, driven through `PulumiCLI`."""

    def __init__(self, cli: PulumiCLI, project: Path, project_name: str, name: str) -> None:
        self.cli, self.project, self.project_name, self.name = cli, project, project_name, name

    def run(
        self, *args: str, check: bool = True, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self.cli.run(*args, "--stack", self.name, cwd=self.project, check=check, stdin=stdin)

    def up(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`pulumi up` as users run it, with its preview; then a second preview must plan no change."""
        result = self.run("up", "--yes", *args)
        self.run("preview", "--expect-no-changes")
        return result

    def config(self, key: str, value: str, *, secret: bool = False, path: bool = False) -> None:
        flags = ["--path"] if path else []
        if secret:
            # Through stdin, as a careful user would: never on a command line.
            self.run("config", "set", "--secret", *flags, key, stdin=value)
        else:
            self.run("config", "set", *flags, key, value)

    def tenants_config(self, tenants: list[dict[str, Any]]) -> None:
        self.config("tenants", json.dumps(tenants))

    def state(self) -> dict[str, Any]:
        return self.cli.stack_state(self.project_name, self.name)

    def tenants(self) -> list[dict[str, Any]]:
        return resources_of_type(self.state(), TENANT_TYPE)

    def outputs(self) -> dict[str, Any]:
        return self.cli.outputs(self.name, cwd=self.project)

    def outputs_with_secrets(self) -> dict[str, Any]:
        """The outputs, secrets in plain text, as a consumer reads them: kept out of the CLI's transcript (the
        secret search reads it), so a test can put the values among the secrets it searches for."""
        proc = subprocess.run(
            [str(PULUMI_WRAPPER), "stack", "output", "--json", "--show-secrets", "--stack", self.name,
             "--non-interactive"],
            cwd=self.project, env=self.cli.env, capture_output=True, text=True, check=True,
            timeout=CLI_TIMEOUT_SECONDS,
        )  # fmt: skip
        return json.loads(proc.stdout)  # type: ignore[no-any-return]


LABEL_MODULE = Path(__file__).parent / "projects" / "label.py"


def copy_project(source: Path, destination: Path, *, modules: Sequence[Path] = ()) -> Path:
    """A copy of `source` without stack files; `modules` are copied beside its `__main__.py`, to be imported."""
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
    for module in modules:
        shutil.copy(module, destination / module.name)
    return destination


TENANT_TYPE = "pulumi-python:dynamic/qlik:Tenant"


def resources_of_type(state: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [r for r in state["checkpoint"].get("latest", {}).get("resources", []) or [] if r["type"] == type_]
