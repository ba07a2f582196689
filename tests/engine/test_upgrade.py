"""State written by earlier versions, carried on by today's code.

A dynamic provider is pickled into the state by reference to its module (`pulumi_qlik.tenant.QlikTenantProvider`,
`pulumi_qlik.user.QlikUserProvider` up to round 2; `pulumi_qlik.resources.<x>.Qlik<X>Provider` since round 3), and
the engine unpickles that very object for `read`, `update` and `delete` of existing resources. Each case extracts
the package as it was at an earlier commit (`git archive`), puts it first on `PYTHONPATH` for the program and the
dynamic-provider process (both inherit the CLI's environment), and `up`s a stack with it against the emulator.
Then, with the old copy off the path, today's code runs from that state: `preview --expect-no-changes`,
`refresh` and `destroy` (rounds 1 and 2); for round 3's tenant with every child, also an unchanged `up` that
writes nothing to Qlik and an in-place change, and the destroy runs from round 3's own state (re-imported: an
`up` records today's pickles).

Which code ran is not assumed, it is observed: a `sitecustomize` on `PYTHONPATH` records, in every Python process
of the run, each `pulumi_qlik` module imported and the file the `pulumi_qlik` package came from.
"""

from __future__ import annotations

import base64
import importlib
import io
import json
import pickletools
import re
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair
from tests.engine.pulumi_cli import (
    CLI_TIMEOUT_SECONDS,
    PULUMI_WRAPPER,
    REPO_ROOT,
    PulumiCLI,
    PulumiCommandError,
    Stack,
    resources_of_type,
)
from tests.engine.tenant_configuration import admin_get

pytestmark = pytest.mark.engine

ROUND_1 = "b8e1dc4"
"""The head of round 1: `QlikTenant` only, its modules flat in `pulumi_qlik/`."""
ROUND_2 = "6702a39"
"""The head of round 2: `QlikTenant` and `QlikUser`, still flat."""
ROUND_3 = "9a8a8b1"
"""The head of round 3: the tenant's children (settings, IdP, groups, spaces, assignments, embedding, apps), each
in `pulumi_qlik/resources/<x>.py`."""

DYNAMIC = "pulumi-python:dynamic/qlik:"
USER_TYPE = f"{DYNAMIC}User"
TENANT_TYPE = f"{DYNAMIC}Tenant"
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


def _up_with_old_code(
    commit: str, stack: Stack, pulumi_cli: PulumiCLI, probe_dir: Path, tmp_path: Path
) -> list[Import]:
    """`up` (and a clean second preview) with the package as it was at `commit`; the imports observed."""
    old_provider = _old_provider(commit, tmp_path / f"old-{commit}")
    old_log = tmp_path / "imports-old.txt"
    pulumi_cli.extra_env.update(
        PYTHONPATH=f"{old_provider}:{probe_dir}", PULUMI_QLIK_IMPORT_PROBE=str(old_log)
    )
    stack.up()
    old_imports = _imports(old_log)
    assert [i for i in old_imports if i.in_provider_process], "no dynamic-provider process in the old run"
    # Program and provider alike ran the extracted copy.
    assert {Path(i.package_file).parent for i in old_imports if i.package_file} == {
        old_provider / "pulumi_qlik"
    }
    return old_imports


def _with_todays_code(pulumi_cli: PulumiCLI, probe_dir: Path, tmp_path: Path) -> Path:
    """The old copy off the path: what runs next is today's package; the file its imports are recorded in."""
    new_log = tmp_path / "imports-today.txt"
    pulumi_cli.extra_env.update(PYTHONPATH=str(probe_dir), PULUMI_QLIK_IMPORT_PROBE=str(new_log))
    return new_log


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
    if with_user:
        stack.config("withUser", "true")

    # --- the earlier version writes the state ---------------------------------------------------------------
    old_imports = _up_with_old_code(commit, stack, pulumi_cli, probe_dir, tmp_path)
    # The extracted copy has none of today's packages.
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
    new_log = _with_todays_code(pulumi_cli, probe_dir, tmp_path)
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


ROUND_3_PROGRAM = Path(__file__).parent / "projects" / "upgrade-round-3" / "__main__.py"

ROUND_3_PROVIDERS = {
    "Tenant": ("tenant", "QlikTenantProvider"),
    "TenantSettings": ("tenant_settings", "QlikTenantSettingsProvider"),
    "IdentityProvider": ("identity_provider", "QlikIdentityProviderProvider"),
    "Group": ("group", "QlikGroupProvider"),
    "Space": ("space", "QlikSpaceProvider"),
    "SpaceAssignment": ("space_assignment", "QlikSpaceAssignmentProvider"),
    "User": ("user", "QlikUserProvider"),
    "WebIntegration": ("web_integration", "QlikWebIntegrationProvider"),
    "CspOrigin": ("csp_origin", "QlikCspOriginProvider"),
    "AppDeployment": ("app_deployment", "QlikAppDeploymentProvider"),
}
"""Per resource type round 3 wrote (`pulumi-python:dynamic/qlik:<type>`): its provider's module and class."""
ROUND_3_COUNTS = {"Space": 2}
"""How many of each type the program declares (one unless said)."""


def _qlik_resources(stack: Stack) -> dict[str, str]:
    """The Qlik resources of the stack's state: id by URN."""
    resources = stack.state()["checkpoint"].get("latest", {}).get("resources", []) or []
    return {r["urn"]: r["id"] for r in resources if r["type"].startswith("pulumi-python:dynamic/qlik:")}


