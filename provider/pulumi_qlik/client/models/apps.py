"""Models of Qlik's content APIs used to deploy apps: Apps, Items, Reloads (apps, items, reloads specs).

``NxAttributes`` is read leniently: Qlik adds user-defined attributes, and ``publishTime`` is an empty string
for an app that is not published (apps spec), read here as None.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from ._common import PageLinks, RequestModel, ResponseModel

ReloadStatus = Literal[
    "QUEUED", "RELOADING", "CANCELING", "SUCCEEDED", "FAILED", "CANCELED", "EXCEEDED_LIMIT"
]
RELOAD_END_STATUSES: frozenset[str] = frozenset({"SUCCEEDED", "FAILED", "CANCELED", "EXCEEDED_LIMIT"})
"""reloads spec ``Status``: the end statuses (the others are active)."""


class AppAttributes(ResponseModel):
    """``NxAttributes``: an app's metadata."""

    id: str
    name: str = ""
    description: str = ""
    space_id: str | None = None
    """None: the owner's personal space."""
    owner_id: str | None = None
    origin_app_id: str | None = None
    """For a published app: the app it was published from."""
    publish_time: str | None = None
    created_date: str | None = None
    modified_date: str | None = None
    last_reload_time: str | None = None

    @field_validator("publish_time", "space_id", "origin_app_id", "last_reload_time", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @property
    def is_published(self) -> bool:
        """Published in Qlik Cloud: a non-empty ``publishTime`` (the apps spec's advice, not ``published``)."""
        return self.publish_time is not None


class App(ResponseModel):
    """``NxApp``: an app's attributes and the caller's privileges on it."""

    attributes: AppAttributes
    privileges: list[str] = Field(default_factory=list)


class AppCreateAttributes(RequestModel):
    """``AppAttributes`` of ``CreateApp``."""

    name: str
    description: str | None = None
    space_id: str | None = None


class CreateAppRequest(RequestModel):
    """``POST /api/v1/apps`` (``CreateApp``)."""

    attributes: AppCreateAttributes


class AppUpdateAttributes(RequestModel):
    """``AppUpdateAttributes``: name and description."""

    name: str | None = None
    description: str | None = None


class UpdateAppRequest(RequestModel):
    """``PUT /api/v1/apps/{id}`` (``UpdateApp``)."""

    attributes: AppUpdateAttributes


class PublishAppRequest(RequestModel):
    """``POST /api/v1/apps/{id}/publish`` (``PublishApp``)."""

    space_id: str
    attributes: AppUpdateAttributes | None = None


class RepublishAppRequest(RequestModel):
    """``PUT /api/v1/apps/{id}/publish`` (``RepublishApp``)."""

    target_id: str
    attributes: AppUpdateAttributes | None = None
    check_origin_app_id: bool = True
    """Qlik checks that the target was published from this app; off to republish from a newer copy."""


class Item(ResponseModel):
    """An entry of ``GET /api/v1/items`` (``itemResultResponseBody``); its own id, the resource's id apart."""

    id: str
    name: str = ""
    resource_type: str
    resource_id: str | None = None
    space_id: str | None = None
    resource_attributes: dict[str, Any] = Field(default_factory=dict)

    @property
    def origin_app_id(self) -> str | None:
        value = self.resource_attributes.get("originAppId")
        return value if isinstance(value, str) and value else None

    @property
    def publish_time(self) -> str | None:
        value = self.resource_attributes.get("publishTime")
        return value if isinstance(value, str) and value else None


class ItemList(ResponseModel):
    """A page of items (``ListItemsResponseBody``)."""

    data: list[Item] = Field(default_factory=list)
    links: PageLinks | None = None


class ReloadRequest(RequestModel):
    """``POST /api/v1/reloads`` (``ReloadRequest``)."""

    app_id: str
    partial: bool = False


class Reload(ResponseModel):
    """A reload (reloads spec ``Reload``)."""

    id: str
    app_id: str
    status: str
    log: str = ""
    error_code: str | None = None
    error_message: str | None = None
    creation_time: str | None = None
    start_time: str | None = None
    end_time: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in RELOAD_END_STATUSES

    def log_line(self) -> str:
        """The line that says what happened: the error message, else the last line of the log."""
        if self.error_message:
            return self.error_message
        lines = [line for line in self.log.splitlines() if line.strip()]
        return lines[-1] if lines else ""
