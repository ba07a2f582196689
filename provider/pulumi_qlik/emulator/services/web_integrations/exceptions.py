"""Errors of the web-integrations API, with the codes web-integrations.json's examples show."""

from __future__ import annotations

from ... import errors


class WebIntegrationNotFound(errors.QlikError):
    status, code, title = 404, "WEBINTEGRATIONS_NOT_FOUND", "Not found"


class WebIntegrationForbidden(errors.QlikError):
    status, code, title = 403, "WEBINTEGRATIONS_FORBIDDEN", "Forbidden"


class WebIntegrationBadBody(errors.QlikError):
    """A body that is not JSON, or not of the right shape."""

    status, code, title = 400, "BAD_REQUEST", "Bad Request"


class MissingRequiredFields(errors.QlikError):
    """``meta.requiredFields`` names them."""

    status, code, title = 400, "WEBINTEGRATIONS-5", "Missing required fields"


class InvalidPropertyValue(errors.QlikError):
    """``source.pointer`` names the property."""

    status, code, title = 400, "WEBINTEGRATIONS-6", "Invalid property value"


class InvalidPatch(errors.QlikError):
    status, code, title = 400, "WEBINTEGRATIONS-4", "Invalid PATCH request"
