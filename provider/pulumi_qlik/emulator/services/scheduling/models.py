"""Typed state of the scheduling service: reload tasks on an RFC 5545 recurrence, and their runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...world import iso, parse_iso


@dataclass
class Schedule:
    """``start.schedule``: the recurrence, its time zone and optional window (strings as the caller sent them)."""

    recurrence: str
    timezone: str = "UTC"
    start: str = ""
    end: str = ""

    def to_json(self) -> dict[str, str]:
        body = {"recurrence": self.recurrence, "timezone": self.timezone}
        if self.start:
            body["startDateTime"] = self.start
        if self.end:
            body["endDateTime"] = self.end
        return body


@dataclass
class Task:
    """A time-scheduled reload task: its definition (``states`` kept as sent) and where its clock stands."""

    id: str
    tenant_id: str
    owner_id: str
    name: str
    spec_version: str
    app_id: str
    partial: bool
    schedule: Schedule
    states: list[Any]
    created: datetime
    updated: datetime
    enabled: bool = False
    description: str = ""
    state_name: str = ""
    next_run: datetime | None = None

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "ownerId": self.owner_id,
            "name": self.name,
            "specVersion": self.spec_version,
            "appId": self.app_id,
            "partial": self.partial,
            "schedule": self.schedule.to_json(),
            "states": self.states,
            "created": iso(self.created),
            "updated": iso(self.updated),
            "enabled": self.enabled,
            "description": self.description,
            "stateName": self.state_name,
            "nextRun": iso(self.next_run) if self.next_run else None,
        }

    @classmethod
    def from_state(cls, d: dict[str, Any]) -> Task:
        s = d["schedule"]
        return cls(
            id=d["id"],
            tenant_id=d["tenantId"],
            owner_id=d["ownerId"],
            name=d["name"],
            spec_version=d["specVersion"],
            app_id=d["appId"],
            partial=d["partial"],
            schedule=Schedule(
                s["recurrence"], s["timezone"], s.get("startDateTime", ""), s.get("endDateTime", "")
            ),
            states=d["states"],
            created=parse_iso(d["created"]),
            updated=parse_iso(d["updated"]),
            enabled=d["enabled"],
            description=d["description"],
            state_name=d["stateName"],
            next_run=parse_iso(d["nextRun"]) if d["nextRun"] else None,
        )


@dataclass
class Run:
    """One run of a task: the reload it started (None when the reload could not start: ``failure`` says why)."""

    id: str
    task_id: str
    tenant_id: str
    started: datetime
    triggered_by: str
    reload_id: str | None = None
    failure: str = ""

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "taskId": self.task_id,
            "tenantId": self.tenant_id,
            "started": iso(self.started),
            "triggeredBy": self.triggered_by,
            "reloadId": self.reload_id,
            "failure": self.failure,
        }

    @classmethod
    def from_state(cls, d: dict[str, Any]) -> Run:
        return cls(
            d["id"],
            d["taskId"],
            d["tenantId"],
            parse_iso(d["started"]),
            d["triggeredBy"],
            d["reloadId"],
            d["failure"],
        )
