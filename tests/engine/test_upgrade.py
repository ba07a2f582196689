"""State written by earlier versions, carried on by today's code: `preview`, `refresh` and `destroy`, no `up`.

A dynamic provider is pickled into the state by reference to its module (`pulumi_qlik.tenant.QlikTenantProvider`,
`pulumi_qlik.user.QlikUserProvider`), and the engine unpickles that very object for `read` and `delete` of existing
resources. Each case extracts the package as it was at an earlier commit (`git archive`), puts it first on
`PYTHONPATH` for the program and the dynamic-provider process (both inherit the CLI's environment), and `up`s a
stack with it against the emulator. Then, with the old copy off the path, today's code runs `preview
--expect-no-changes`, `refresh` and `destroy` straight from that state.

Which code ran is not assumed, it is observed: a `sitecustomize` on `PYTHONPATH` records, in every Python process
of the run, each `pulumi_qlik` module imported and the file the `pulumi_qlik` package came from.
"""

from __future__ import annotations

import base64
import importlib
import io
import json
import pickletools
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.pulumi_cli import (
    CLI_TIMEOUT_SECONDS,
    PULUMI_WRAPPER,
    REPO_ROOT,
    PulumiCLI,
    PulumiCommandError,
    Stack,
    resources_of_type,
)

pytestmark = pytest.mark.engine

ROUND_1 = "b8e1dc4"
"""The head of round 1: `QlikTenant` only, its modules flat in `pulumi_qlik/`."""
ROUND_2 = "6702a39"
"""The head of round 2: `QlikTenant` and `QlikUser`, still flat."""

USER_TYPE = "pulumi-python:dynamic/qlik:User"
TENANT_TYPE = "pulumi-python:dynamic/qlik:Tenant"
SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d"

PROGRAM = """\
import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
tenant = qlik.QlikTenant(
    "tenant",
    license_key=qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant")),
    display_name="Upgrade test",
    alias_hostname="upgrade-test",
)
pulumi.export("hostname", tenant.hostname)
if config.get_bool("withUser"):
    person = qlik.QlikUser("person", tenant_hostname=tenant.hostname, email="it@upgrade.example", roles=["TenantAdmin"])
    pulumi.export("user_id", person.user_id)
"""

PROBE = '''\
"""Test probe: record every `pulumi_qlik` module this process imports, and where the package came from."""
import os
import sys

_LOG = os.environ.get("PULUMI_QLIK_IMPORT_PROBE")


def _record(event, args):
    if event != "import" or not _LOG or not str(args[0]).startswith("pulumi_qlik"):
        return
    package = sys.modules.get("pulumi_qlik")
    origin = getattr(package, "__file__", "") or ""
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()}\\t{sys.argv[0] if sys.argv else ''}\\t{args[0]}\\t{origin}\\n")


sys.addaudithook(_record)
'''


@dataclass(frozen=True)
class Import:
    pid: str
    argv0: str
    module: str
    package_file: str

    @property
    def in_provider_process(self) -> bool:
        """Pulumi's dynamic-provider server runs as `python -m pulumi.dynamic`."""
        return self.argv0.replace("\\", "/").endswith("pulumi/dynamic/__main__.py")


def _imports(log: Path) -> list[Import]:
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [Import(*line.split("\t")) for line in lines]


