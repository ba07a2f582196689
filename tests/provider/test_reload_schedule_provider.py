"""`QlikReloadSchedule` in-process against the emulator: its checks name the field and the fix, an app id not known
yet while its deployment updates is planned in place, and the schedule runs on the emulator's clock: the night
falls, the app is reloaded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from pulumi_qlik.client import QlikClient
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.engine.props import UNKNOWN_SENTINEL
from pulumi_qlik.resources.reload_schedule import QlikReloadScheduleProvider

from .children import HOST, configured, create, new_tenant, update

pytestmark = pytest.mark.provider

NIGHTLY = "RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0"


@pytest.fixture
def provider(emulator: EmulatorServer) -> Iterator[QlikReloadScheduleProvider]:
    with configured(QlikReloadScheduleProvider, emulator) as provider:
        yield provider


def _inputs(**overrides: Any) -> dict[str, Any]:
    return {
        "tenant_hostname": HOST,
        "app_id": "app-1",
        "recurrence": NIGHTLY,
        "time_zone": "UTC",
        **overrides,
    }


def test_check__bad_inputs_each_name_the_field_and_the_fix(provider: QlikReloadScheduleProvider) -> None:
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("recurrence", {"recurrence": "FREQ=DAILY"}, "RRULE line"),
        ("recurrence", {"recurrence": "RRULE:FREQ=SOMETIMES"}, "FREQ= one of"),
        ("recurrence", {"recurrence": "RRULE:DTSTART=20270101T000000;FREQ=DAILY"}, "start_time"),
        ("time_zone", {"time_zone": "Mars/Olympus"}, "IANA time zone"),
        ("start_time", {"start_time": "tomorrow"}, "YYYY-MM-DDTHH:MM:SS"),
        ("end_time", {"end_time": "2027-01-01T00:00:00+01:00"}, "wall-clock"),
        ("end_time", {"start_time": "2027-06-01T00:00:00", "end_time": "2027-01-01T00:00:00"}, "not after"),
        ("app_id", {"app_id": "  "}, "app_id"),
        ("tenant_hostname", {"tenant_hostname": "db.example.com"}, "tenant_hostname"),
        ("partial", {"partial": "sometimes"}, "partial"),
    ]
    for field, override, fix in cases:
        failures = provider.check({}, _inputs(**override)).failures
        assert [f.property for f in failures] == [field], (field, failures)
        assert failures[0].reason.startswith(f"{field}: "), failures[0].reason
        assert fix in failures[0].reason, failures[0].reason


def test_diff__an_app_id_pending_while_its_deployment_updates_is_in_place_a_new_one_replaces(
    provider: QlikReloadScheduleProvider,
) -> None:
    state = provider.check({}, _inputs()).inputs
    pending = provider.diff("t1", state, {**state, "app_id": UNKNOWN_SENTINEL})
    assert (pending.changes, pending.replaces) == (True, [])
    other = provider.diff("t1", state, {**state, "app_id": "app-2"})
    assert other.replaces == ["app_id"]
    in_place = provider.diff("t1", state, {**state, "recurrence": "RRULE:FREQ=HOURLY"})
    assert (in_place.changes, in_place.replaces) == (True, [])


def _now(control: EmulatorControl) -> datetime:
    return datetime.fromisoformat(control.clock().now.replace("Z", "+00:00"))


def test_the_schedule_runs_on_the_emulators_clock_and_reloads_the_app(
    provider: QlikReloadScheduleProvider, emulator: EmulatorServer, control: EmulatorControl
) -> None:
    with new_tenant(emulator) as (qlik, host, tenant_id):
        app = control.seed_app(tenant_id, "Sales")
        inputs = _inputs(tenant_hostname=host, app_id=app.id, time_zone="Europe/Zurich")
        state = create(provider, inputs)
        task = qlik.get_reload_task(host, state["id"])
        assert task.app_id == app.id
        hourly = update(provider, state, {**inputs, "recurrence": "RRULE:FREQ=HOURLY;BYMINUTE=30"})
        assert hourly["recurrence"].endswith("BYMINUTE=30")
        state = update(provider, hourly, inputs)
        assert _last_reload(control, tenant_id, app.id) in (None, "")

        zone = ZoneInfo("Europe/Zurich")
        now = _now(control).astimezone(zone)
        due = rrulestr(NIGHTLY, dtstart=now.replace(second=0, microsecond=0)).after(now, inc=False)
        assert due is not None
        control.advance_clock((due - now).total_seconds() - 60)
        assert _last_reload(control, tenant_id, app.id) in (None, ""), "a minute before 02:00: nothing ran"
        control.apps_settings(reload_queue_seconds=0, reload_run_seconds=30)
        control.advance_clock(120)  # the task starts the reload at 02:00 ...
        control.advance_clock(60)  # ... which ends 30 s later
        assert _last_reload(control, tenant_id, app.id), "the night fell: the schedule reloaded the app"
        _delete(provider, qlik, host, state)


def _last_reload(control: EmulatorControl, tenant_id: str, app_id: str) -> str | None:
    [app] = [a for a in control.apps(tenant_id) if a.id == app_id]
    return app.last_reload_time


def _delete(provider: QlikReloadScheduleProvider, qlik: QlikClient, host: str, state: dict[str, Any]) -> None:
    provider.delete(state["id"], state)
    assert qlik.list_reload_tasks(host) == []
