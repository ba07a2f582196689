"""`QlikReloadSchedule`: reload an app on an RFC 5545 recurrence, in a time zone, within an optional window.

Built on Qlik's scheduling tasks API (`/api/scheduling/tasks`), the one Qlik points users to since it announced
the removal of `/api/v1/reload-tasks` (docs/emulator.md says why, with the sources); the inputs do not depend on
that choice. Everything but the app and the tenant changes in place (a PUT of the whole task, same id).
Pulumi deletes a schedule before the app it reloads (it depends on the app's id).

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pulumi
from pulumi.dynamic import Resource

from pulumi_qlik.client.models import ReloadTaskDefinition, SchedulingTask
from pulumi_qlik.engine.object_provider import ObjectProvider, register_object, tenant_id_of
from pulumi_qlik.engine.object_spec import Adapters, Call, Field, ObjectSpec, Out, register
from pulumi_qlik.engine.unknowns import is_unknown

from . import child_inputs

FREQUENCIES: Final = ("MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_PART: Final = re.compile(
    r"^(FREQ|INTERVAL|COUNT|UNTIL|BYSECOND|BYMINUTE|BYHOUR|BYDAY|BYMONTHDAY|BYYEARDAY|BYWEEKNO|BYMONTH|BYSETPOS|WKST)=[A-Za-z0-9,+\-T:Z]+$"
)
EXAMPLE: Final = '"RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0"'


@dataclass(frozen=True, kw_only=True)
class QlikReloadScheduleArgs:
    """The arguments of a `QlikReloadSchedule`."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname. Changing it replaces the schedule."""
    app_id: pulumi.Input[str]
    """The app to reload, e.g. a `QlikAppDeployment`'s `published_app_id`. Changing it replaces the schedule."""
    recurrence: pulumi.Input[str]
    """One RFC 5545 line, e.g. `RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0` (no `DTSTART`); changed in place."""
    time_zone: pulumi.Input[str] | None = None
    """An IANA name, e.g. `Europe/Zurich` (default `UTC`); the recurrence is wall-clock there."""
    start_time: pulumi.Input[str] | None = None
    """`YYYY-MM-DDTHH:MM:SS`, wall-clock in `time_zone`: no reload before."""
    end_time: pulumi.Input[str] | None = None
    """Likewise: no reload after."""
    partial: pulumi.Input[bool] | None = None
    """A partial reload (default false)."""
    name: pulumi.Input[str] | None = None
    """The task's name, unique per app for this provider (default `Reload <app_id>`)."""
    adopt_existing: pulumi.Input[bool] | None = None
    """On create, take over a task of this name for the app made outside this resource."""


def _recurrence(value: Any) -> str:
    if not isinstance(value, str) or not value.strip().upper().startswith("RRULE:"):
        raise ValueError(f"{value!r} is not a recurrence; give one RFC 5545 RRULE line, e.g. {EXAMPLE}")
    rule = value.strip()
    parts = rule[len("RRULE:") :].split(";")
    bad = [part for part in parts if not _PART.match(part.upper())]
    if bad:
        raise ValueError(f"{bad[0]!r} is not an RRULE part (DTSTART goes in `start_time`); e.g. {EXAMPLE}")
    freq = next((p.split("=", 1)[1].upper() for p in parts if p.upper().startswith("FREQ=")), None)
    if freq not in FREQUENCIES:
        raise ValueError(f"needs FREQ= one of {', '.join(FREQUENCIES)}; e.g. {EXAMPLE}")
    return "RRULE:" + ";".join(parts)


def _time_zone(value: Any) -> str:
    if value is None:
        return "UTC"
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'{value!r} is not an IANA time zone; use e.g. "Europe/Zurich" or "UTC"') from None
    return str(value)


def _wall_clock(value: Any) -> str | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time; use YYYY-MM-DDTHH:MM:SS") from None
    if when.tzinfo is not None:
        raise ValueError(
            f"{value!r} has an offset; give wall-clock time in `time_zone`, e.g. 2027-01-01T00:00:00"
        )
    return when.isoformat(timespec="seconds")


