"""Models of the scheduling tasks API (``/api/scheduling/tasks``, Qlik's task spec): reload tasks on an
RFC 5545 recurrence. Qlik deprecated ``/api/v1/reload-tasks`` for this API (docs/emulator.md says why we
build on it); :class:`ReloadTaskDefinition` is the one shape callers fill, whichever API carries it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from ._common import PageLinks, RequestModel, ResponseModel

SPEC_VERSION = "0.8"
"""The Serverless Workflow version of the tasks we send (the spec's own example)."""
RELOAD_FUNCTION = "app.reload"
STATE_NAME = "reload"


class ReloadTaskDefinition(RequestModel):
    """What a scheduled reload is: the app, when (a ``RRULE:`` line in a time zone, an optional window), how."""

    name: str
    app_id: str
    recurrence: str
    """One RFC 5545 recurrence line, e.g. ``RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0`` (no ``DTSTART``)."""
    time_zone: str = "UTC"
    """An IANA time zone name, e.g. ``Europe/Zurich``; the recurrence and the window are wall-clock there."""
    start_time: str | None = None
    end_time: str | None = None
    partial: bool = False
    enabled: bool = True
    description: str = ""

    def to_task(self) -> dict[str, Any]:
        """The ``Task`` body: a time schedule starting one event state whose action calls ``app.reload``."""
        schedule: dict[str, Any] = {"recurrence": self.recurrence, "timezone": self.time_zone}
        if self.start_time:
            schedule["startDateTime"] = self.start_time
        if self.end_time:
            schedule["endDateTime"] = self.end_time
        action = {
            "name": RELOAD_FUNCTION,
            "functionRef": {
                "refName": RELOAD_FUNCTION,
                "arguments": {"appId": self.app_id, "partial": self.partial},
            },
        }
        body: dict[str, Any] = {
            "name": self.name,
            "specVersion": SPEC_VERSION,
            "enabled": self.enabled,
            "start": {"stateName": STATE_NAME, "schedule": schedule},
            "states": [
                {
                    "name": STATE_NAME,
                    "type": "EVENT",
                    "end": True,
                    "onEvents": [{"eventRefs": ["schedule"], "actions": [action]}],
                }
            ],
        }
        if self.description:
            body["description"] = self.description
        return body


class TaskSchedule(ResponseModel):
    recurrence: str | None = None
    timezone: str = "UTC"
    start_date_time: str | None = None
    end_date_time: str | None = None


class TaskStart(ResponseModel):
    schedule: TaskSchedule | None = None
    state_name: str | None = None


class TaskMetadata(ResponseModel):
    owner_id: str | None = None
    tenant_id: str | None = None
    space_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class SchedulingTask(ResponseModel):
    """A task (``Task``); :attr:`app_id`, :attr:`partial` and :attr:`schedule` read its reload and timing."""

    id: str
    name: str
    enabled: bool = False
    description: str = ""
    resource_id: str | None = None
    start: TaskStart | None = None
    states: list[Any] = Field(default_factory=list)
    metadata: TaskMetadata | None = None

    @property
    def schedule(self) -> TaskSchedule | None:
        return self.start.schedule if self.start else None

    def _reload_arguments(self) -> dict[str, Any]:
        for state in self.states:
            for on_event in (state or {}).get("onEvents") or []:
                for action in on_event.get("actions") or []:
                    ref = action.get("functionRef")
                    if isinstance(ref, dict) and ref.get("refName") == RELOAD_FUNCTION:
                        arguments = ref.get("arguments")
                        return arguments if isinstance(arguments, dict) else {}
        return {}

    @property
    def app_id(self) -> str | None:
        found = self._reload_arguments().get("appId")
        return found if isinstance(found, str) else self.resource_id

    @property
    def partial(self) -> bool:
        return self._reload_arguments().get("partial") is True


class SchedulingTaskList(ResponseModel):
    data: list[SchedulingTask] = Field(default_factory=list)
    links: PageLinks | None = None


class TaskRun(ResponseModel):
    """One run of a task (``OrchRun``); ``worker_id`` is the reload's id for a reload task."""

    id: str
    status: Literal["RUNNING", "SUCCEEDED", "FAILED"] | str
    worker_id: str = ""
    worker_type: str | None = None
    triggered_by: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    resource_id: str | None = None
    task_id: str | None = None
    log: str | None = None


class TaskRunList(ResponseModel):
    data: list[TaskRun] = Field(default_factory=list)
    links: PageLinks | None = None
