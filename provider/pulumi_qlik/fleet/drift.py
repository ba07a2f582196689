"""`python -m pulumi_qlik drift`: a refresh *preview* of each stack (`pulumi refresh --preview-only` through the
Automation API, several stacks at once), turned into one report of what Qlik says that the state does not.

Read-only: a refresh preview reads every resource and writes no state (the engine takes the stack's lock for the
run, and releases it). The program does not run: the refresh reads the resources in the state with the
stack's config (its credentials), as `pulumi refresh` does.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pulumi import automation as auto

from pulumi_qlik.operations.drift_report import DriftError, DriftRow, rows_of_step, secret_keys_by_urn

# Operations whose events carry a resource as the state had it (`old`) and as the read found it (`new`).
_READ_OPS = frozenset({"refresh", "update", "delete", "same", "read"})


@dataclass
class StackDrift:
    """What the refresh preview of one stack found."""

    stack: str
    rows: list[DriftRow] = field(default_factory=list)
    error: str | None = None


def _outputs(state: Any) -> dict[str, Any] | None:
    if state is None:
        return None
    outputs = dict(state.outputs or {})
    outputs.setdefault("id", state.id)
    return outputs


def rows_of_events(
    stack: str, events: Sequence[auto.EngineEvent], secret_keys: Mapping[str, frozenset[str]]
) -> list[DriftRow]:
    """The drift rows of one refresh preview's events (the last event per resource wins); `secret_keys` are
    the properties of each resource (by URN) that the state holds as secrets, masked in the rows."""
    steps: dict[str, Any] = {}
    for event in events:
        step = event.res_outputs_event or event.resource_pre_event
        if step is None or step.metadata is None:
            continue
        meta = step.metadata
        if meta.op.value not in _READ_OPS or meta.type.startswith("pulumi:"):
            continue  # the stack itself and providers: not drift
        if event.res_outputs_event is not None or meta.urn not in steps:
            steps[meta.urn] = meta
    rows: list[DriftRow] = []
    for urn, meta in steps.items():
        old = _outputs(meta.old)
        new = None if meta.op.value == "delete" else _outputs(meta.new)
        masked = secret_keys.get(urn, frozenset())
        rows.extend(rows_of_step(stack, urn, meta.type, old, new, meta.diffs or (), secret=masked))
    return rows


def _preview(stack: auto.Stack, parallel: int | None) -> StackDrift:
    events: list[auto.EngineEvent] = []
    try:
        # Which properties are secrets, from the state as exported without them (values stay encrypted).
        secret_keys = secret_keys_by_urn(stack.export_stack().deployment or {})
        # Secret values reach the events masked (`[secret]`), so a change in a secret alone does not show.
        stack.preview_refresh(on_event=events.append, show_secrets=False, color="never", parallel=parallel)
    except auto.CommandError as exc:
        # The CLI's stderr names the stack and what failed (a credential, a lock); it holds no secret values.
        return StackDrift(stack.name, error=_last_line(exc))
    return StackDrift(stack.name, rows_of_events(stack.name, events, secret_keys))


def _last_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[-1] if text else repr(exc)


def select_stacks(
    workspace: auto.LocalWorkspace, names: Sequence[str], patterns: Sequence[str]
) -> list[auto.Stack]:
    """The named stacks, plus the project's stacks in the backend that match a pattern (all: `*`)."""
    wanted = list(dict.fromkeys(names))
    if patterns or not names:
        try:
            listed = [summary.name for summary in workspace.list_stacks()]
        except auto.CommandError as exc:
            raise DriftError(f"cannot list the project's stacks: {str(exc).strip()}") from None
        for pattern in patterns or ["*"]:
            wanted += [n for n in listed if fnmatch.fnmatchcase(n, pattern) and n not in wanted]
    if not wanted:
        raise DriftError("no stack matched: pass --stack NAME or --stacks GLOB")
    try:
        return [auto.Stack.select(name, workspace) for name in wanted]
    except auto.CommandError as exc:
        raise DriftError(f"cannot select a stack: {str(exc).strip()}") from None


def detect_drift(
    work_dir: str,
    *,
    names: Sequence[str] = (),
    patterns: Sequence[str] = (),
    concurrency: int = 4,
    env: Mapping[str, str] | None = None,
    parallel: int | None = None,
) -> list[StackDrift]:
    """The drift of every selected stack of the project in `work_dir`, `concurrency` stacks at a time."""
    workspace = auto.LocalWorkspace(work_dir=work_dir, env_vars=dict(env or {}))
    stacks = select_stacks(workspace, names, patterns)
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return list(pool.map(lambda s: _preview(s, parallel), stacks))
