"""``/api/scheduling/tasks`` on tenant hosts (the scheduling tasks API, qliksense-task-api-openapi.yml)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ...api_errors import BadRequest
from ...listing import paginate, parse_limit, sorted_by
from ...routing import Call, Endpoint, ErrorStyle, RouteSpec, body_json, json_response
from ...world import iso
from ..apps.models import ReloadStatus
from .exceptions import TaskBadRequest, TaskNotFound
from .models import Run, Task
from .rules import Scheduling

PATH = "/api/scheduling/tasks"
_SORT = {
    "createdAt": lambda t: t.created,
    "updatedAt": lambda t: t.updated,
    "name": lambda t: t.name.lower(),
    "enabled": lambda t: t.enabled,
    "resourceId": lambda t: t.app_id,
    "ownerId": lambda t: t.owner_id,
}
_RUN_STATUS = {ReloadStatus.SUCCEEDED: "SUCCEEDED", ReloadStatus.FAILED: "FAILED"}


def render_task(task: Task) -> dict[str, Any]:
    """``Task`` (additionalProperties: false): the definition as sent, plus id, resourceId and metadata."""
    start: dict[str, Any] = {"schedule": task.schedule.to_json()}
    if task.state_name:
        start["stateName"] = task.state_name
    body: dict[str, Any] = {
        "id": task.id,
        "name": task.name,
        "specVersion": task.spec_version,
        "enabled": task.enabled,
        "resourceId": task.app_id,
        "start": start,
        "states": task.states,
        "metadata": _metadata(task),
    }
    if task.description:
        body["description"] = task.description
    return body


def _metadata(task: Task) -> dict[str, Any]:
    return {
        "usage": "ANALYTICS",
        "ownerId": task.owner_id,
        "tenantId": task.tenant_id,
        "createdAt": iso(task.created),
        "updatedAt": iso(task.updated),
        "createdBy": task.owner_id,
        "resourceType": "app",
        "trigger": {"id": task.id, "type": 0},
    }


def render_run(scheduling: Scheduling, task: Task, run: Run, now: Any) -> dict[str, Any]:
    """``OrchRun``: RUNNING while the reload is queued or reloading, then its outcome."""
    reload = scheduling.reload_of(run)
    status = "FAILED" if reload is None else _RUN_STATUS.get(reload.status(now), "RUNNING")
    body: dict[str, Any] = {
        "id": run.id,
        "status": status,
        "workerId": run.reload_id or "",
        "workerType": "reloads",
        "triggeredBy": run.triggered_by,
        "startedAt": iso(run.started),
        "executedAs": task.owner_id,
        "resourceId": task.app_id,
        "taskId": task.id,
        "actionId": "app.reload",
        "taskName": task.name,
        "taskMeta": _metadata(task),
    }
    if reload is not None and status != "RUNNING":
        body["endedAt"] = iso(reload.ends)
    if run.failure:
        body["log"] = f"Error: {run.failure}"
    return body


async def _body(call: Call) -> Any:
    try:
        return await body_json(call.request, allow_empty=False)
    except BadRequest as exc:
        raise TaskBadRequest(f"CHO-001: {exc.detail}") from None


def routes(scheduling: Scheduling) -> list[RouteSpec]:
    async def listing(call: Call) -> Response:
        limit = parse_limit(call, default=20, maximum=100, error=TaskBadRequest)
        found = sorted_by(
            scheduling.listing(call.caller, call.first("resourceId")),
            call.first("sort"),
            _SORT,
            "-updatedAt",
            TaskBadRequest,
        )
        page = paginate(found, lambda t: t.id, limit, call.first("page"), None, TaskBadRequest)
        links: dict[str, Any] = {"self": {"href": f"{call.base}{PATH}"}}
        if page.next_cursor:
            links["next"] = {"href": f"{call.base}{PATH}?limit={limit}&page={page.next_cursor}"}
        return json_response({"data": [render_task(t) for t in page.items], "links": links})

    async def create(call: Call) -> Response:
        return json_response(render_task(scheduling.create(call.caller, await _body(call))), 201)

    async def get(call: Call) -> Response:
        return json_response(render_task(scheduling.get(call.caller, call.params["id"])))

    async def put(call: Call) -> Response:
        return json_response(
            render_task(scheduling.replace(call.caller, call.params["id"], await _body(call)))
        )

    async def patch(call: Call) -> Response:
        current = render_task(scheduling.get(call.caller, call.params["id"]))
        task = scheduling.patch(call.caller, call.params["id"], await _body(call), current)
        return json_response(render_task(task))

    async def delete(call: Call) -> Response:
        scheduling.delete(call.caller, call.params["id"])
        return Response(status_code=204)

    async def start(call: Call) -> Response:
        run = scheduling.start_now(call.caller, call.params["id"], call.first("source") or "manual")
        return json_response({"message": f"task started: run {run.id}"})

    async def runs(call: Call) -> Response:
        task, found = scheduling.runs(call.caller, call.params["id"])
        limit = parse_limit(call, default=20, maximum=100, error=TaskBadRequest)
        page = paginate(found, lambda r: r.id, limit, call.first("page"), None, TaskBadRequest)
        now = scheduling.now()
        data = [render_run(scheduling, task, r, now) for r in page.items]
        return json_response({"data": data, "links": {"self": {"href": f"{call.base}{PATH}/{task.id}/runs"}}})

    async def last_run(call: Call) -> Response:
        task, found = scheduling.runs(call.caller, call.params["id"])
        if not found:
            raise TaskNotFound(f"task {task.id} has never run")
        return json_response(render_run(scheduling, task, found[0], scheduling.now()))

    style = ErrorStyle.INTEGER_CODE
    return [
        RouteSpec(PATH, {"GET": Endpoint(listing), "POST": Endpoint(create, tier=2)}, style),
        RouteSpec(
            f"{PATH}/{{id}}",
            {
                "GET": Endpoint(get),
                "PUT": Endpoint(put, tier=2),
                "PATCH": Endpoint(patch, tier=2),
                "DELETE": Endpoint(delete, tier=2),
            },
            style,
        ),
        RouteSpec(f"{PATH}/{{id}}/actions/start", {"POST": Endpoint(start, tier=2)}, style),
        RouteSpec(f"{PATH}/{{id}}/runs", {"GET": Endpoint(runs)}, style),
        RouteSpec(f"{PATH}/{{id}}/runs/last", {"GET": Endpoint(last_run)}, style),
    ]
