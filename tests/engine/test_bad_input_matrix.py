"""The bad-input matrix: each case, run as `pulumi up` (with its preview) next to a healthy tenant, ends in one
clear error naming the field and the fix, creates nothing, and leaves the state usable (the healthy tenant
untouched, no pending operation, `preview --expect-no-changes` clean at the end)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.engine.pulumi_cli import PulumiCLI
from tests.engine.reliability_kit import Emulator, FleetStack, secrets_in_plain_text

pytestmark = [pytest.mark.engine, pytest.mark.slow]

KEEP = {"name": "keep", "region": "us", "displayName": "Keep", "alias": "keep-alias"}


@dataclass
class World:
    emu: Emulator
    fs: FleetStack
    keys: dict[str, str] = field(default_factory=dict)

    def key(self, name: str, value: str) -> dict[str, Any]:
        """A tenant spec fragment that passes `value` as a secret license key."""
        self.keys[name] = value
        self.fs.stack.config("licenseKeys", json.dumps(self.keys), secret=True)
        return {"key": name}


@dataclass
class Case:
    name: str
    bad: Callable[[World], dict[str, Any] | None]
    """The bad tenant (None: the bad part is in the config or the license, next to KEEP only)."""
    expect: tuple[str, ...]
    undo: Callable[[World], None] = lambda _: None
    fails: bool = True
    command: tuple[str, ...] = ("up", "--yes")


def literal(value: str) -> dict[str, Any]:
    return {"key": {"literal": value}}


def _credentials(w: World, client_id: str, secret: str) -> None:
    w.fs.stack.config("qlik:credentials.us.clientId", client_id, path=True)
    w.fs.stack.config("qlik:credentials.us.clientSecret", secret, path=True, secret=True)


def _restore_credentials(w: World) -> None:
    us = w.emu.world.regions["us"]
    _credentials(w, us.client_id, us.client_secret)


def _wrong_region_client(w: World) -> None:
    eu = w.emu.world.regions["eu"]
    _credentials(w, eu.client_id, eu.client_secret)


def _wrong_secret(w: World) -> None:
    _credentials(w, w.emu.world.regions["us"].client_id, "not-the-secret-" + "x" * 40)


def _missing_secret(w: World) -> None:
    w.fs.run("config", "rm", "--path", "qlik:credentials.us.clientSecret")


def _plain_secret(w: World) -> None:
    # Through stdin, as a user piping it would: the value never appears on a command line.
    us = w.emu.world.regions["us"]
    w.fs.stack.config("qlik:clientId", us.client_id)
    w.fs.stack.run("config", "set", "--plaintext", "qlik:clientSecret", stdin=us.client_secret)


def _drop_plain_secret(w: World) -> None:
    w.fs.run("config", "rm", "qlik:clientId")
    w.fs.run("config", "rm", "qlik:clientSecret")


def _revoked_key(w: World) -> dict[str, Any]:
    old = w.emu.control.license("us").license_key
    w.emu.control.rotate_license("us", revoke_previous=True)
    return {"region": "us", **w.key("revoked", old)}


def _license(w: World, name: str, **kwargs: Any) -> dict[str, Any]:
    lic = w.emu.control.add_license("us", **kwargs)
    return {"region": "us", **w.key(name, lic.license_key)}


def _source_expired(w: World) -> None:
    w.emu.control.update_license("us", status="Expired")


def _source_ok(w: World) -> None:
    w.emu.control.update_license("us", status="Ok")


def _adopt_wrong_id(w: World) -> dict[str, Any]:
    keep = next(t for t in w.fs.stack.tenants() if t["urn"].endswith("::keep"))
    return {"adoptTenantId": "NoSuchTenant0000000000000000000", "adoptHostname": keep["outputs"]["hostname"]}


FUTURE = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()

CASES = [
    Case(
        "unknown-region",
        lambda w: {"region": "xx"},
        ("region: 'xx' is not a known Qlik Cloud region", "use one of"),
    ),
    Case(
        "malformed-region", lambda w: {"region": "u s"}, ("region: 'u s' is not a region code", "use one of")
    ),
    Case(
        "datacenter-outside-region",
        lambda w: {"region": "eu", "datacenter": "us-east-1"},
        ("datacenter: 'us-east-1' is not in region 'eu'", "drop `datacenter`"),
    ),
    Case(
        "empty-license-key",
        lambda w: {"region": "us", **literal("")},
        ("license_key:", "get_entitlement_key_output"),
    ),
    Case(
        "garbled-license-key",
        lambda w: {"region": "us", **literal("garbage")},
        ("license_key: is not a signed entitlement key", "get_entitlement_key_output"),
    ),
    Case(
        "forged-license-key",
        lambda w: {"region": "us", **w.key("forged", "eyJhbGciOiJIUzI1NiJ9.eyJmb3JnZWQiOnRydWV9.c2ln")},
        ("license_key: Qlik refused the entitlement key", "Pass the current `licenseKey`"),
    ),
    Case(
        "revoked-license-key",
        _revoked_key,
        ("license_key: Qlik refused the entitlement key", "revoked by a newer key"),
    ),
    Case(
        "expired-license",
        lambda w: _license(w, "expired", status="Expired"),
        ("license_key: Qlik refused the entitlement key", "Renew the subscription"),
    ),
    Case(
        "license-not-yet-valid",
        lambda w: _license(w, "future", valid_from=FUTURE),
        ("license_key: Qlik refused the entitlement key", "outside its validity"),
    ),
    Case(
        "no-tenant-allotment-left",
        lambda w: _license(w, "full", max_tenants=0),
        ("license_key: the key's license has no tenant left in its allotment", "raise the allotment"),
    ),
    Case(
        "purge-days-too-few",
        lambda w: {"purgeAfterDays": 5},
        ("purge_after_days: 5 is out of range", "10 to 90"),
    ),
    Case(
        "purge-days-too-many",
        lambda w: {"purgeAfterDays": 91},
        ("purge_after_days: 91 is out of range", "10 to 90"),
    ),
    Case(
        "alias-in-another-regions-domain",
        lambda w: {"region": "us", "alias": "acme.eu.qlikcloud.com"},
        (
            "alias_hostname: 'acme.eu.qlikcloud.com' is in region 'eu'",
            "use the label alone, or '.us.qlikcloud.com'",
        ),
    ),
    Case(
        "alias-malformed",
        lambda w: {"alias": "Not_A_Label"},
        ("alias_hostname: 'Not_A_Label' must be one DNS label", "letters, digits and inner hyphens"),
    ),
    Case(
        "alias-taken",
        lambda w: {"region": "us", "alias": "keep-alias"},
        ("alias_hostname: keep-alias.us.qlikcloud.com is already used by tenant", "choose another alias"),
    ),
    Case(
        "display-name-blank",
        lambda w: {"displayName": "   "},
        ("display_name: must be 1 to 128 characters", "not blank"),
    ),
    Case(
        "adopt-id-without-hostname",
        lambda w: {"adoptTenantId": "abc"},
        ("adopt_hostname: required with adopt_tenant_id", "hostname"),
    ),
    Case(
        "adopt-tenant-id-that-does-not-exist",
        _adopt_wrong_id,
        ("adopt_tenant_id: 'NoSuchTenant0000000000000000000' is not the tenant at", "Give the id"),
    ),
    Case(
        "adopt-hostname-that-does-not-exist",
        lambda w: {"adoptTenantId": "abc", "adoptHostname": "nosuchtenant000.us.qlikcloud.com"},
        ("adopt_hostname: no Qlik Cloud tenant answers at nosuchtenant000.us.qlikcloud.com", "own hostname"),
    ),
    Case(
        "client-of-another-region",
        lambda w: _wrong_region_client(w),
        ("qlik:credentials.us.clientId: the OAuth client was refused", "--secret --path qlik:credentials.us"),
        undo=_restore_credentials,
    ),
    Case(
        "wrong-client-secret",
        lambda w: _wrong_secret(w),
        ("qlik:credentials.us.clientId: the OAuth client was refused", "a wrong secret"),
        undo=_restore_credentials,
    ),
    Case(
        "missing-client-secret",
        lambda w: _missing_secret(w),
        ("qlik:credentials.us.clientId is set but qlik:credentials.us.clientSecret is not", "set both"),
        undo=_restore_credentials,
    ),
    Case(
        "client-secret-in-plain-config",
        lambda w: _plain_secret(w),
        (
            "qlik:clientSecret holds a client secret in plain text",
            "pulumi config set --secret qlik:clientSecret",
        ),
        undo=_drop_plain_secret,
        fails=False,
        # Only a preview: an update would copy the plain config into the stack's history files, which is
        # what the warning is about, and the secret search would rightly find it there.
        command=("preview",),
    ),
    Case(
        "source-tenant-license-expired",
        lambda w: _source_expired(w),
        ("has status 'Expired'", "renew or reinstate it in My Qlik"),
        undo=_source_ok,
    ),
]


@pytest.fixture
def world(pulumi_cli: PulumiCLI, tmp_path: Path) -> Iterator[World]:
    emu = Emulator(tmp_path / "emulator.json")
    fs = FleetStack(pulumi_cli, emu, tmp_path, name="bad-input")
    fs.declare([KEEP])
    fs.run("up", "--yes")
    yield World(emu, fs)
    emu.close()


def test_bad_input_matrix__one_clear_error_nothing_created_state_usable(world: World) -> None:
    fs, emu = world.fs, world.emu
    [keep] = fs.stack.tenants()
    rows = []
    for case in CASES:
        bad = case.bad(world)
        fs.declare([KEEP] if bad is None else [KEEP, {"name": "bad", **bad}])
        run = fs.run(*case.command, check=False)
        output = run.stdout + run.stderr
        case.undo(world)

        missing = [fragment for fragment in case.expect if fragment not in output]
        created = [t.id for t in emu.created() if t.id != keep["id"]]
        state = fs.stack.state()["checkpoint"]["latest"]
        tenants = [t["id"] for t in fs.stack.tenants()]
        pending = state.get("pending_operations") or []
        rows.append(
            f"| {case.name} | {'error' if run.returncode else 'warning'} | {len(created)} | {tenants == [keep['id']]} |"
        )
        assert (run.returncode != 0) == case.fails, f"{case.name}: exit {run.returncode}\n{output}"
        assert not missing, f"{case.name}: {missing} not in the output:\n{output}"
        assert not created, f"{case.name}: created {created}"
        assert tenants == [keep["id"]], f"{case.name}: state holds {tenants}"
        assert not pending, f"{case.name}: pending operations {pending}"

    fs.declare([KEEP])
    fs.run("preview", "--expect-no-changes")
    fs.run("up", "--yes", "--expect-no-changes")
    print("\n".join(rows))
    leaks = secrets_in_plain_text(
        fs, extra={f"license key {k}": v for k, v in world.keys.items() if len(v) > 20}
    )
    assert not leaks, f"secrets found in plain text: {leaks}"
    assert len(CASES) >= 20
