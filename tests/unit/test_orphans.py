"""The orphan search's pure parts: reading a stack export, matching interrupted creates, editing the state."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pulumi_qlik.client.models import OrganizationTenant
from pulumi_qlik.config import plain_secret_warnings
from pulumi_qlik.operations.create_journal import CreateJournal, JournaledCreate
from pulumi_qlik.operations.orphans import adopt_interrupted, pair_pending_creates
from pulumi_qlik.operations.stack_state import (
    TENANT_TYPE,
    PendingCreate,
    read_snapshot,
    save_state_backup,
    state_fingerprint,
)

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SECRET_SIG = "4dabf18193072939515e22adb298388d"


def tenant(
    tenant_id: str, region: str = "us", *, name: str | None = None, alias: str | None = None
) -> OrganizationTenant:
    hostnames = [f"sys{tenant_id}.{region}.qlikcloud.com"] + (
        [f"{alias}.{region}.qlikcloud.com"] if alias else []
    )
    return OrganizationTenant.model_validate(
        {
            "id": tenant_id,
            "name": name or f"sys{tenant_id}",
            "hostnames": hostnames,
            "status": "active",
            "createdAt": (T0 + timedelta(seconds=len(tenant_id))).isoformat(),
            "licenseNumber": "L1",
        }
    )


def pending(
    urn: str, region: str = "us", *, name: str | None = None, alias: str | None = None
) -> PendingCreate:
    full = f"{alias}.{region}.qlikcloud.com" if alias else None
    return PendingCreate(urn=urn, region=region, display_name=name, alias_hostname=full, license_number="L1")


def window(create: PendingCreate, *, tenant_id: str | None = None, start: int = 0) -> JournaledCreate:
    """The journal's record of `create`: began at T0 + `start` s, a tenant possible for two minutes."""
    return JournaledCreate(
        create_id=f"{create.urn}-{start}",
        identity=create.identity,
        started=T0 + timedelta(seconds=start),
        latest=T0 + timedelta(seconds=start + 120),
        tenant_id=tenant_id,
    )


def test_pairing__settings_or_the_journal_identify_a_tenant__one_candidate_per_window() -> None:
    creates = [
        pending("a", alias="customer-a", name="Customer A"),
        pending("b", name="Customer B"),
        pending("c"),
        pending("d", region="eu"),
        pending("e", region="eu"),  # its create never reached Qlik: no tenant for it
    ]
    tenants = [
        tenant("plain-us"),
        tenant("with-b", name="Customer B"),
        tenant("with-a", name="Customer A", alias="customer-a"),
        tenant("plain-eu", region="eu"),
        tenant("someone-elses", name="Other Corp"),
    ]
    journal = [window(creates[2]), window(creates[3]), window(creates[4], start=600)]
    pairing = pair_pending_creates(creates, tenants, journal)
    assert {urn: t.id for urn, t in pairing.pairs} == {
        "a": "with-a",
        "b": "with-b",
        "c": "plain-us",
        "d": "plain-eu",
    }
    assert [urn for urn, _ in pairing.not_adopted] == ["e"]


def test_pairing__another_stacks_tenant_made_at_the_same_moment__nothing_adopted_and_why() -> None:
    ours = pending("ours")
    # Two never-configured tenants in the window of our one create: one of them is another stack's.
    pairing = pair_pending_creates([ours], [tenant("mine"), tenant("theirs")], [window(ours)])
    assert pairing.pairs == []
    [(urn, why)] = pairing.not_adopted
    assert urn == "ours"
    assert "2 never-configured tenants were created in its time window" in why
    assert "mine" in why
    assert "theirs" in why


def test_pairing__no_journal__an_unconfigured_tenant_is_never_taken() -> None:
    """The old second pass took any never-configured tenant of the region: another stack's fits that."""
    pairing = pair_pending_creates([pending("a"), pending("b", alias="customer-b")], [tenant("plain")])
    assert pairing.pairs == []
    assert [urn for urn, _ in pairing.not_adopted] == ["a", "b"]
    assert "create journal" in pairing.not_adopted[0][1]


def test_pairing__the_journal_names_the_tenant__taken_even_beside_others() -> None:
    killed = pending("a", alias="customer-a")  # killed after Qlik answered, before the settings
    pairing = pair_pending_creates(
        [killed], [tenant("theirs"), tenant("mine")], [window(killed, tenant_id="mine")]
    )
    assert [(urn, t.id) for urn, t in pairing.pairs] == [("a", "mine")]


