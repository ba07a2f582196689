"""The drift report's rows and rendering (operations/drift_report.py); tests/engine/test_drift.py runs it for real."""

from __future__ import annotations

import json

from pulumi_qlik.operations.drift_report import (
    CHANGED,
    DEACTIVATED,
    DELETED,
    MASK,
    render_table,
    rows_of_step,
    secret_keys_by_urn,
    to_json,
)

TENANT = "pulumi-python:dynamic/qlik:Tenant"
GROUP = "pulumi-python:dynamic/qlik:Group"
SIGNATURE = "4dabf18193072939515e22adb298388d"


def test_rows_of_step__unchanged_resource_has_no_rows() -> None:
    state = {"id": "g1", "assigned_roles": ["A"], "__provider": "x"}
    assert rows_of_step("dev", "urn:pulumi:dev::p::t::customers", GROUP, state, dict(state)) == []


def test_rows_of_step__changed_deleted_and_deactivated() -> None:
    urn = "urn:pulumi:dev::p::pulumi-python:dynamic/qlik:Group::customers"
    (row,) = rows_of_step("dev", urn, GROUP, {"assigned_roles": ["A"]}, {"assigned_roles": ["B"]})
    assert (row.resource, row.kind, row.property, row.state, row.qlik) == (
        "QlikGroup customers",
        CHANGED,
        "assigned_roles",
        '["A"]',
        '["B"]',
    )
    (gone,) = rows_of_step("dev", urn, GROUP, {"id": "g1"}, None)
    assert (gone.kind, gone.state, gone.qlik) == (DELETED, "g1", "gone")
    (off,) = rows_of_step("dev", "urn:x::tenant", TENANT, {"status": "active"}, {"status": "disabled"})
    assert (off.kind, off.property) == (DEACTIVATED, "status")


def test_rows_of_step__secrets_are_masked_even_when_the_event_shows_them() -> None:
    old = {"description": "contract 1", "license_key": "k1", "secret_inputs": ["description"]}
    new = {"description": "contract 2", "license_key": "k2", "secret_inputs": ["description"]}
    rows = rows_of_step("dev", "urn:x::g", GROUP, old, new)
    assert {r.property for r in rows} == {"description", "license_key"}
    assert all(r.state == MASK and r.qlik == MASK for r in rows)
    # A property the state holds as a secret (from the export), named by no `secret_inputs`.
    (held,) = rows_of_step(
        "dev", "urn:x::g", GROUP, {"hostname": "a"}, {"hostname": "b"}, secret=frozenset({"hostname"})
    )
    assert (held.state, held.qlik) == (MASK, MASK)
    # A change the engine reports in a property whose value the event masks on both sides.
    (row,) = rows_of_step("dev", "urn:x::g", GROUP, {"name": MASK}, {"name": MASK}, diffs=["name"])
    assert (row.state, row.qlik) == (MASK, MASK)


def test_render_table_and_json() -> None:
    rows = rows_of_step("prod", "urn:x::t", TENANT, {"status": "active"}, {"status": "disabled"})
    table = render_table(rows).splitlines()
    assert table[0].split() == ["STACK", "RESOURCE", "DRIFT", "PROPERTY", "STATE", "QLIK"]
    assert "tenant deactivated outside Pulumi" in table[1]
    assert render_table([]) == "no drift"
    report = json.loads(to_json(rows, ["dev", "prod"], {}))
    assert report["drifted"] == ["prod"]
    assert report["drift"][0]["qlik"] == "disabled"


def test_secret_keys_by_urn__reads_the_exports_secret_markers() -> None:
    deployment = {
        "resources": [
            {
                "urn": "urn:x::g",
                "inputs": {
                    "description": {SIGNATURE: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:x"}
                },
                "outputs": {"name": "Customers", "license_key": {SIGNATURE: "1b47", "ciphertext": "v1:y"}},
            }
        ]
    }
    assert secret_keys_by_urn(deployment) == {"urn:x::g": frozenset({"description", "license_key"})}
