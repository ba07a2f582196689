"""Every example deploys against the emulator with the real CLI (`pulumi up` with its preview, `Stack.up`), a second
preview changes nothing, and no secret the test used reaches the state or the CLI output: the `emulator` fixture's
standard ending searches them; the onboarding service, which has its own backend, is searched here."""

from __future__ import annotations

import importlib.util
import re
import secrets
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from pulumi import automation as auto

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair
from tests.engine.pulumi_cli import REPO_ROOT, PulumiCLI, Stack
from tests.engine.tenant_configuration import assert_configured
from tests.spaces import create_space

pytestmark = pytest.mark.engine

EXAMPLES = REPO_ROOT / "examples"


def example_project(relative: str, tmp_path: Path, *, with_stack_files: bool = False) -> Path:
    """A copy of an example outside the repository, with its committed stack files if asked."""
    ignored = ["__pycache__", ".onboarding-state"] + ([] if with_stack_files else ["Pulumi.*.yaml"])
    project = Path(
        shutil.copytree(EXAMPLES / relative, tmp_path / relative, ignore=shutil.ignore_patterns(*ignored))
    )
    # The copy's relative `virtualenv:` would lead nowhere; scripts/pulumi points the engine at the venv instead.
    pulumi_yaml = project / "Pulumi.yaml"
    text = re.sub(
        r"runtime:\n  name: python\n  options:\n    virtualenv: .*\n",
        "runtime: python\n",
        pulumi_yaml.read_text(),
    )
    pulumi_yaml.write_text(text)
    return project


def example_stack(cli: PulumiCLI, tmp_path: Path, relative: str, project_name: str, stack_name: str) -> Stack:
    """A new stack of a copy of the example (see `example_project`)."""
    project = example_project(relative, tmp_path)
    cli.run("stack", "init", stack_name, cwd=project)
    return Stack(cli, project, project_name, stack_name)


def client_secrets(emulator: EmulatorServer) -> dict[str, str]:
    """Every secret the emulator knows of: client secrets and each token and license key it handed out."""
    found = {f"client secret of {c.name}": c.client_secret for c in emulator.world.clients}
    found.update(
        {f"client secret {code}": info.client_secret for code, info in emulator.world.regions.items()}
    )
    found.update({f"token or license key #{i}": s for i, s in enumerate(emulator.backend.recorded_secrets)})
    return found


def assert_no_secret_leaked(
    secrets: dict[str, str],
    backend_dirs: Iterable[Path],
    outputs: Iterable[str],
    min_secrets: int,
    *,
    need_state: bool = True,
) -> None:
    assert len(secrets) >= min_secrets, "fewer secrets than the run must have used: the search proves nothing"
    haystacks = {
        str(p): p.read_text(errors="replace") for d in backend_dirs for p in d.rglob("*") if p.is_file()
    }
    if need_state:
        assert any(".pulumi/stacks/" in name for name in haystacks), "no state file found to search"
    haystacks["CLI output"] = "\n".join(outputs)
    # Names only in the message: the values must not reach the test output either.
    leaks = [
        f"{what} in {where}" for where, text in haystacks.items() for what, v in secrets.items() if v in text
    ]
    assert not leaks, f"secrets found in plain text: {leaks}"


def configure_qlik(stack: Stack, emulator: EmulatorServer, regions: Iterable[str]) -> None:
    stack.config("qlik:endpoint", emulator.url)
    for code in regions:
        region = emulator.world.regions[code]
        stack.config(f"sourceTenants.{code}", region.source_tenant, path=True)
        stack.config(f"qlik:credentials.{code}.clientId", region.client_id, path=True)
        stack.config(f"qlik:credentials.{code}.clientSecret", region.client_secret, path=True, secret=True)


def warehouse_passwords(stack: Stack, names: Iterable[str], test_secrets: dict[str, str]) -> None:
    """examples/customer-onboarding's stand-ins for each customer's database password: stack secrets (stdin),
    each one among the values the secret search looks for."""
    for name in names:
        password = f"{name}-warehouse-pw-{secrets.token_hex(8)}"
        test_secrets[f"{name} warehouse password"] = password
        stack.config(f"warehousePasswords.{name}", password, path=True, secret=True)


def created_tenants(control: EmulatorControl) -> list[str]:
    return [t.id for t in control.tenants() if not t.source]


