"""QlikTenant's contract with the engine, as users meet it: `pulumi up` with its preview, inputs from other
resources, secrets, values from config. One test per way it used to break (issue: engine contract)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.pulumi_cli import PulumiCLI
from tests.engine.test_tenant_lifecycle import calls, new_stack, stack_reading_a_us_tenant

pytestmark = pytest.mark.engine

# How the engine stores a secret value in a state file.
SECRET_SIG = "4dabf18193072939515e22adb298388d"


def _created(control: EmulatorControl) -> list[Any]:
    return [t for t in control.tenants() if not t.source]


def _is_secret(value: Any) -> bool:
    return isinstance(value, dict) and SECRET_SIG in value


def test_inputs_from_another_resource__unknown_at_preview__up_preview_destroy(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = new_stack(pulumi_cli, emulator, tmp_path, "dev", "us", ["us"])
    stack.tenants_config([{"name": "composed", "fromLabel": "acme"}])

    preview = stack.run("preview")
    assert "+ 3 to create" in preview.stdout or "3 to create" in preview.stdout, preview.stdout
    stack.up()

    [live] = _created(control)
    assert live.hostnames[1] == "acme-lbl.us.qlikcloud.com"
    assert live.name == "ACME-LBL"
    assert stack.outputs()["composed.name"] == "ACME-LBL"
    stack.run("destroy", "--yes")
    assert [t.status for t in _created(control)] == ["disabled"]


def test_normalised_inputs__mixed_case_region_and_config_strings__never_diff_nor_replace(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = new_stack(pulumi_cli, emulator, tmp_path, "dev", "us", ["us", "eu"])
    stack.config("purgeDays", "45")  # a plain config value: the program receives the string "45"
    stack.config("appOpeningFeedback", "true")
    stack.tenants_config(
        [
            {"name": "upper", "region": "US", "alias": "Upper-Case"},
            {
                "name": "spaced",
                "region": " us",
                "flags": {"auto_assign_create_shared_spaces_role_to_professionals": "False"},
            },
            {"name": "defaulted"},
        ]
    )
    stack.up()
    ids = sorted(t["id"] for t in stack.tenants())
    assert len(ids) == 3
    states = {t["urn"].rsplit("::", 1)[1]: t for t in stack.tenants()}
    assert states["upper"]["inputs"]["region"] == "us"
    assert states["upper"]["outputs"]["alias_hostname"] == "upper-case.us.qlikcloud.com"
    assert states["spaced"]["outputs"]["purge_after_days"] == 45
    assert {t.flags.get("enableAppOpeningFeedback") for t in _created(control)} == {True}

    # A second `up` changes nothing; a new default region moves no existing tenant (and says so).
    again = stack.run("up", "--yes")
    assert "3 unchanged" in again.stdout or "unchanged" in again.stdout, again.stdout
    stack.config("qlik:region", "eu")
    moved = stack.run("preview", "--expect-no-changes")
    assert "stays in region 'us' although qlik:region is now 'eu'" in moved.stdout + moved.stderr
    assert sorted(t["id"] for t in stack.tenants()) == ids
    assert len(_created(control)) == 3, "no tenant may be replaced"


def test_secret_inputs__every_output_derived_from_them_is_secret(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    tmp_path: Path,
    test_secrets: dict[str, str],
) -> None:
    existing = control.seed_tenant("us")
    test_secrets.update(
        {
            "secret display name": "Confidential Customer 4711",
            "secret alias": "confidential-4711",
            "secret adopted hostname": existing.hostnames[0],
        }
    )
    stack = new_stack(pulumi_cli, emulator, tmp_path, "dev", "us", ["us"])
    stack.config("hiddenName", "Confidential Customer 4711", secret=True)
    stack.config("hiddenAlias", "confidential-4711", secret=True)
    stack.config("hiddenHost", existing.hostnames[0], secret=True)
    stack.tenants_config(
        [
            {
                "name": "hidden",
                "secretConfig": {"display_name": "hiddenName", "alias_hostname": "hiddenAlias"},
            },
            {
                "name": "adopted",
                "adoptTenantId": existing.id,
                "secretConfig": {"adopt_hostname": "hiddenHost"},
            },
        ]
    )
    stack.up()

    states = {t["urn"].rsplit("::", 1)[1]: t["outputs"] for t in stack.tenants()}
    for output in ("display_name", "name", "alias_hostname", "hostnames"):
        assert _is_secret(states["hidden"][output]), f"hidden.{output} must be secret"
    for output in ("hostname", "hostnames", "adopt_hostname"):
        assert _is_secret(states["adopted"][output]), f"adopted.{output} must be secret"
    [live] = [t for t in _created(control) if t.id != existing.id]
    assert live.name == "Confidential Customer 4711"
    # The fixture's search then proves none of the three values is in a state file or the CLI output.


def test_license_key_dropped_after_create__and_adopting_its_own_id__plan_nothing(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = new_stack(pulumi_cli, emulator, tmp_path, "dev", "us", ["us", "eu"])
    stack.tenants_config([{"name": "kept", "displayName": "Kept"}])
    stack.up()
    [state] = stack.tenants()

    # The source license lapsed, or the program stopped looking the key up.
    stack.tenants_config([{"name": "kept", "displayName": "Kept", "withoutKey": True}])
    stack.up()
    # The tenant adopted by its own id: the same tenant, so no replace (which would deactivate it).
    stack.tenants_config(
        [
            {
                "name": "kept",
                "displayName": "Kept",
                "adoptTenantId": state["id"],
                "adoptHostname": state["outputs"]["hostname"],
            }
        ]
    )
    preview = stack.run("preview", "--expect-no-changes")
    assert "replace" not in preview.stdout
    stack.up()
    assert [t["id"] for t in stack.tenants()] == [state["id"]]
    assert [t.status for t in _created(control)] == ["active"]

    # A change that does need a new tenant says why it can't go ahead without a key, and touches nothing.
    stack.tenants_config([{"name": "kept", "region": "eu", "withoutKey": True}])
    failed = stack.run("preview", check=False)
    assert failed.returncode != 0
    assert "replaces tenant" in failed.stdout + failed.stderr
    assert "needs license_key" in failed.stdout + failed.stderr
    assert [t.status for t in _created(control)] == ["active"]


def test_bad_input__every_field_and_cross_field_error_in_one_run(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = new_stack(pulumi_cli, emulator, tmp_path, "dev", "us", ["us"])
    stack.tenants_config(
        [{"name": "bad", "region": "mars", "alias": "Not_A_Label", "purgeAfterDays": 5, "withoutKey": True}]
    )

    preview = stack.run("preview", check=False)

    output = preview.stdout + preview.stderr
    assert preview.returncode != 0
    assert "region: 'mars' is not a known Qlik Cloud region" in output, output
    assert "alias_hostname: 'Not_A_Label' must be one DNS label" in output, output
    assert "purge_after_days: 5 is out of range" in output, output
    assert "license_key: required to create a tenant" in output, output
    assert not _created(control)


def test_get__reads_at_preview__as_the_reference_says(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack, _ = stack_reading_a_us_tenant(pulumi_cli, emulator, control, tmp_path)
    control.clear_requests()

    stack.run("preview")

    seen = calls(control)
    assert seen[("GET", "tenant", "/api/v1/tenants/{id}")] == 1, seen
    reference = " ".join((Path(__file__).parents[2] / "docs" / "resources" / "tenant.md").read_text().split())
    assert "`QlikTenant.get` reads the tenant at every `preview`" in reference
