"""The orphan search's pure parts: reading a stack export, matching interrupted creates, editing the state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pulumi_qlik.client.models import OrganizationTenant
from pulumi_qlik.config import plain_secret_warnings
from pulumi_qlik.operations.orphans import (
    TENANT_TYPE,
    PendingCreate,
    adopt_interrupted,
    pair_pending_creates,
    read_snapshot,
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


def test_pairing__settings_identify_a_tenant__unconfigured_ones_are_interchangeable_within_a_region() -> None:
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
    pairs = {urn: t.id for urn, t in pair_pending_creates(creates, tenants)}
    assert pairs == {"a": "with-a", "b": "with-b", "c": "plain-us", "d": "plain-eu"}


def test_pairing__a_create_killed_before_its_settings_takes_an_unconfigured_tenant() -> None:
    pairs = pair_pending_creates([pending("a", alias="customer-a")], [tenant("plain")])
    assert [(urn, t.id) for urn, t in pairs] == [("a", "plain")]


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