def _old_provider(commit: str, into: Path) -> Path:
    """The `provider/` directory of `commit`, extracted from this repository's history."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "provider"], cwd=REPO_ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    provider = into / "provider"
    assert (provider / "pulumi_qlik" / "tenant.py").is_file()
    return provider


def _pickled_names(encoded: str) -> set[str]:
    """The strings a `__provider` pickle holds (module paths and class names), read without unpickling it."""
    names: set[str] = set()
    for opcode, arg, _ in pickletools.genops(base64.b64decode(encoded)):
        if isinstance(arg, str):
            names.add(arg)
        if opcode.name in ("GLOBAL", "INST") and isinstance(arg, str):
            names.update(arg.split(" "))
    return names


def _plain(value: Any) -> Any:
    """A value of `stack export --show-secrets`, unwrapped from its secret envelope if it has one."""
    if isinstance(value, dict) and SECRET_SIGNATURE in value:
        return json.loads(value["plaintext"])
    return value


def _provider_pickles(stack: Stack) -> dict[str, set[str]]:
    """For each resource type of the stack, the names its pickled providers refer to.

    `__provider` is a secret in the state, so this reads `stack export --show-secrets` in memory only: not through
    `PulumiCLI.run`, whose transcript (searched for secrets at the end) must hold nothing the test decrypted itself.
    """
    proc = subprocess.run(
        [
            str(PULUMI_WRAPPER),
            "stack",
            "export",
            "--show-secrets",
            "--stack",
            stack.name,
            "--non-interactive",
        ],
        cwd=stack.project,
        env=stack.cli.env,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )
    if proc.returncode != 0:
        raise PulumiCommandError(f"pulumi stack export exited {proc.returncode}: {proc.stderr}")
    pickles: dict[str, set[str]] = {}
    for resource in json.loads(proc.stdout)["deployment"].get("resources", []):
        encoded = _plain((resource.get("inputs") or {}).get("__provider"))
        if isinstance(encoded, str):
            pickles.setdefault(resource["type"], set()).update(_pickled_names(encoded))
    return pickles


@pytest.fixture
def probe_dir(tmp_path: Path) -> Path:
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "sitecustomize.py").write_text(PROBE, encoding="utf-8")
    return probe


@pytest.fixture
def upgrade_stack(pulumi_cli: PulumiCLI, emulator: EmulatorServer, tmp_path: Path) -> Stack:
    project = tmp_path / "upgrade"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: qlik-engine-upgrade\nruntime: python\n", encoding="utf-8")
    (project / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    pulumi_cli.run("stack", "init", "dev", cwd=project)
    stack = Stack(pulumi_cli, project, "qlik-engine-upgrade", "dev")
    us = emulator.world.regions["us"]
    stack.config("qlik:endpoint", emulator.url)
    stack.config("qlik:region", "us")
    stack.config("qlik:logFile", str(tmp_path / "provider.log"))
    stack.config("qlik:clientId", us.client_id)
    stack.config("qlik:clientSecret", us.client_secret, secret=True)
    stack.config("sourceTenant", us.source_tenant)
    return stack


@pytest.mark.parametrize(
    ("commit", "with_user"), [(ROUND_1, False), (ROUND_2, True)], ids=["round-1-head", "round-2-head"]
)
def test_state_of_an_earlier_version__preview_refresh_destroy_with_todays_code(
    commit: str,
    with_user: bool,
    upgrade_stack: Stack,
    pulumi_cli: PulumiCLI,
    control: EmulatorControl,
    probe_dir: Path,
    tmp_path: Path,
) -> None:
    stack = upgrade_stack
    old_provider = _old_provider(commit, tmp_path / f"old-{commit}")
    if with_user:
        stack.config("withUser", "true")

    # --- the earlier version writes the state ---------------------------------------------------------------
    old_log = tmp_path / "imports-old.txt"
    pulumi_cli.extra_env.update(
        PYTHONPATH=f"{old_provider}:{probe_dir}", PULUMI_QLIK_IMPORT_PROBE=str(old_log)
    )
    stack.up()
    old_imports = _imports(old_log)
    provider_imports = [i for i in old_imports if i.in_provider_process]
    assert provider_imports, "no dynamic-provider process was observed in the old run"
    # Program and provider alike ran the extracted copy, which has none of today's packages.
    assert {Path(i.package_file).parent for i in old_imports if i.package_file} == {
        old_provider / "pulumi_qlik"
    }
    assert not [i.module for i in old_imports if i.module.startswith("pulumi_qlik.resources")]

    state = stack.state()
    [tenant] = resources_of_type(state, TENANT_TYPE)
    tenant_id = tenant["id"]
    users = resources_of_type(state, USER_TYPE)
    assert len(users) == (1 if with_user else 0)
    live = control.tenant(tenant_id)
    assert live is not None
    assert live.status == "active"

    # The state names the old flat modules: the paths today's shims keep importable.
    pickles = _provider_pickles(stack)
    assert {"pulumi_qlik.tenant", "QlikTenantProvider"} <= pickles[TENANT_TYPE]
    if with_user:
        assert {"pulumi_qlik.user", "QlikUserProvider"} <= pickles[USER_TYPE]
    referenced = {name for names in pickles.values() for name in names if name.startswith("pulumi_qlik")}
    assert not [name for name in referenced if name.startswith("pulumi_qlik.resources")]
    for module in sorted(referenced):
        importlib.import_module(module)  # today's package (this test process never saw the old copy)

    # --- today's code, straight from that state -------------------------------------------------------------
    new_log = tmp_path / "imports-today.txt"
    pulumi_cli.extra_env.update(PYTHONPATH=str(probe_dir), PULUMI_QLIK_IMPORT_PROBE=str(new_log))
    stack.run("preview", "--expect-no-changes")
    stack.run("refresh", "--yes")
    assert [r["id"] for r in resources_of_type(stack.state(), TENANT_TYPE)] == [tenant_id]
    destroy = stack.run("destroy", "--yes")
    assert "qlik:Tenant tenant deleted" in destroy.stdout, destroy.stdout

    assert not resources_of_type(stack.state(), TENANT_TYPE)
    assert not resources_of_type(stack.state(), USER_TYPE)
    live = control.tenant(tenant_id)
    assert live is not None
    assert live.status == "disabled"
    if with_user:
        assert not [u for u in control.users(tenant_id) if u.email == "it@upgrade.example"]

    today = _imports(new_log)
    today_package = REPO_ROOT / "provider" / "pulumi_qlik"
    assert {Path(i.package_file).parent for i in today if i.package_file} == {today_package}
    # The engine's `read` and `delete` unpickled the old paths, which led the provider to today's modules.
    provider_modules = {i.module for i in today if i.in_provider_process}
    assert {"pulumi_qlik.tenant", "pulumi_qlik.resources.tenant"} <= provider_modules
    if with_user:
        assert {"pulumi_qlik.user", "pulumi_qlik.resources.user"} <= provider_modules
