"""When a schedule falls due: RFC 5545 recurrence rules (python-dateutil's ``rrule``) in the task's time zone.

``DTSTART`` is the schedule's ``startDateTime`` (a wall-clock time in ``timezone``, or with a UTC offset) or
else the moment the task was made; the first run is the next occurrence after the task is made ("creating a
task never runs it immediately", qlik-cli's on-time-schedule reference).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

from .exceptions import ScheduleRejected
from .models import Schedule


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleRejected(
            f"CHO-017: timezone {name!r} is not an IANA time zone such as Europe/Zurich",
            pointer="/start/schedule/timezone",
        ) from None


def _moment(text: str, zone: ZoneInfo, pointer: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ScheduleRejected(f"CHO-017: {text!r} is not an ISO 8601 date-time", pointer=pointer) from None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


class Recurrence:
    """A checked schedule: its rule and window, asked for the next occurrence after a moment."""

    def __init__(self, schedule: Schedule, made: datetime, now: datetime) -> None:
        zone = _zone(schedule.timezone)
        self.start = (
            _moment(schedule.start, zone, "/start/schedule/startDateTime")
            if schedule.start
            else made.astimezone(zone)
        )
        self.end = _moment(schedule.end, zone, "/start/schedule/endDateTime") if schedule.end else None
        text = schedule.recurrence.strip()
        if not text.upper().startswith("RRULE:") or "\n" in text or "DTSTART" in text.upper():
            raise ScheduleRejected(
                "CHO-017: recurrence must be one RRULE line such as RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0"
                " (no DTSTART: the start is startDateTime)",
                pointer="/start/schedule/recurrence",
            )
        try:
            rule = rrulestr(text, dtstart=self.start.replace(microsecond=0))
        except (ValueError, TypeError) as exc:
            raise ScheduleRejected(
                f"CHO-017: recurrence is not a valid RRULE: {exc}", pointer="/start/schedule/recurrence"
            ) from None
        if not isinstance(rule, rrule):
            raise ScheduleRejected(
                "CHO-017: recurrence must be one RRULE", pointer="/start/schedule/recurrence"
            )
        self.rule = rule
        if self.end is not None and (self.end <= self.start or self.end <= now):
            raise ScheduleRejected(
                "CHO-017: endDateTime must be after startDateTime and in the future",
                pointer="/start/schedule/endDateTime",
            )

    def after(self, moment: datetime) -> datetime | None:
        """The first occurrence strictly after ``moment`` (UTC), None when the rule or its window has ended."""
        found: datetime | None = self.rule.after(moment.astimezone(self.start.tzinfo), inc=False)
        if found is None or (self.end is not None and found > self.end):
            return None
        return found.astimezone(UTC)
