"""The drift report: what a refresh preview of a stack found, as rows (stack, resource, property, state, Qlik),
rendered as one table or JSON. Built from the engine's step events by `pulumi_qlik.fleet.drift`; no Pulumi here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final

MASK: Final = "[secret]"
ALWAYS_SECRET: Final = frozenset({"license_key", "__provider", "client_secret"})
"""Properties masked whatever the state says: the license key, the pickled provider, OAuth secrets."""
IGNORED: Final = frozenset({"__provider"})
TENANT_TYPE: Final = "pulumi-python:dynamic/qlik:Tenant"
TYPE_PREFIX: Final = "pulumi-python:dynamic/qlik:"
SECRET_SIGNATURE: Final = "4dabf18193072939515e22adb298388d"
"""How a state export marks a secret value."""

CHANGED: Final = "changed outside Pulumi"
DELETED: Final = "deleted outside Pulumi"
DEACTIVATED: Final = "tenant deactivated outside Pulumi"
REACTIVATED: Final = "tenant reactivated outside Pulumi"


class DriftError(RuntimeError):
    """The stacks could not be listed or selected; the message says what to do."""


@dataclass(frozen=True, slots=True)
class DriftRow:
    """One difference between a stack's state and what Qlik says."""

    stack: str
    resource: str
    """`<type> <name>`, e.g. `QlikGroup customers`."""
    kind: str
    property: str
    state: str
    qlik: str


def resource_label(urn: str, type_: str) -> str:
    name = urn.rsplit("::", 1)[-1]
    short = type_.removeprefix(TYPE_PREFIX)
    return f"Qlik{short} {name}" if type_.startswith(TYPE_PREFIX) else f"{type_} {name}"


def _show(value: Any, secret: bool) -> str:
    if value is None:
        return "-"
    if secret or value == MASK:
        return MASK
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def rows_of_step(
    stack: str,
    urn: str,
    type_: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    diffs: Sequence[str] = (),
    *,
    secret: frozenset[str] = frozenset(),
) -> list[DriftRow]:
    """The rows of one refreshed resource: `old` is the outputs in the state, `new` what the read returned
    (None: the resource is gone). `diffs` are the property names the engine itself reports as changed; `secret`
    the properties the state holds as secrets: their values never reach a row."""
    label = resource_label(urn, type_)
    if old is None:
        return []
    if new is None:
        return [DriftRow(stack, label, DELETED, "id", _show(old.get("id") or urn, False), "gone")]
    secret_inputs = old.get("secret_inputs")
    secret_names = ALWAYS_SECRET | secret | (set(secret_inputs) if isinstance(secret_inputs, list) else set())
    keys = {k for k in {*old, *new} if old.get(k) != new.get(k)} | set(diffs)
    rows = []
    # A tenant deactivated outside Pulumi: its status and what came with it (the purge date) say so.
    status_changed = type_ == TENANT_TYPE and old.get("status") != new.get("status")
    tenant_kind = DEACTIVATED if new.get("status") == "disabled" else REACTIVATED
    for key in sorted(keys - IGNORED):
        kind = tenant_kind if status_changed and key in ("status", "estimated_purge_date") else CHANGED
        masked = key in secret_names
        rows.append(
            DriftRow(stack, label, kind, key, _show(old.get(key), masked), _show(new.get(key), masked))
        )
    return rows


def render_table(rows: Iterable[DriftRow]) -> str:
    """One aligned text table, or a line saying there is no drift."""
    listed = list(rows)
    if not listed:
        return "no drift"
    header = ("STACK", "RESOURCE", "DRIFT", "PROPERTY", "STATE", "QLIK")
    cells = [header, *((r.stack, r.resource, r.kind, r.property, r.state, r.qlik) for r in listed)]
    widths = [min(48, max(len(row[i]) for row in cells)) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()

    return "\n".join(line(row) for row in cells)


def to_json(rows: Iterable[DriftRow], stacks: Sequence[str], errors: Mapping[str, str]) -> str:
    listed = [asdict(row) for row in rows]
    drifted = sorted({row["stack"] for row in listed})
    return json.dumps(
        {"stacks": list(stacks), "drifted": drifted, "errors": dict(errors), "drift": listed}, indent=2
    )


def secret_keys_by_urn(deployment: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """For each resource of a state export (`pulumi stack export`, secrets not shown), the names of its inputs
    and outputs that hold secrets."""
    found: dict[str, frozenset[str]] = {}
    for resource in deployment.get("resources") or []:
        names = {
            key
            for props in (resource.get("inputs") or {}, resource.get("outputs") or {})
            for key, value in props.items()
            if isinstance(value, Mapping) and SECRET_SIGNATURE in value
        }
        found[str(resource.get("urn"))] = frozenset(names)
    return found
