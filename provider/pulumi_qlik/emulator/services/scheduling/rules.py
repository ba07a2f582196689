"""Reload tasks of the scheduling tasks API (``/api/scheduling/tasks``), run on the emulator's clock.

Housekeeping (the start of every transaction) fires each enabled task whose next occurrence has come: it
starts one reload of the app (the apps service queues it on the same clock) and moves the task to its next
occurrence after now; occurrences the clock jumped over together give one run, as a scheduler that was
asleep would. Decisions (and why this API, not ``/api/v1/reload-tasks``) are in docs/emulator.md.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any

from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World
from ..apps.exceptions import ReloadForbidden, ReloadPending
from ..apps.models import Reload
from ..apps.rules import Apps
from ..tenants.models import Tenant
from ..users.rules import Users
from . import exceptions as errors
from .bodies import task_fields
from .models import Run, Task
from .recurrence import Recurrence


class Scheduling(Domain):
    """Every tenant's reload tasks and their runs."""

    def __init__(self, world: World, users: Users, apps: Apps) -> None:
        super().__init__(world)
        self._users = users
        self._apps = apps
        self._tasks: dict[str, Task] = {}
        self._runs: list[Run] = []
        world.add_housekeeping(self._fire_due)

    def to_state(self) -> dict[str, Any]:
        tables = {
            "schedulingTasks": [t.to_state() for t in self._tasks.values()],
            "schedulingRuns": [r.to_state() for r in self._runs],
        }
        return {k: rows for k, rows in tables.items() if rows}

    def load_state(self, data: dict[str, Any]) -> None:
        self._tasks = {t.id: t for t in map(Task.from_state, data.get("schedulingTasks", []))}
        self._runs = [Run.from_state(r) for r in data.get("schedulingRuns", [])]

    def forget_tenant(self, tenant: Tenant) -> None:
        self._tasks = {k: t for k, t in self._tasks.items() if t.tenant_id != tenant.id}
        self._runs = [r for r in self._runs if r.tenant_id != tenant.id]

    # --- the clock ------------------------------------------------------------------------------------

    def _fire_due(self) -> bool:
        now = self.now()
        fired = False
        for task in self._tasks.values():
            if task.enabled and task.next_run is not None and task.next_run <= now:
                self._start(task, task.next_run, "time-schedule")
                task.next_run = Recurrence(task.schedule, task.created, task.created).after(now)
                fired = True
        return fired

    def _start(self, task: Task, at: datetime, triggered_by: str) -> Run:
        run = Run(str(uuid.UUID(self.world.ids.hex(32))), task.id, task.tenant_id, at, triggered_by)
        try:
            reload = self._apps.reload_for_task(
                task.tenant_id, task.app_id, task.owner_id, partial=task.partial
            )
            run.reload_id = reload.id
        except (ReloadForbidden, ReloadPending) as exc:
            run.failure = exc.detail or exc.title
        self._runs.append(run)
        return run

    def reload_of(self, run: Run) -> Reload | None:
        return None if run.reload_id is None else self._apps.find_reload(run.tenant_id, run.reload_id)

    # --- the API --------------------------------------------------------------------------------------

    def _task(self, tenant: Tenant, task_id: str) -> Task:
        task = self._tasks.get(task_id)
        if task is None or task.tenant_id != tenant.id:
            raise errors.TaskNotFound(f"task {task_id} not found")
        return task

    def _checked(self, principal: Principal, body: Any, made: datetime) -> tuple[dict[str, Any], Recurrence]:
        fields = task_fields(body)
        try:
            self._apps.get(principal, fields["app_id"])
        except Exception as exc:  # AppNotFound, AppForbidden: the CLI reference gives 403 CHO-003 for both
            detail = getattr(exc, "detail", None) or str(exc)
            raise errors.AppNotAccessible(
                f"CHO-003: app {fields['app_id']} is not accessible: {detail}"
            ) from None
        return fields, Recurrence(fields["schedule"], made, self.now())

    def _apply(self, task: Task, fields: dict[str, Any], recurrence: Recurrence) -> None:
        for key, value in fields.items():
            setattr(task, key, value)
        task.updated = self.now()
        task.next_run = recurrence.after(self.now())

    @locked
    def listing(self, principal: Principal, resource_id: str | None) -> list[Task]:
        tenant = require_tenant_host(principal)
        return [
            t for t in self._tasks.values() if t.tenant_id == tenant.id and resource_id in (None, t.app_id)
        ]

    @locked
    def get(self, principal: Principal, task_id: str) -> Task:
        return self._task(require_tenant_host(principal), task_id)

    @locked
    def create(self, principal: Principal, body: Any) -> Task:
        tenant = require_tenant_host(principal)
        now = self.now()
        fields, recurrence = self._checked(principal, body, now)
        task = Task(
            id=str(uuid.UUID(self.world.ids.hex(32))),
            tenant_id=tenant.id,
            owner_id=self._users.user_of(principal).id,
            created=now,
            updated=now,
            **fields,
        )
        task.next_run = recurrence.after(now)
        self._tasks[task.id] = task
        self.world.changed()
        return task

    @locked
    def replace(self, principal: Principal, task_id: str, body: Any) -> Task:
        """PUT: the whole definition; "if the task is owned by another user, ownership is transferred"."""
        task = self._task(require_tenant_host(principal), task_id)
        fields, recurrence = self._checked(principal, body, task.created)
        self._apply(task, fields, recurrence)
        task.owner_id = self._users.user_of(principal).id
        self.world.changed()
        return task

    @locked
    def patch(self, principal: Principal, task_id: str, body: Any, current: dict[str, Any]) -> Task:
        """PATCH: JSON Patch on the task as ``current`` renders it, then checked as a whole (all or nothing)."""
        task = self._task(require_tenant_host(principal), task_id)
        fields, recurrence = self._checked(principal, _patched(current, body), task.created)
        self._apply(task, fields, recurrence)
        task.owner_id = self._users.user_of(principal).id
        self.world.changed()
        return task

    @locked
    def delete(self, principal: Principal, task_id: str) -> None:
        task = self._task(require_tenant_host(principal), task_id)
        del self._tasks[task.id]
        self.world.changed()

    @locked
    def start_now(self, principal: Principal, task_id: str, source: str) -> Run:
        task = self._task(require_tenant_host(principal), task_id)
        run = self._start(task, self.now(), source)
        self.world.changed()
        return run

    @locked
    def runs(self, principal: Principal, task_id: str) -> tuple[Task, list[Run]]:
        task = self._task(require_tenant_host(principal), task_id)
        return task, sorted(
            (r for r in self._runs if r.task_id == task.id), key=lambda r: r.started, reverse=True
        )


def _patched(current: dict[str, Any], body: Any) -> dict[str, Any]:
    """RFC 6902 ``add``/``replace``/``remove`` over JSON pointers (``move``/``copy``: 400)."""
    if not isinstance(body, list) or not body:
        raise errors.TaskBadRequest("CHO-001: the body must be a non-empty JSON Patch array")
    document = copy.deepcopy(current)
    for index, op in enumerate(body):
        if not isinstance(op, dict) or op.get("op") not in ("add", "replace", "remove"):
            raise errors.TaskBadRequest("CHO-001: op must be add, replace or remove", pointer=f"/{index}/op")
        path = op.get("path")
        keys = path.split("/")[1:] if isinstance(path, str) and path.startswith("/") else []
        node: Any = document
        try:
            for key in keys[:-1]:
                node = node[int(key)] if isinstance(node, list) else node[key]
            last: Any = int(keys[-1]) if isinstance(node, list) else keys[-1]
            if op["op"] == "remove":
                del node[last]
            else:
                node[last] = op.get("value")
        except (KeyError, IndexError, ValueError, TypeError):
            raise errors.TaskBadRequest(
                f"CHO-001: path {path!r} names nothing in the task", pointer=f"/{index}/path"
            ) from None
    return document
