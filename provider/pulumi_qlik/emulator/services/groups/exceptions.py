"""Errors of the groups API (groups.json ``Errors``: numeric ``status``; ``GROUPS-7`` is Qlik's not-found code)."""

from __future__ import annotations

from ...api_errors import QlikError


class GroupNotFound(QlikError):
    """No such group on this tenant (404 GROUPS-7, the code in groups.json's ``Errors`` example)."""

    status, code, title = 404, "GROUPS-7", "Not found"


class GroupBadRequest(QlikError):
    """An invalid body, JSON Patch, role, filter or paging parameter (400 HTTP-400; the code is ours)."""

    status, code, title = 400, "HTTP-400", "Bad Request"


class GroupNameConflict(QlikError):
    """A group of that exact name exists (409: "Name conflict when attempting to create a new group")."""

    status, code, title = 409, "HTTP-409", "Conflict"
