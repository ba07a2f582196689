"""Errors of the themes and extensions APIs: one flat ``error`` object (``code``, ``title``, ``status`` a
number), with the statuses their specs declare. The specs name no codes: ``HTTP-<status>`` is ours."""

from __future__ import annotations

from ...api_errors import QlikError


class BundleForbidden(QlikError):
    status, code, title = 403, "HTTP-403", "Forbidden"


class BundleNotFound(QlikError):
    status, code, title = 404, "HTTP-404", "Not found"


class BundleGone(QlikError):
    """The id of a deleted theme or extension ("Gone. ... has been deleted": the specs' soft delete)."""

    status, code, title = 410, "HTTP-410", "Gone"


class BundleConflict(QlikError):
    status, code, title = 409, "HTTP-409", "Conflict"


class UnsupportedMedia(QlikError):
    status, code, title = 415, "HTTP-415", "Unsupported media type"


class BundleInvalid(QlikError):
    """422: an archive without one ``.qext`` file, a ``.qext`` that is not JSON, a missing name."""

    status, code, title = 422, "HTTP-422", "Unprocessable entity"
