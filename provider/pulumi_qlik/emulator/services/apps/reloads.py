"""Reloads (reloads.json): queued on the emulator's clock, settled onto their app once finished, and the
failures the control plane plans for the next reload of an app or of any app on a tenant.

A reload's status is computed from the clock (queued, reloading, then succeeded or failed); housekeeping
settles each finished reload onto its app once (last reload time; loaded data on success).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ...world import World
from . import exceptions as errors
from .models import App, Reload, ReloadStatus


@dataclass
class _Failures:
    """Per app, and per tenant (any app), the error line the next reload fails with (control plane)."""

    next_reload: dict[str, str] = field(default_factory=dict)
    next_reload_on_tenant: dict[str, str] = field(default_factory=dict)


MAX_VARIABLES, MAX_VARIABLE_LENGTH, MAX_WEIGHT = 20, 256, 10
"""reloads.json ``ReloadRequest``: "Maximum of 20 variables allowed with a maximum length of 256 characters
for each name/value"; ``Weight`` an integer from 1 to 10."""


def requested_reload(body: Any) -> tuple[str, bool]:
    """(app id, partial) of a ``ReloadRequest`` body; 400 naming the field when it breaks the schema."""
    if not isinstance(body, dict):
        raise errors.ReloadBadRequest("request body must be a ReloadRequest object")
    app_id = body.get("appId")
    if not isinstance(app_id, str) or not app_id:
        raise errors.ReloadBadRequest("appId is required", pointer="/appId")
    partial = body.get("partial", False)
    if not isinstance(partial, bool):
        raise errors.ReloadBadRequest("partial must be true or false", pointer="/partial")
    weight = body.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT:
        raise errors.ReloadBadRequest(f"weight must be an integer from 1 to {MAX_WEIGHT}", pointer="/weight")
    variables = body.get("variables", {})
    if not isinstance(variables, dict) or len(variables) > MAX_VARIABLES:
        raise errors.ReloadBadRequest(
            f"variables must be an object of at most {MAX_VARIABLES} names", pointer="/variables"
        )
    for name, value in variables.items():
        if len(name) > MAX_VARIABLE_LENGTH or not isinstance(value, str) or len(value) > MAX_VARIABLE_LENGTH:
            raise errors.ReloadBadRequest(
                f"each variable's name and value are strings of at most {MAX_VARIABLE_LENGTH} characters",
                pointer=f"/variables/{name}",
            )
    return app_id, partial


class Reloads:
    """Every tenant's reloads; the apps service owns it and runs it inside its transactions."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._reloads: dict[str, Reload] = {}
        self._failures = _Failures()

    def to_state(self) -> list[dict[str, Any]]:
        return [r.to_state() for r in self._reloads.values()]

    def load_state(self, rows: list[dict[str, Any]]) -> None:
        self._reloads = {r.id: r for r in map(Reload.from_state, rows)}
        self._failures = _Failures()

    def forget_failures(self) -> None:
        self._failures = _Failures()

    def forget_tenant(self, tenant_id: str) -> None:
        self._reloads = {k: r for k, r in self._reloads.items() if r.tenant_id != tenant_id}

    def queue(
        self, app: App, user_id: str, *, partial: bool, queue_seconds: float, run_seconds: float
    ) -> Reload:
        """A new reload of the app: it starts after ``queue_seconds`` and runs ``run_seconds``; 409 while
        another reload of the app is pending."""
        now = self._world.clock.now()
        for other in self._reloads.values():
            if other.app_id == app.id and other.status(now) in (ReloadStatus.QUEUED, ReloadStatus.RELOADING):
                raise errors.ReloadPending(f"reload {other.id} of app {app.id} is already pending")
        starts = now + timedelta(seconds=queue_seconds)
        reload = Reload(
            id=self._world.ids.hex(24),
            app_id=app.id,
            tenant_id=app.tenant_id,
            user_id=user_id,
            created=now,
            starts=starts,
            ends=starts + timedelta(seconds=run_seconds),
            failure=self._next_failure(app),
            partial=partial,
        )
        self._reloads[reload.id] = reload
        return reload

    def get(self, tenant_id: str, reload_id: str) -> Reload:
        reload = self._reloads.get(reload_id)
        if reload is None or reload.tenant_id != tenant_id:
            raise errors.ReloadNotFound(f"reload {reload_id} not found")
        return reload

    def fail_next(self, app_id: str, error_line: str) -> None:
        self._failures.next_reload[app_id] = error_line

    def fail_next_on_tenant(self, tenant_id: str, error_line: str) -> None:
        self._failures.next_reload_on_tenant[tenant_id] = error_line

    def _next_failure(self, app: App) -> str | None:
        failure = self._failures.next_reload.pop(app.id, None)
        if failure is None:
            failure = self._failures.next_reload_on_tenant.pop(app.tenant_id, None)
        return failure

    def settle(self, app_of: Callable[[str], App | None]) -> bool:
        """Housekeeping: apply each finished reload to its app once (last reload time; data on success)."""
        now = self._world.clock.now()
        changed = False
        for reload in self._reloads.values():
            if reload.settled or now < reload.ends:
                continue
            reload.settled = changed = True
            app = app_of(reload.app_id)
            if app is not None and reload.failure is None:
                app.last_reload = reload.ends
                app.data = f"data loaded by reload {reload.id}".encode()
        return changed


def reload_log(reload: Reload, now: datetime) -> str:
    """The reload's log as reloads.json shows it (``ReloadID: ...`` first; the outcome last)."""
    lines = [f"ReloadID: {reload.id}"]
    status = reload.status(now)
    if status is not ReloadStatus.QUEUED:
        lines.append("Started loading")
    if status is ReloadStatus.SUCCEEDED:
        lines += ["App saved", "Finished successfully"]
    elif status is ReloadStatus.FAILED:
        lines += [f"Error: {reload.failure}", "Execution Failed"]
    return "\n".join(lines) + "\n"
