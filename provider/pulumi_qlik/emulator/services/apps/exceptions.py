"""Errors of the apps service, one class per status and meaning.

The apps, items and temp-contents specs name statuses but no codes: those below are ``HTTP-<status>`` as in
the rest of the emulator; the reloads spec's ``RELOADS-003`` keeps its documented meaning (see docs/emulator.md,
"Apps, items, reloads").
"""

from __future__ import annotations

from ... import api_errors as errors


class AppBadRequest(errors.QlikError):
    """A malformed apps request (400)."""

    status, code, title = 400, "HTTP-400", "Bad Request"


class AppNotFound(errors.QlikError):
    """No app with this id on the tenant (404)."""

    status, code, title = 404, "HTTP-404", "Not Found"


class AppForbidden(errors.QlikError):
    """The action is not allowed on this app, e.g. exporting an app in a managed space (403)."""

    status, code, title = 403, "HTTP-403", "Forbidden"


class AppConflict(errors.QlikError):
    """The app is already published to that space: republish instead (409)."""

    status, code, title = 409, "HTTP-409", "Conflict"


class ExportTooLarge(errors.QlikError):
    """The app is bigger than the export limit (413)."""

    status, code, title = 413, "HTTP-413", "Payload Too Large"


class TempContentNotFound(errors.QlikError):
    """No temporary content with this id (404)."""

    status, code, title = 404, "HTTP-404", "Not Found"


class TempContentGone(errors.QlikError):
    """The temporary content expired (410, as temp-contents.json says)."""

    status, code, title = 410, "HTTP-410", "Gone"


class ItemsBadRequest(errors.QlikError):
    """A bad items query (400)."""

    status, code, title = 400, "HTTP-400", "Bad Request"


class ReloadBadRequest(errors.QlikError):
    """A malformed reload request, malformed JSON included (400; RELOADS-001 is the Error example's code)."""

    status, code, title = 400, "RELOADS-001", "Bad Request"


class ReloadForbidden(errors.QlikError):
    """The caller may not reload this app (403 RELOADS-003, reloads.json)."""

    status, code, title = 403, "RELOADS-003", "Forbidden"


class ReloadNotFound(errors.QlikError):
    """No reload with this id (404); reloads.json: codes are "in form of 'RELOADS-xxx'. ranges from
    'RELOADS-001' to 'RELOADS-013'" and it publishes no number for this one: RELOADS-002 is ours."""

    status, code, title = 404, "RELOADS-002", "Not Found"


class ReloadPending(errors.QlikError):
    """A reload of this app is already queued or running (429, reloads.json)."""

    status, code, title = 429, "RELOADS-004", "Too Many Requests"
    """The number is ours, in reloads.json's range (only RELOADS-003 and RELOADS-013 have published meanings)."""