def test_pairing__more_journaled_windows_with_tenants_than_interrupted_creates__nothing_adopted() -> None:
    ours = pending("ours")
    other_run = JournaledCreate(
        create_id="other", identity=ours.identity, started=T0, latest=T0 + timedelta(seconds=120)
    )
    pairing = pair_pending_creates([ours], [tenant("t1")], [window(ours), other_run])
    assert pairing.pairs == []
    assert "another run or stack" in pairing.not_adopted[0][1]


def test_journal__round_trip__windows_tenants_and_failures(tmp_path: Path) -> None:
    journal = CreateJournal(tmp_path / "j" / "creates.jsonl")
    first = journal.began("id1", timedelta(seconds=60), now=T0)
    second = journal.began("id1", timedelta(seconds=60), now=T0)
    third = journal.began("id2", timedelta(seconds=60), now=T0)
    journal.made(first, "T1")
    journal.failed(third)
    found = {c.create_id: c for c in journal.creates()}
    assert (found[first].tenant_id, found[first].open) == ("T1", False)
    assert found[second].open
    assert found[second].latest == T0 + timedelta(seconds=60)
    assert found[third].failed
    assert not found[third].open
    assert oct((tmp_path / "j" / "creates.jsonl").stat().st_mode & 0o777) == "0o600"


def export(resources: list[dict[str, Any]], operations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"version": 3, "deployment": {"resources": resources, "pending_operations": operations}}


STACK = {"urn": "urn:stack", "type": "pulumi:pulumi:Stack", "created": "2026-11-27T12:00:00.5Z"}


def op(urn: str, **inputs: Any) -> dict[str, Any]:
    return {
        "type": "creating",
        "resource": {"urn": urn, "type": TENANT_TYPE, "custom": True, "inputs": inputs},
    }


def test_snapshot__claims_keys_interrupted_creates_and_age() -> None:
    key = {
        SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270",
        "plaintext": '"h.eyJzdWJzY3JpcHRpb25JZCI6InMxIn0.s"',
    }
    state = export(
        [
            STACK,
            {"urn": "urn:t1", "type": TENANT_TYPE, "id": "T1", "inputs": {"license_key": key}, "outputs": {}},
        ],
        [op("urn:t2", region="eu", display_name="B", alias_hostname="b", license_key=key)],
    )
    snapshot = read_snapshot(state)
    assert snapshot.claimed_ids == {"T1"}
    assert snapshot.license_keys == ("h.eyJzdWJzY3JpcHRpb25JZCI6InMxIn0.s",)
    assert snapshot.first_created == datetime(2026, 11, 27, 12, 0, 0, 500000, tzinfo=UTC)
    [create] = snapshot.pending_creates
    assert (create.urn, create.region, create.display_name, create.alias_hostname) == (
        "urn:t2",
        "eu",
        "B",
        "b.eu.qlikcloud.com",
    )