def _window(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    start, end = inputs.get("start_time"), inputs.get("end_time")
    if start is None or end is None or is_unknown(start) or is_unknown(end) or end > start:
        return []
    return [("end_time", f"end_time: {end} is not after start_time {start}; no reload could run")]


def _name(inputs: Mapping[str, Any]) -> str:
    return str(inputs.get("name") or f"Reload {inputs['app_id']}")


def _definition(call: Call) -> ReloadTaskDefinition:
    inputs = call.inputs
    return ReloadTaskDefinition(
        name=_name(inputs),
        app_id=str(inputs["app_id"]),
        recurrence=str(inputs["recurrence"]),
        time_zone=str(inputs.get("time_zone") or "UTC"),
        start_time=inputs.get("start_time"),
        end_time=inputs.get("end_time"),
        partial=bool(inputs.get("partial")),
    )


def _shown(task: SchedulingTask) -> tuple[Any, ...]:
    schedule = task.schedule
    return (
        task.name,
        task.app_id,
        schedule.recurrence if schedule else None,
        schedule.timezone if schedule else "UTC",
        _wall_clock_or_none(schedule.start_date_time if schedule else None),
        _wall_clock_or_none(schedule.end_date_time if schedule else None),
        task.partial,
    )


def _wall_clock_or_none(value: str | None) -> str | None:
    try:
        return _wall_clock(value) if value else None
    except ValueError:
        return value


def _converge(call: Call, task: SchedulingTask) -> SchedulingTask:
    wanted = _definition(call)
    if _shown(task) == (wanted.name, wanted.app_id, wanted.recurrence, wanted.time_zone, wanted.start_time,
                        wanted.end_time, wanted.partial):  # fmt: skip
        return task
    return call.client.update_reload_task(call.host, task.id, wanted)


def _outputs(call: Call, task: SchedulingTask) -> dict[str, Any]:
    schedule = task.schedule
    return {
        "tenant_id": tenant_id_of(call, task.metadata.tenant_id if task.metadata else None),
        "recurrence": schedule.recurrence if schedule else None,
        "time_zone": schedule.timezone if schedule else "UTC",
        "partial": task.partial,
        "name": task.name,
    }


RELOAD_SCHEDULE = register(
    ObjectSpec[SchedulingTask](
        resource="QlikReloadSchedule",
        what="reload schedule",
        summary=(
            "Reloads an app on an RFC 5545 recurrence in a time zone, within an optional window; built on Qlik's"
            " scheduling tasks API (`/api/scheduling/tasks`). Pulumi deletes a schedule before the app it reloads."
        ),
        fields=(
            child_inputs.tenant_hostname_field("schedule"),
            Field(
                name="app_id",
                check=lambda v: child_inputs.text(v, max_length=64, example="`deployment.published_app_id`"),
                doc="The app to reload.",
                replace=True,
                required=True,
                pending_in_place=True,  # a deployment keeps its published app's id across its updates
            ),
            Field(
                name="recurrence",
                check=_recurrence,
                doc=f"One RRULE line, e.g. `{EXAMPLE[1:-1]}`.",
                required=True,
            ),
            Field(name="time_zone", check=_time_zone, doc="IANA name (default `UTC`)."),
            Field(name="start_time", check=_wall_clock, doc="`YYYY-MM-DDTHH:MM:SS` in `time_zone`."),
            Field(name="end_time", check=_wall_clock, doc="`YYYY-MM-DDTHH:MM:SS` in `time_zone`."),
            Field(
                name="partial", check=lambda v: child_inputs.flag(v, default=False), doc="A partial reload."
            ),
            Field(
                name="name",
                check=lambda v: child_inputs.optional_text(v, max_length=256),
                doc="Unique per app for this provider (default `Reload <app_id>`).",
                unset_keeps=True,
            ),
            child_inputs.adopt_existing_field("reload task", "name and app"),
        ),
        outputs=(
            Out(name="schedule_id", doc="The task's id (also the resource's id)."),
            Out(name="tenant_id", doc="The tenant's id."),
        ),
        id_output="schedule_id",
        natural_key=("app_id", "name"),
        qlik_enforces_key=False,
        delete_before_replace=False,
        not_found_codes=frozenset(),  # the task spec documents no code: the route is probed
        api=Adapters(
            create=lambda call: call.client.create_reload_task(call.host, _definition(call)),
            get=lambda call, id_: call.client.get_reload_task(call.host, id_),
            find=lambda call: next(
                (
                    t
                    for t in call.client.list_reload_tasks(call.host, app_id=str(call.inputs["app_id"]))
                    if t.name == _name(call.inputs)
                ),
                None,
            ),
            converge=_converge,
            delete=lambda call, id_: call.client.delete_reload_task(call.host, id_),
            outputs=_outputs,
            probe=lambda call: call.client.list_reload_tasks(call.host),
        ),
        label=lambda inputs: (
            f"reload schedule {inputs.get('name') or ''} of app {inputs.get('app_id')}".replace("  ", " ")
        ),
        across=_window,
    )
)


class QlikReloadScheduleProvider(ObjectProvider):
    """`QlikReloadSchedule` through the scheduling tasks API on the tenant's own host."""

    spec = RELOAD_SCHEDULE


class QlikReloadSchedule(Resource, module="qlik", name="ReloadSchedule"):
    """A schedule that reloads an app of a Qlik Cloud tenant."""

    schedule_id: pulumi.Output[str]
    tenant_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: QlikReloadScheduleArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        register_object(
            self, QlikReloadScheduleProvider(), resource_name, args, kwargs, QlikReloadScheduleArgs, opts
        )


__all__ = ["RELOAD_SCHEDULE", "QlikReloadSchedule", "QlikReloadScheduleArgs", "QlikReloadScheduleProvider"]