def test_two_regions_example(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = example_stack(pulumi_cli, tmp_path, "two-regions", "qlik-two-regions", "demo")
    configure_qlik(stack, emulator, ["us", "eu"])
    stack.config("regions[0]", "us", path=True)
    stack.config("regions[1]", "eu", path=True)

    stack.up()
    outputs = stack.outputs()
    assert outputs["us_alias"] == "acme-us.us.qlikcloud.com"
    assert outputs["eu_alias"] == "acme-eu.eu.qlikcloud.com"

    stack.run("destroy", "--yes")
    assert {t.status for t in control.tenants() if not t.source} == {"disabled"}


def test_stack_per_region_example(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    """The commands of examples/stack-per-region/README.md, for both committed stacks."""
    project = example_project("stack-per-region", tmp_path, with_stack_files=True)
    stacks = {code: Stack(pulumi_cli, project, "qlik-stack-per-region", code) for code in ("us", "eu")}
    for code, stack in stacks.items():
        region = emulator.world.regions[code]
        pulumi_cli.run("stack", "init", code, cwd=project)
        stack.config("qlik:endpoint", emulator.url)
        stack.config("qlik:clientId", region.client_id)
        stack.config("qlik:clientSecret", region.client_secret, secret=True)
        stack.config("sourceTenant", region.source_tenant)
        stack.up()

    for code, stack in stacks.items():
        outputs = stack.outputs()
        assert outputs["region"] == code
        assert sorted(outputs["hostnames"]) == ["acme", "globex"]
        live = {t.id: t for t in control.tenants()}
        for tenant in stack.tenants():
            customer = tenant["urn"].rsplit("::", 1)[1]
            assert live[tenant["id"]].region == code
            assert live[tenant["id"]].hostnames == [
                outputs["hostnames"][customer],
                f"{customer}-{code}.{code}.qlikcloud.com",
            ]
        # The committed stack file gained the encrypted secret, never the plain one.
        stack_file = (project / f"Pulumi.{code}.yaml").read_text()
        assert "secure:" in stack_file
        assert emulator.world.regions[code].client_secret not in stack_file
    assert len(created_tenants(control)) == 4

    for stack in stacks.values():
        stack.run("destroy", "--yes")
    assert {t.status for t in control.tenants() if not t.source} == {"disabled"}


def test_fleet_example__adding_a_customer_creates_one_tenant_and_touches_no_other(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = example_stack(pulumi_cli, tmp_path, "fleet", "qlik-fleet", "prod")
    configure_qlik(stack, emulator, ["us", "eu"])
    customers_file = stack.project / "customers.yaml"
    customers = yaml.safe_load(customers_file.read_text())["customers"]
    assert len(customers) >= 6
    assert {c["region"] for c in customers} == {"us", "eu"}

    stack.up()
    before = {t["urn"]: t for t in stack.tenants()}
    assert len(before) == len(customers)
    live = {t.id: t for t in control.tenants()}
    for customer in customers:
        [state] = [t for t in before.values() if t["urn"].endswith(f"::{customer['name']}")]
        tenant = live[state["id"]]
        assert tenant.region == customer["region"]
        assert tenant.name == customer["displayName"]
        assert tenant.hostnames[1] == f"{customer['alias']}.{customer['region']}.qlikcloud.com"
        assert state.get("protect", False) == customer.get("protect", True)
    assert stack.outputs()["hostnames"].keys() == {c["name"] for c in customers}

    # One more customer in the file: the plan and the run create that tenant and nothing else.
    customers.append({"name": "stark", "region": "eu", "alias": "stark", "displayName": "Stark Industries"})
    customers_file.write_text(yaml.safe_dump({"customers": customers}))
    plan = stack.run("preview").stdout
    assert re.search(r"\+ 1 to create", plan), plan
    assert not re.search(r"to (update|replace|delete)", plan), plan
    control.clear_requests()
    out = stack.up().stdout
    assert re.search(r"\+ 1 created", out), out
    assert not re.search(r"\b(updated|replaced|deleted)\b", out), out
    requests = [r for r in control.requests() if not r.path.startswith("/_")]
    assert [r.host for r in requests if r.method == "POST" and r.route == "/api/v1/tenants"] == [
        emulator.world.regions["eu"].register_host
    ]
    after = {t["urn"]: t for t in stack.tenants()}
    [new_urn] = after.keys() - before.keys()
    new_hosts = {h.lower() for h in live_hostnames(control, after[new_urn]["id"])}
    # Every write (token grants aside) went to the new tenant or its region's register host.
    touched = {
        r.host.lower()
        for r in requests
        if r.method in ("PATCH", "POST", "PUT", "DELETE") and r.path != "/oauth/token"
    }
    assert touched <= new_hosts | {emulator.world.regions["eu"].register_host}, touched
    for urn, state in before.items():
        assert after[urn]["id"] == state["id"]
        # Secrets are re-encrypted with a fresh nonce on every write of the state: compare the rest.
        assert plain_outputs(after[urn]) == plain_outputs(state)
        assert after[urn]["modified"] == state["modified"]

    # Protected production tenants: destroy refuses until they are deliberately unprotected.
    refused = stack.run("destroy", "--yes", check=False)
    assert refused.returncode != 0
    assert "protect" in refused.stdout + refused.stderr
    assert all(t.status == "active" for t in control.tenants())
    stack.run("state", "unprotect", "--all", "--yes")
    stack.run("destroy", "--yes")
    assert {t.status for t in control.tenants() if not t.source} == {"disabled"}


def plain_outputs(resource: dict[str, object]) -> dict[str, object]:
    outputs = resource["outputs"]
    assert isinstance(outputs, dict)
    return {k: v for k, v in outputs.items() if not (isinstance(v, dict) and "ciphertext" in v)}


def live_hostnames(control: EmulatorControl, tenant_id: str) -> list[str]:
    tenant = control.tenant(tenant_id)
    assert tenant is not None
    return list(tenant.hostnames)


def test_platform_and_consumer_stacks__inputs_from_other_resources_and_a_stack_reference(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    us = emulator.world.regions["us"]
    platform = example_stack(pulumi_cli, tmp_path, "cloud-composition/platform", "qlik-platform", "prod")
    platform.config("qlik:endpoint", emulator.url)
    platform.config("qlik:region", "us")
    platform.config("qlik:clientId", us.client_id)
    platform.config("qlik:clientSecret", us.client_secret, secret=True)
    platform.config("sourceTenant", us.source_tenant)
    platform.config("customers[0]", "acme", path=True)
    platform.config("customers[1]", "globex", path=True)

    # The first preview sees unknown aliases and names (the labels don't exist yet).
    first_up = platform.up().stdout
    assert "error" not in first_up.lower(), first_up
    hostnames = platform.outputs()["hostnames"]
    aliases = platform.outputs()["aliases"]
    live = {t.id: t for t in control.tenants()}
    for tenant in platform.tenants():
        customer = tenant["urn"].rsplit("::", 1)[1]
        label = aliases[customer].split(".")[0]
        assert re.fullmatch(rf"{customer}-[0-9a-f]{{6}}", label), label
        assert live[tenant["id"]].hostnames[1] == f"{label}.us.qlikcloud.com"
        assert live[tenant["id"]].name == label.replace("-", " ").title()
        assert hostnames[customer] == live[tenant["id"]].hostnames[0]

    consumer = example_stack(pulumi_cli, tmp_path, "cloud-composition/consumer", "qlik-consumer", "prod")
    consumer.config("platformStack", "organization/qlik-platform/prod")
    consumer.up()
    assert consumer.outputs() == {
        "customers": ["acme", "globex"],
        "hub_urls": {customer: f"https://{host}/hub" for customer, host in hostnames.items()},
    }

    consumer.run("destroy", "--yes")
    platform.run("destroy", "--yes")
    assert {t.status for t in control.tenants() if not t.source} == {"disabled"}


def _load_onboarding() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "qlik_onboarding_example", EXAMPLES / "onboarding-service" / "onboarding.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through it
    spec.loader.exec_module(module)
    return module


def test_onboarding_service__two_customers(
    pulumi_bin: Path,
    emulator: EmulatorServer,
    control: EmulatorControl,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    onboarding = _load_onboarding()
    # The service's environment, as its deployment would provide it; the provider process inherits it.
    for code in ("us", "eu"):
        region = emulator.world.regions[code]
        monkeypatch.setenv(f"QLIK_CLIENT_ID_{code.upper()}", region.client_id)
        monkeypatch.setenv(f"QLIK_CLIENT_SECRET_{code.upper()}", region.client_secret)
    monkeypatch.setenv("QLIK_ENDPOINT", emulator.url)
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "onboarding-test-passphrase")
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)
    printed: list[str] = []
    options = onboarding.ServiceOptions(
        state_dir=tmp_path / "onboarding-state",
        pulumi_root=pulumi_bin.parent,
        env={
            "PULUMI_HOME": str(tmp_path / "pulumi-home"),
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        },
        on_output=printed.append,
    )
    _, portal_key = generate_rsa_key_pair()  # a public key is request data, not a secret
    customers = [
        onboarding.Customer(
            "acme",
            region="us",
            source_tenant=emulator.world.regions["us"].source_tenant,
            portal_origin="https://analytics.acme.example",
            jwt_public_key=portal_key,
            admin_email="it@acme.example",
        ),
        onboarding.Customer(
            "umbrella-gmbh",
            region="eu",
            source_tenant=emulator.world.regions["eu"].source_tenant,
            display_name="Umbrella GmbH",
            alias="umbrella",
            portal_origin="https://insights.umbrella.example",
            jwt_public_key=portal_key,
            jwt_issuer="portal.umbrella.example",
            jwt_key_id="umbrella-2026",
            admin_email="it@umbrella.example",
        ),
    ]
    # The stack, the tenant and its configuration as examples/customer-onboarding makes it: settings, IdP, group,
    # two spaces, the assignment, the first admin, web integration, CSP origin.
    resources = 1 + 1 + 9

    hostnames = {c.name: onboarding.onboard(c, options) for c in customers}
    live = {t.hostnames[0]: t for t in control.tenants()}
    assert live[hostnames["acme"]].region == "us"
    assert live[hostnames["acme"]].hostnames[1] == "acme.us.qlikcloud.com"
    assert live[hostnames["umbrella-gmbh"]].region == "eu"
    assert live[hostnames["umbrella-gmbh"]].name == "Umbrella GmbH"
    assert live[hostnames["umbrella-gmbh"]].hostnames[1] == "umbrella.eu.qlikcloud.com"
    for customer in customers:
        config = customer.configuration()
        assert_configured(
            emulator,
            customer.region,
            hostnames[customer.name],
            portal_origin=config.portal_origin,
            jwt_issuer=config.jwt_issuer,
            jwt_key_id=config.jwt_key_id,
        )
        assert onboarding.preview(customer, options) == {"same": resources}

    # A retried request for the same customer changes nothing and returns the same tenant.
    assert onboarding.onboard(customers[0], options) == hostnames["acme"]
    assert onboarding.preview(customers[0], options) == {"same": resources}
    assert len(created_tenants(control)) == 2
    state_dir = tmp_path / "onboarding-state"
    assert_no_secret_leaked(client_secrets(emulator), [state_dir], printed, 2 + 4)

    for customer in customers:
        onboarding.offboard(customer.name, options)
    assert {t.status for t in control.tenants() if not t.source} == {"disabled"}
    # acme comes back within the purge window: its deactivated tenant still holds the alias `acme`. The service
    # is refused before a tenant is made (it used to make one, fail to set the alias, and report success).
    with pytest.raises(auto.CommandError) as refused:
        onboarding.onboard(customers[0], options)
    assert "acme.us.qlikcloud.com is already used by the tenant at acme.us.qlikcloud.com" in str(
        refused.value
    )
    assert "No tenant was created." in str(refused.value)
    assert len(created_tenants(control)) == 2
    onboarding.offboard("acme", options)  # the refused run left an empty stack: removed
    assert not list((state_dir / ".pulumi" / "stacks").rglob("*.json"))
    assert_no_secret_leaked(client_secrets(emulator), [], printed, 2 + 4, need_state=False)


def test_content_deployment_example__two_customers_republished_in_place(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    us = emulator.world.regions["us"]
    tenants = [control.seed_tenant("us", name=f"customer{n}tenant00") for n in range(2)]
    source_app = control.seed_app(us.source_tenant_id, "Sales", content="v1")
    stack = example_stack(pulumi_cli, tmp_path, "content-deployment", "qlik-content-deployment", "demo")
    spaces = [
        (
            create_space(emulator, t.hostnames[0], "shared", "Dev"),
            create_space(emulator, t.hostnames[0], "managed", "Analytics"),
        )
        for t in tenants
    ]
    customers = [
        {"name": f"c{n}", "hostname": t.hostnames[0], "shared_space_id": dev, "managed_space_id": analytics}
        for n, (t, (dev, analytics)) in enumerate(zip(tenants, spaces, strict=True))
    ]
    (stack.project / "customers.yaml").write_text(yaml.safe_dump({"customers": customers}))
    stack.config("qlik:endpoint", emulator.url)
    stack.config("qlik:region", "us")
    stack.config("qlik:clientId", us.client_id)
    stack.config("qlik:clientSecret", us.client_secret, secret=True)
    stack.config("sourceTenant", us.source_tenant)
    stack.config("sourceAppId", source_app.id)

    stack.up()
    first = stack.outputs()
    for n, tenant in enumerate(tenants):
        published = [a for a in control.apps(tenant.id) if a.space_id == spaces[n][1]]
        assert [a.id for a in published] == [first[f"c{n}_published_app_id"]]
        assert published[0].content == "v1"

    control.seed_app(us.source_tenant_id, "unrelated")  # another app changing on the source: no redeploy
    up = stack.up()
    assert "updated" not in up.stdout.split("Resources:")[0], up.stdout

    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        qlik.update_app(us.source_tenant, source_app.id, description="Q3 numbers")
    up = stack.up()
    assert up.stdout.count("qlik:AppDeployment") >= 2, up.stdout
    assert stack.outputs()["c0_published_app_id"] == first["c0_published_app_id"]

    stack.run("destroy", "--yes")
    assert all(control.apps(t.id) == [] for t in tenants)
