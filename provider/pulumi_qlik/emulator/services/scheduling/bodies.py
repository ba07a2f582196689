"""The scheduling tasks API's ``Task`` body, as far as the emulator runs it: a time schedule
(``start.schedule``) and one ``app.reload`` action (``states[].onEvents[].actions[].functionRef``)."""

from __future__ import annotations

from typing import Any

from .exceptions import TaskBadRequest
from .models import Schedule

RELOAD = "app.reload"


def _bad(detail: str, pointer: str) -> TaskBadRequest:
    return TaskBadRequest(f"CHO-001: {detail}", pointer=pointer)


def _reload_actions(states: Any) -> list[tuple[dict[str, Any], str]]:
    found = []
    for i, state in enumerate(states):
        for j, on_event in enumerate(state.get("onEvents") or [] if isinstance(state, dict) else []):
            for k, action in enumerate(on_event.get("actions") or [] if isinstance(on_event, dict) else []):
                ref = action.get("functionRef") if isinstance(action, dict) else None
                if isinstance(ref, dict) and ref.get("refName") == RELOAD:
                    found.append((ref, f"/states/{i}/onEvents/{j}/actions/{k}/functionRef"))
    return found


def task_fields(body: Any) -> dict[str, Any]:
    """The fields of a task from a ``Task`` body (POST and PUT); 400 CHO-001 naming the field otherwise."""
    if not isinstance(body, dict):
        raise _bad("the body must be a Task object", "")
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        raise _bad("name is required: 1 to 100 characters", "/name")
    spec_version = body.get("specVersion")
    if not isinstance(spec_version, str) or not spec_version:
        raise _bad("specVersion is required (the Serverless Workflow version, e.g. 0.8)", "/specVersion")
    description = body.get("description", "")
    if not isinstance(description, str) or len(description) > 1024:
        raise _bad("description is a string of at most 1024 characters", "/description")
    enabled = body.get("enabled", False)
    if not isinstance(enabled, bool):
        raise _bad("enabled must be a boolean", "/enabled")
    start = body.get("start")
    if not isinstance(start, dict):
        start = {}
    schedule = start.get("schedule")
    if not isinstance(schedule, dict) or not isinstance(schedule.get("recurrence"), str):
        raise _bad(
            "start.schedule.recurrence is required: the emulator runs time-scheduled tasks (RRULE)",
            "/start/schedule/recurrence",
        )
    for key in ("timezone", "startDateTime", "endDateTime"):
        if key in schedule and not isinstance(schedule[key], str):
            raise _bad(f"{key} must be a string", f"/start/schedule/{key}")
    states = body.get("states")
    if not isinstance(states, list) or not states:
        raise _bad("states is required: one state whose action calls app.reload", "/states")
    actions = _reload_actions(states)
    if len(actions) != 1:
        raise _bad(f"exactly one action must call {RELOAD} (found {len(actions)})", "/states")
    ref, pointer = actions[0]
    given = ref.get("arguments")
    arguments: dict[str, Any] = given if isinstance(given, dict) else {}
    app_id = arguments.get("appId")
    if not isinstance(app_id, str) or not app_id:
        raise _bad("the app.reload action needs arguments.appId", f"{pointer}/arguments/appId")
    partial = arguments.get("partial", False)
    if not isinstance(partial, bool):
        raise _bad("arguments.partial must be a boolean", f"{pointer}/arguments/partial")
    return {
        "name": name,
        "spec_version": spec_version,
        "description": description,
        "enabled": enabled,
        "app_id": app_id,
        "partial": partial,
        "schedule": Schedule(
            schedule["recurrence"],
            schedule.get("timezone") or "UTC",
            schedule.get("startDateTime", ""),
            schedule.get("endDateTime", ""),
        ),
        "states": states,
        "state_name": start.get("stateName", ""),
    }
