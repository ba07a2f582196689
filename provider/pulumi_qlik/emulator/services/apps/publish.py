"""Republish (apps.json RepublishApp): which published app an app may overwrite, and what it copies over it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import bodies
from . import exceptions as errors
from .models import App


def republish_onto(target: App, source: App, body: dict[str, Any], now: datetime) -> None:
    """Overwrite the published ``target`` in place from ``source``: content, name and description (or the
    body's ``attributes``), and the data unless ``data`` is ``"target"``. With ``checkOriginAppId`` (default
    true) the target must have been published from the source; afterwards its origin is the source."""
    if target.publish_time is None:
        raise errors.AppBadRequest(f"app {target.id} is not a published app", pointer="/targetId")
    check_origin = body.get("checkOriginAppId", True)
    if check_origin is not False and target.origin_app_id != source.id:
        raise errors.AppBadRequest(
            f"app {target.id} was published from app {target.origin_app_id}, not {source.id}: set"
            " checkOriginAppId to false to republish it from another app",
            pointer="/checkOriginAppId",
        )
    attributes = bodies.attributes_of(body, required=False)
    target.name = bodies.text_of(attributes, "name", source.name) or source.name
    target.description = bodies.text_of(attributes, "description", source.description)
    target.content = source.content
    if body.get("data") != "target":
        target.data = source.data
        target.last_reload = source.last_reload
    target.origin_app_id = source.id
    target.publish_time = now
    target.modified = now
