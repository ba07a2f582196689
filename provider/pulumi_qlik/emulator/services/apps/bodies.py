"""The request bodies and parameters of the apps API (apps.json): read and checked, 400 naming the field.

Each function checks one part of a request; the rules call them in the order Qlik answers, so a request with
several faults gets the same error as before (a missing app before a bad body, a bad space before bad
attributes).
"""

from __future__ import annotations

from typing import Any

from . import exceptions as errors


def attributes_of(body: Any, *, required: bool = True) -> dict[str, Any]:
    """The ``attributes`` object of a body (``{}`` when absent and not required)."""
    if not isinstance(body, dict):
        raise errors.AppBadRequest('request body must be a JSON object {"attributes": {...}}')
    attributes = body.get("attributes")
    if attributes is None and not required:
        return {}
    if not isinstance(attributes, dict):
        raise errors.AppBadRequest("attributes must be an object", pointer="/attributes")
    return attributes


def text_of(attributes: dict[str, Any], key: str, default: str = "") -> str:
    """A string attribute; ``default`` when absent or null."""
    value = attributes.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise errors.AppBadRequest(f"attributes.{key} must be a string", pointer=f"/attributes/{key}")
    return value


def new_name(attributes: dict[str, Any]) -> str:
    """CreateApp's name: the spec marks nothing required, Qlik's hub refuses a nameless app."""
    name = attributes.get("name")
    if not isinstance(name, str) or not name.strip():
        raise errors.AppBadRequest("attributes.name is required", pointer="/attributes/name")
    return name


def changed_name(attributes: dict[str, Any], current: str) -> str:
    """UpdateApp's name: the current one when absent."""
    name = attributes.get("name", current)
    if not isinstance(name, str) or not name.strip():
        raise errors.AppBadRequest("attributes.name must be a non-empty string", pointer="/attributes/name")
    return name


def check_import_mode(mode: str | None) -> None:
    """Import only makes new apps: ``NEW`` in any case, or no mode."""
    if mode is not None and mode.upper() != "NEW":
        if mode.upper() == "AUTOREPLACE":
            raise errors.AppBadRequest(
                "mode autoreplace is an internal mode, not permitted for external use", parameter="mode"
            )
        raise errors.AppBadRequest("mode must be NEW", parameter="mode")


def publish_space_id(body: Any) -> str:
    """PublishApp's ``spaceId``: the managed space to publish to."""
    if not isinstance(body, dict):
        raise errors.AppBadRequest("request body must be a PublishApp object")
    space_id = body.get("spaceId")
    if not isinstance(space_id, str) or not space_id:
        raise errors.AppBadRequest("spaceId is required: the managed space to publish to", pointer="/spaceId")
    return space_id


def republish_target_id(body: Any) -> str:
    """RepublishApp's ``targetId``: the published app to overwrite."""
    if not isinstance(body, dict):
        raise errors.AppBadRequest("request body must be a RepublishApp object")
    target_id = body.get("targetId")
    if not isinstance(target_id, str) or not target_id:
        raise errors.AppBadRequest(
            "targetId is required: the published app to overwrite", pointer="/targetId"
        )
    return target_id