def test_adopt_interrupted__matched_creates_become_resources_the_rest_are_dropped() -> None:
    encrypted = {SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"}
    other_op = {"type": "deleting", "resource": {"urn": "urn:x", "type": "other"}}
    state = export(
        [STACK], [op("urn:t1", region="us", license_key=encrypted), op("urn:t2", region="us"), other_op]
    )
    edited = adopt_interrupted(state, [("urn:t1", tenant("T1"))])
    resources = edited["deployment"]["resources"]
    assert [r["urn"] for r in resources] == ["urn:stack", "urn:t1"]
    adopted = resources[1]
    assert adopted["id"] == "T1"
    assert adopted["outputs"]["hostname"] == "sysT1.us.qlikcloud.com"
    assert adopted["inputs"]["license_key"] == encrypted, "secrets stay encrypted"
    assert edited["deployment"]["pending_operations"] == [other_op]
    assert state["deployment"]["pending_operations"][0]["type"] == "creating", "the input is not modified"


def test_plain_secret_warnings__name_the_key_and_the_fix() -> None:
    config = {
        "qlik:clientSecret": "s",
        "qlik:organizationClientSecret": "o",
        "qlik:credentials": '{"eu": {}}',
    }
    warnings = plain_secret_warnings(config, is_secret=lambda key: key == "qlik:organizationClientSecret")
    assert warnings == [
        "qlik:clientSecret holds a client secret in plain text in the stack config file (and each `pulumi up` copies "
        "it into the stack's history): store it encrypted with `pulumi config set --secret qlik:clientSecret` (it prompts, or reads stdin)"
    ]


def test_state_fingerprint__same_checkpoint_with_or_without_secrets__any_write_changes_it() -> None:
    shown = {SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "plaintext": '"key"'}
    hidden = {SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"}
    read = export([STACK], [op("urn:t1", region="us", license_key=shown)])
    again = export([STACK], [op("urn:t1", region="us", license_key=hidden)])
    assert state_fingerprint(read) == state_fingerprint(again)
    written = export([STACK, {"urn": "urn:t9", "type": TENANT_TYPE, "id": "T9"}], [op("urn:t1", region="us")])
    assert state_fingerprint(written) != state_fingerprint(read)


def test_save_state_backup__owner_only__readable_back(tmp_path: Path) -> None:
    state = export([STACK], [])
    path = save_state_backup(state, tmp_path / "backups", "org/dev")
    assert path.parent == tmp_path / "backups"
    assert json.loads(path.read_text()) == state
    assert oct(path.stat().st_mode & 0o777) == "0o600"


class _StackWrittenMeanwhile:
    """A stack whose state another run writes between the orphan search's read and its import."""

    imported: list[Any] = []

    def __init__(self, stack: str, **_: Any) -> None:
        self.stack = stack
        self.reads = 0

    def export(self, *, show_secrets: bool = True) -> dict[str, Any]:
        self.reads += 1
        resources = [STACK] if self.reads == 1 else [STACK, {"urn": "urn:new", "type": "x", "id": "N"}]
        return export(resources, [op("urn:t1", region="us")])

    def import_(self, deployment: Any) -> None:
        self.imported.append(deployment)


def test_adopt_interrupted_cli__state_written_meanwhile__refused_nothing_imported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from pulumi_qlik import __main__ as cli

    class _Org:
        def __enter__(self) -> _Org:
            return self

        def __exit__(self, *_: Any) -> None:
            return None

        def list_subscription_tenants(self, _host: str, _subscription: str) -> list[OrganizationTenant]:
            return [tenant("plain")]

    monkeypatch.setattr(cli, "PulumiStack", _StackWrittenMeanwhile)
    monkeypatch.setattr(cli, "organization_client_of", lambda _stack: _Org())
    monkeypatch.setenv("QLIK_CREATE_JOURNAL", str(tmp_path / "journal.jsonl"))
    argv = [
        "orphans",
        "--stack",
        "dev",
        "--adopt-interrupted",
        "--subscription-id",
        "s1",
        "--cwd",
        str(tmp_path),
    ]
    assert cli.main(argv) == 1
    assert "changed since it was read" in capsys.readouterr().err
    assert _StackWrittenMeanwhile.imported == []
    assert not (tmp_path / "pulumi-qlik-backups").exists()


def test_find_orphans__lists_the_deactivated_tenants_with_their_purge_dates() -> None:
    from pulumi_qlik.operations.orphans import find_orphans
    from pulumi_qlik.operations.stack_state import StackSnapshot

    gone = OrganizationTenant.model_validate(
        {
            "id": "off",
            "hostnames": ["sysoff.us.qlikcloud.com", "acme.us.qlikcloud.com"],
            "status": "deactivated",
            "deletionStartsAt": "2027-01-06T12:00:00Z",
        }
    )

    class _Org:
        def list_subscription_tenants(self, _host: str, _subscription: str) -> list[OrganizationTenant]:
            return [tenant("live"), gone]

        def get_organization_tenant(self, _host: str, tenant_id: str) -> OrganizationTenant:
            return tenant(tenant_id)

    snapshot = StackSnapshot(
        claimed_ids=frozenset({"live"}), license_keys=(), pending_creates=(), first_created=None
    )
    report = find_orphans("dev", snapshot, _Org(), subscription_ids=["s1"])  # type: ignore[arg-type]
    assert report.orphans == ()
    assert report.to_json()["deactivated"] == [
        {
            "id": "off",
            "hostname": "sysoff.us.qlikcloud.com",
            "name": None,
            "purgeDate": "2027-01-06T12:00:00Z",
        }
    ]
    assert "- off  sysoff.us.qlikcloud.com  purge 2027-01-06T12:00:00Z" in report.to_text()
