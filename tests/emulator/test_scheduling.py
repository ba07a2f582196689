"""Reload tasks of the scheduling tasks API (qliksense-task-api-openapi.yml, ``/api/scheduling/tasks``): an
RFC 5545 recurrence in a time zone falls due on the emulator's clock and reloads the app."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from pulumi_qlik.emulator import EmulatorControl

from .conftest import Qlik, assert_qlik_error
from .tenant_api import TenantApi

PATH = "/api/scheduling/tasks"
NIGHTLY = "RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0;BYSECOND=0"


@pytest.fixture
def api(qlik: Qlik, control: EmulatorControl) -> TenantApi:
    control.apps_settings(reload_queue_seconds=0, reload_run_seconds=30)
    return TenantApi(qlik, control)


def task(app_id: str, recurrence: str = NIGHTLY, **schedule: Any) -> dict[str, Any]:
    return {
        "name": "Nightly reload",
        "specVersion": "0.8",
        "enabled": True,
        "start": {
            "stateName": "reload",
            "schedule": {"recurrence": recurrence, "timezone": "Europe/Zurich", **schedule},
        },
        "states": [
            {
                "name": "reload",
                "type": "EVENT",
                "end": True,
                "onEvents": [
                    {
                        "eventRefs": ["schedule"],
                        "actions": [
                            {
                                "name": "app.reload",
                                "functionRef": {
                                    "refName": "app.reload",
                                    "arguments": {"appId": app_id, "partial": False},
                                },
                            }
                        ],
                    }
                ],
            }
        ],
    }


def _advance(api: TenantApi, seconds: float) -> None:
    """Move the clock, then take a new token (tokens live six hours)."""
    api.control.advance_clock(seconds)
    api.token = api.qlik.token(api.host)


def _now(control: EmulatorControl) -> datetime:
    return datetime.fromisoformat(control.clock().now.replace("Z", "+00:00"))


def test_a_due_recurrence_reloads_the_app_on_the_clock(api: TenantApi, control: EmulatorControl) -> None:
    app = control.seed_app(api.id, "Sales")
    created = api.ok("POST", PATH, 201, json=task(app.id))
    assert created["resourceId"] == app.id
    assert created["enabled"] is True
    assert api.ok("GET", f"{PATH}/{created['id']}") == created
    now = _now(control)
    zone = ZoneInfo("Europe/Zurich")
    due = rrulestr(NIGHTLY, dtstart=now.astimezone(zone)).after(now.astimezone(zone), inc=False)
    assert due is not None
    wait = (due - now).total_seconds()

    _advance(api, wait - 60)  # a minute before 02:00 in Zurich: nothing has run
    assert_qlik_error(api.call("GET", f"{PATH}/{created['id']}/runs/last"), 404)
    assert control.apps(api.id)[0].last_reload_time in (None, "")

    _advance(api, 120)  # past it: the task starts a reload of the app
    run = api.ok("GET", f"{PATH}/{created['id']}/runs/last")
    assert (run["status"], run["triggeredBy"], run["resourceId"]) == ("RUNNING", "time-schedule", app.id)
    assert api.ok("GET", f"/api/v1/reloads/{run['workerId']}")["appId"] == app.id
    _advance(api, 60)
    done = api.ok("GET", f"{PATH}/{created['id']}/runs/last")
    assert done["status"] == "SUCCEEDED"
    assert done["endedAt"]
    assert control.apps(api.id)[0].last_reload_time

    _advance(api, 3 * 86400)  # three nights asleep: one run, as a scheduler that was down
    runs = api.ok("GET", f"{PATH}/{created['id']}/runs")["data"]
    assert len(runs) == 2


def test_disabled_tasks_do_not_run_and_start_runs_now(api: TenantApi, control: EmulatorControl) -> None:
    app = control.seed_app(api.id, "Sales")
    created = api.ok("POST", PATH, 201, json={**task(app.id), "enabled": False})
    _advance(api, 2 * 86400)
    assert api.ok("GET", f"{PATH}/{created['id']}/runs")["data"] == []
    started = api.ok("POST", f"{PATH}/{created['id']}/actions/start")
    assert "message" in started
    assert api.ok("GET", f"{PATH}/{created['id']}/runs/last")["triggeredBy"] == "manual"


def test_put_patch_list_delete(api: TenantApi, control: EmulatorControl) -> None:
    app = control.seed_app(api.id, "Sales")
    created = api.ok("POST", PATH, 201, json=task(app.id))
    tid = created["id"]
    hourly = task(app.id, "RRULE:FREQ=HOURLY;BYMINUTE=30")
    replaced = api.ok("PUT", f"{PATH}/{tid}", json={**hourly, "name": "Hourly"})
    assert replaced["name"] == "Hourly"
    assert replaced["start"]["schedule"]["recurrence"].endswith("BYMINUTE=30")
    patched = api.ok("PATCH", f"{PATH}/{tid}", json=[{"op": "replace", "path": "/enabled", "value": False}])
    assert patched["enabled"] is False
    assert patched["id"] == tid
    assert [t["id"] for t in api.ok("GET", PATH, params={"resourceId": app.id})["data"]] == [tid]
    assert api.ok("GET", PATH, params={"resourceId": "other"})["data"] == []
    assert api.call("DELETE", f"{PATH}/{tid}").status_code == 204
    assert_qlik_error(api.call("GET", f"{PATH}/{tid}"), 404)


def test_bad_tasks_are_400_naming_the_field_and_a_missing_app_403(
    api: TenantApi, control: EmulatorControl
) -> None:
    app = control.seed_app(api.id, "Sales")
    cases: list[tuple[dict[str, Any], str]] = [
        ({**task(app.id), "name": ""}, "/name"),
        ({k: v for k, v in task(app.id).items() if k != "specVersion"}, "/specVersion"),
        (task(app.id, "FREQ=DAILY"), "/start/schedule/recurrence"),
        (task(app.id, "RRULE:FREQ=SOMETIMES"), "/start/schedule/recurrence"),
        (task(app.id, timezone="Mars/Olympus"), "/start/schedule/timezone"),
        (task(app.id, endDateTime="2001-01-01T00:00:00"), "/start/schedule/endDateTime"),
        ({**task(app.id), "states": []}, "/states"),
    ]
    for body, pointer in cases:
        error = assert_qlik_error(api.call("POST", PATH, json=body), 400)
        assert error["code"] == 400
        assert error["source"]["pointer"] == pointer, (pointer, error)
    missing = assert_qlik_error(api.call("POST", PATH, json=task("no-such-app")), 403)
    assert missing["detail"].startswith("CHO-003")
    assert api.ok("GET", PATH)["data"] == []


def test_a_deleted_apps_task_fails_its_run(api: TenantApi, control: EmulatorControl) -> None:
    app = control.seed_app(api.id, "Sales")
    created = api.ok("POST", PATH, 201, json=task(app.id, "RRULE:FREQ=HOURLY;BYMINUTE=0"))
    assert api.call("DELETE", f"/api/v1/apps/{app.id}").status_code == 200
    _advance(api, 3700)
    run = api.ok("GET", f"{PATH}/{created['id']}/runs/last")
    assert run["status"] == "FAILED"
    assert "not found" in run["log"]