def _writes(control: EmulatorControl, since: int) -> list[tuple[str, str]]:
    """The calls since `since` that could change something in Qlik, as (method, path): any but a read or a
    token request."""
    return [
        (r.method, r.path)
        for r in control.requests(since)
        if r.method not in ("GET", "HEAD") and r.path != "/oauth/token"
    ]


def _next_index(control: EmulatorControl) -> int:
    entries = control.requests()
    return entries[-1].index + 1 if entries else 0


@pytest.mark.slow
def test_round_3_tenant_with_every_child__no_op_up_writes_nothing__in_place_change_refresh_destroy(
    upgrade_stack: Stack,
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    probe_dir: Path,
    tmp_path: Path,
) -> None:
    stack = upgrade_stack
    shutil.copy(ROUND_3_PROGRAM, stack.project / "__main__.py")
    _, public_pem = generate_rsa_key_pair()  # public: a file of the project, not a secret
    (stack.project / "portal.pem").write_text(public_pem, encoding="utf-8")
    us = emulator.world.regions["us"]
    control.apps_settings(publish_access_delay_seconds=0)
    stack.config("sourceAppId", control.seed_app(us.source_tenant_id, "Sales", content="sheets").id)

    # --- round 3 writes the state: a tenant and every kind of child -------------------------------------------
    started = time.monotonic()
    _up_with_old_code(ROUND_3, stack, pulumi_cli, probe_dir, tmp_path)
    old_seconds = time.monotonic() - started
    pickles = _provider_pickles(stack)
    for type_name, (module, provider) in ROUND_3_PROVIDERS.items():
        assert {f"pulumi_qlik.resources.{module}", provider} <= pickles[f"{DYNAMIC}{type_name}"], type_name
        importlib.import_module(f"pulumi_qlik.resources.{module}")  # today's package keeps the path
    state = stack.state()
    counts = {t: len(resources_of_type(state, f"{DYNAMIC}{t}")) for t in ROUND_3_PROVIDERS}
    assert counts == {t: ROUND_3_COUNTS.get(t, 1) for t in ROUND_3_PROVIDERS}
    ids = _qlik_resources(stack)
    assert len(ids) == 11
    [tenant] = resources_of_type(state, TENANT_TYPE)
    hostname, tenant_id = tenant["outputs"]["hostname"], tenant["id"]

    # The state as round 3 wrote it, for the destroy at the end: an `up` records today's pickles in the state.
    stack.run("stack", "export", "--file", str(tmp_path / "round-3-state.json"))

    # --- today's code: no change planned; refresh reads with round 3's pickles; an unchanged `up` writes nothing
    started = time.monotonic()
    new_log = _with_todays_code(pulumi_cli, probe_dir, tmp_path)
    stack.run("preview", "--expect-no-changes")
    stack.run("refresh", "--yes")
    assert _qlik_resources(stack) == ids
    since = _next_index(control)
    unchanged = stack.run("up", "--yes").stdout
    assert not _writes(control, since), _writes(control, since)
    assert re.search(r"\b\d+ unchanged", unchanged), unchanged
    assert not re.search(r"\b(created|updated|replaced|deleted)\b", unchanged), unchanged

    # --- an in-place change: the group's roles and a space's description ---------------------------------------
    stack.config("groupRoles", '["Developer"]')
    stack.config("analyticsDescription", "Dashboards, refreshed nightly")
    since = _next_index(control)
    changed = stack.up().stdout
    assert re.search(r"~ 2 updated", changed), changed
    assert not re.search(r"\b(created|replaced|deleted)\b", changed), changed
    assert _qlik_resources(stack) == ids
    [group] = admin_get(emulator, "us", hostname, "/api/v1/groups")["data"]
    assert [r["name"] for r in group["assignedRoles"]] == ["Developer"]
    spaces = {s["name"]: s for s in admin_get(emulator, "us", hostname, "/api/v1/spaces")["data"]}
    assert spaces["Analytics"]["description"] == "Dashboards, refreshed nightly"
    # Written: those two objects, and nothing else (the log sees writes: the check above is not vacuous).
    assert {path for _, path in _writes(control, since)} == {
        f"/api/v1/groups/{group['id']}",
        f"/api/v1/spaces/{spaces['Analytics']['id']}",
    }, _writes(control, since)

    # --- destroy from round 3's own state (its pickles, ids unchanged by the in-place update) -------------------
    stack.run("stack", "import", "--file", str(tmp_path / "round-3-state.json"))
    stack.run("destroy", "--yes")
    assert _qlik_resources(stack) == {}
    live = control.tenant(tenant_id)
    assert live is not None
    assert live.status == "disabled"
    print(
        f"\n[upgrade from {ROUND_3}] old up {old_seconds:.1f} s; today's steps {time.monotonic() - started:.1f} s"
    )

    # Today's package ran every provider: the engine unpickled round 3's paths, which are today's modules.
    today = _imports(new_log)
    assert {Path(i.package_file).parent for i in today if i.package_file} == {
        REPO_ROOT / "provider" / "pulumi_qlik"
    }
    provider_modules = {i.module for i in today if i.in_provider_process}
    assert {f"pulumi_qlik.resources.{m}" for m, _ in ROUND_3_PROVIDERS.values()} <= provider_modules
