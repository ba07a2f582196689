"""Errors of the spaces API (spaces.json ``Errors``); Qlik documents statuses, not codes: ours are
``HTTP-<status>``."""

from __future__ import annotations

from ...api_errors import QlikError


class SpaceNotFound(QlikError):
    """404 "Space not found or access denied" (also for a space the caller may not see)."""

    status, code, title = 404, "HTTP-404", "Not Found"


class AssignmentNotFound(QlikError):
    """404 "... or assignment not found"."""

    status, code, title = 404, "HTTP-404", "Not Found"


class SpaceBadRequest(QlikError):
    """An invalid body or query (400)."""

    status, code, title = 400, "HTTP-400", "Bad Request"


class SpaceForbidden(QlikError):
    """403 "Space create / update / delete operation denied", "Assignment ... operation denied"."""

    status, code, title = 403, "HTTP-403", "Forbidden"


class SpaceConflict(QlikError):
    """409 "Space already exists. `name` must be unique." / "Assignment already exists."."""

    status, code, title = 409, "HTTP-409", "Conflict"


class SpaceNotEmpty(QlikError):
    """412 "Space delete precondition (space not empty) failed."; ``meta.content`` lists what is in it."""

    status, code, title = 412, "HTTP-412", "Precondition Failed"
