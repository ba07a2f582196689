"""No run is lost to a rate limit (issue 24): 30 customers configured as examples/customer-onboarding configures
one, in one stack, at the engine's default parallelism, against an emulator that allows one write a second per
host and OAuth client. Each new tenant's configuration writes arrive at once and the register host's creates
pile up: the client waits out every 429 (a deadline, not a count) and its pacer learns the real rate, so the
run succeeds. The 429s are counted from the emulator's request log, and the time against the ideal schedule the
limit allows is printed for the closing note (`pytest -s`); speed targets live in `make bench`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair
from tests.engine.pulumi_cli import PulumiCLI
from tests.engine.rate_limit_run import rate_limited_run
from tests.engine.tenant_configuration import assert_configured
from tests.engine.test_examples import configure_qlik, example_stack, warehouse_passwords

pytestmark = [pytest.mark.engine, pytest.mark.slow]

CUSTOMERS = 30
WRITES_PER_SECOND = 1


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    # One tier-2 call (create, patch, post) a second per host and client.
    return EmulatorConfig(record_secrets=True, tier2_limit=WRITES_PER_SECOND, rate_window_seconds=1)


def customer(i: int) -> dict[str, object]:
    name = f"customer-{i:02d}"
    return {
        "name": name,
        "region": "us",  # one register host: every create shares one budget
        "alias": name,
        "displayName": f"Customer {i:02d}",
        "portalOrigin": f"https://portal.{name}.example",
        "jwt": {"issuer": f"portal.{name}.example", "keyId": f"{name}-portal"},
        "admin": {"email": f"it@{name}.example", "name": f"{name} IT"},
        # What the example gives every customer to live on its own data (a backend client, its warehouse, its
        # brand): their writes share the same limit.
        "warehouse": {"type": "postgres", "connectionString": f"host=db.{name}.example;database=sales",
                      "username": "qlik_reader"},
        "theme": "themes/acme",
    }  # fmt: skip


def test_30_configured_customers_at_default_parallelism_under_1_write_a_second__no_run_lost(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    tmp_path: Path,
    test_secrets: dict[str, str],
) -> None:
    stack = example_stack(pulumi_cli, tmp_path, "customer-onboarding", "qlik-customer-onboarding", "fleet")
    customers = [customer(i) for i in range(CUSTOMERS)]
    (stack.project / "customers.yaml").write_text(yaml.safe_dump({"customers": customers}))
    configure_qlik(stack, emulator, ["us"])
    _, public_pem = generate_rsa_key_pair()  # public: plain config
    pairs = [arg for c in customers for arg in ("--plaintext", f"jwtPublicKeys.{c['name']}={public_pem}")]
    stack.run("config", "set-all", "--path", *pairs)
    warehouse_passwords(stack, [str(c["name"]) for c in customers], test_secrets)
    assert "PULUMI_PARALLEL" not in pulumi_cli.env  # the engine's default parallelism

    started = time.monotonic()
    stack.up()  # with its preview; then a second preview plans no change
    up_seconds = time.monotonic() - started

    # Every run succeeded (up() raises otherwise) and every tenant is configured.
    exported = stack.outputs()["customers"]
    assert len(exported) == CUSTOMERS
    for c in customers:
        jwt = c["jwt"]
        assert isinstance(jwt, dict)
        assert_configured(
            emulator,
            "us",
            exported[c["name"]]["hostname"],
            portal_origin=str(c["portalOrigin"]),
            jwt_issuer=jwt["issuer"],
            jwt_key_id=jwt["keyId"],
        )

    register = emulator.world.regions["us"].register_host
    # The schedule the limit allows: the creates one a second on the register host, then the last tenant's
    # own writes one a second on its host.
    run = rate_limited_run(control, 0, {register}, WRITES_PER_SECOND)
    # The 429s were met, on the shared register host and on the new tenants' hosts, and all waited out.
    assert run.rate_limited, "the limit was never reached: this run proves nothing"
    assert run.per_host[register] == CUSTOMERS
    ideal, creates = run.ideal, run.per_host[register]
    print(
        f"\n[rate limits] {CUSTOMERS} configured customers, one stack, default parallelism, "
        f"{WRITES_PER_SECOND} write/s per host: runs failed 0; 429s {len(run.rate_limited)} "
        f"({run.on({register})} on the register host); writes {len(run.writes)} "
        f"({creates} creates, up to {ideal - creates:.0f} per tenant host); "
        f"ideal schedule {ideal:.0f} s; first to last write {run.span:.1f} s = {run.span / ideal:.2f}x ideal; "
        f"`pulumi up` with its preview {up_seconds:.1f} s = {up_seconds / ideal:.2f}x ideal"
    )
