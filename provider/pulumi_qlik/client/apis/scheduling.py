"""The scheduling tasks API (``/api/scheduling/tasks``): reload tasks of apps on an RFC 5545 recurrence."""

from __future__ import annotations

from .._core import ClientCore, segment
from ..errors import NotFoundError
from ..models.scheduling import ReloadTaskDefinition, SchedulingTask, SchedulingTaskList, TaskRun, TaskRunList
from ..retry import Idempotency
from ._paging import PAGE_SIZE

PATH = "/api/scheduling/tasks"
MAX_TASK_PAGES = 100


class SchedulingAPI(ClientCore):
    """Reload tasks of a tenant's apps, on the tenant's own host."""

    def create_reload_task(self, host: str, definition: ReloadTaskDefinition) -> SchedulingTask:
        """``POST /api/scheduling/tasks`` (201): a time-scheduled task whose action reloads the app."""
        response = self._call(
            "POST", host, PATH, json_body=definition.to_task(), idempotency=Idempotency.CREATE
        )
        return self._parse(SchedulingTask, response)

    def get_reload_task(self, host: str, task_id: str) -> SchedulingTask:
        """``GET /api/scheduling/tasks/{id}``."""
        return self._parse(SchedulingTask, self._call("GET", host, _path(task_id)))

    def list_reload_tasks(self, host: str, *, app_id: str | None = None) -> list[SchedulingTask]:
        """The tenant's tasks (of one app when given), every page (``page`` cursors)."""
        params = {"limit": str(PAGE_SIZE), **({"resourceId": app_id} if app_id else {})}
        found: list[SchedulingTask] = []
        for _ in range(MAX_TASK_PAGES):
            page = self._parse(SchedulingTaskList, self._call("GET", host, PATH, params=params))
            found.extend(page.data)
            next_link = page.links.next if page.links else None
            if next_link is None or not page.data:
                return found
            params = {**params, "page": next_link.href.rsplit("page=", 1)[-1].split("&", 1)[0]}
        return found

    def update_reload_task(self, host: str, task_id: str, definition: ReloadTaskDefinition) -> SchedulingTask:
        """``PUT /api/scheduling/tasks/{id}`` (200): the whole definition, in place (same id)."""
        return self._parse(
            SchedulingTask, self._call("PUT", host, _path(task_id), json_body=definition.to_task())
        )

    def set_reload_task_enabled(self, host: str, task_id: str, enabled: bool) -> SchedulingTask:
        """``PATCH /api/scheduling/tasks/{id}`` of ``/enabled`` (200)."""
        body = [{"op": "replace", "path": "/enabled", "value": enabled}]
        return self._parse(SchedulingTask, self._call("PATCH", host, _path(task_id), json_body=body))

    def delete_reload_task(self, host: str, task_id: str) -> None:
        """``DELETE /api/scheduling/tasks/{id}`` (204)."""
        self._call("DELETE", host, _path(task_id))

    def start_reload_task(self, host: str, task_id: str) -> None:
        """``POST .../actions/start``: run the task now, outside its schedule."""
        self._call("POST", host, f"{_path(task_id)}/actions/start", idempotency=Idempotency.CREATE)

    def list_task_runs(self, host: str, task_id: str) -> list[TaskRun]:
        """The task's runs, newest first (first page, up to 100)."""
        params = {"limit": str(PAGE_SIZE)}
        return self._parse(TaskRunList, self._call("GET", host, f"{_path(task_id)}/runs", params=params)).data

    def last_task_run(self, host: str, task_id: str) -> TaskRun | None:
        """``GET .../runs/last``, or None when the task never ran (Qlik answers 404)."""
        try:
            return self._parse(TaskRun, self._call("GET", host, f"{_path(task_id)}/runs/last"))
        except NotFoundError:
            return None


def _path(task_id: str) -> str:
    return f"{PATH}/{segment(task_id, 'task_id')}"
