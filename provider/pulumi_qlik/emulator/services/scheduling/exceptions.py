"""Errors of the scheduling tasks API. Codes from qlik.dev's qlik-cli reference of ``scheduling task resource
reload on-time-schedule`` (CHO-001 bad body, CHO-017 schedule rejected, CHO-003 app not accessible); the
spec's ``ErrorResponse`` holds ``HttpResult`` items whose ``code`` is an integer (the HTTP status), so the
CHO code opens the ``detail``."""

from __future__ import annotations

from ...api_errors import QlikError


class TaskBadRequest(QlikError):
    status, code, title = 400, "CHO-001", "Bad Request"


class ScheduleRejected(QlikError):
    status, code, title = 400, "CHO-017", "Bad Request"


class AppNotAccessible(QlikError):
    status, code, title = 403, "CHO-003", "Forbidden"


class TaskNotFound(QlikError):
    status, code, title = 404, "HTTP-404", "Not Found"
