"""Errors of the web-integrations API, with the codes web-integrations.json's examples show."""

from __future__ import annotations

from ...api_errors import QlikError


class WebIntegrationNotFound(QlikError):
    status, code, title = 404, "WEBINTEGRATIONS_NOT_FOUND", "Not found"


class WebIntegrationForbidden(QlikError):
    status, code, title = 403, "WEBINTEGRATIONS_FORBIDDEN", "Forbidden"


class WebIntegrationBadBody(QlikError):
    """A body that is not JSON, or not of the right shape."""

    status, code, title = 400, "BAD_REQUEST", "Bad Request"


class MissingRequiredFields(QlikError):
    """``meta.requiredFields`` names them."""

    status, code, title = 400, "WEBINTEGRATIONS-5", "Missing required fields"


class InvalidPropertyValue(QlikError):
    """``source.pointer`` names the property."""

    status, code, title = 400, "WEBINTEGRATIONS-6", "Invalid property value"


class InvalidPatch(QlikError):
    status, code, title = 400, "WEBINTEGRATIONS-4", "Invalid PATCH request"
