"""Typed state of the apps service: apps, temporary contents and reloads (plain objects, no rules)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from ...world import iso, parse_iso


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _when(value: datetime | None) -> str | None:
    return iso(value) if value is not None else None


def _parse_when(value: str | None) -> datetime | None:
    return parse_iso(value) if value else None


@dataclass
class App:
    """An app on a tenant: NxAttributes' metadata plus its content (objects, script) and loaded data."""

    id: str
    tenant_id: str
    name: str
    owner_id: str
    created: datetime
    modified: datetime
    description: str = ""
    space_id: str | None = None
    """None: the owner's personal space."""
    content: bytes = b""
    data: bytes = b""
    """Loaded data; a successful reload fills it, an export with ``NoData`` leaves it out."""
    origin_app_id: str | None = None
    """For a published app: the app it was (re)published from."""
    publish_time: datetime | None = None
    last_reload: datetime | None = None
    accessible_from: datetime | None = None
    """A freshly published app answers 403 until then (access to it is not immediate on Qlik Cloud)."""
    item_id: str = ""
    """Its entry in the items collection (``/api/v1/items``): a separate id, as on Qlik."""

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "name": self.name,
            "ownerId": self.owner_id,
            "created": iso(self.created),
            "modified": iso(self.modified),
            "description": self.description,
            "spaceId": self.space_id,
            "content": _b64(self.content),
            "data": _b64(self.data),
            "originAppId": self.origin_app_id,
            "publishTime": _when(self.publish_time),
            "lastReload": _when(self.last_reload),
            "accessibleFrom": _when(self.accessible_from),
            "itemId": self.item_id,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> App:
        return cls(
            id=data["id"],
            tenant_id=data["tenantId"],
            name=data["name"],
            owner_id=data["ownerId"],
            created=parse_iso(data["created"]),
            modified=parse_iso(data["modified"]),
            description=data["description"],
            space_id=data["spaceId"],
            content=_unb64(data["content"]),
            data=_unb64(data["data"]),
            origin_app_id=data["originAppId"],
            publish_time=_parse_when(data["publishTime"]),
            last_reload=_parse_when(data["lastReload"]),
            accessible_from=_parse_when(data["accessibleFrom"]),
            item_id=data["itemId"],
        )


@dataclass
class TempContent:
    """A temporary content (``/api/v1/temp-contents``): bytes that expire after their TTL (410 after)."""

    id: str
    tenant_id: str
    name: str
    data: bytes
    creator_id: str
    created: datetime
    expires: datetime

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "name": self.name,
            "data": _b64(self.data),
            "creatorId": self.creator_id,
            "created": iso(self.created),
            "expires": iso(self.expires),
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> TempContent:
        return cls(
            id=data["id"],
            tenant_id=data["tenantId"],
            name=data["name"],
            data=_unb64(data["data"]),
            creator_id=data["creatorId"],
            created=parse_iso(data["created"]),
            expires=parse_iso(data["expires"]),
        )


class ReloadStatus(StrEnum):
    """reloads.json ``Status`` (the emulator's reloads take the first five)."""

    QUEUED = "QUEUED"
    RELOADING = "RELOADING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELED = "CANCELED"


@dataclass
class Reload:
    """A reload of an app; its status follows the clock: queued, then reloading, then its outcome."""

    id: str
    app_id: str
    tenant_id: str
    user_id: str
    created: datetime
    starts: datetime
    ends: datetime
    failure: str | None = None
    """The error line of a reload that will fail (set by the control plane before it started)."""
    settled: bool = False
    """Its outcome was applied to the app (last reload time, data)."""
    partial: bool = False

    def status(self, now: datetime) -> ReloadStatus:
        if now < self.starts:
            return ReloadStatus.QUEUED
        if now < self.ends:
            return ReloadStatus.RELOADING
        return ReloadStatus.FAILED if self.failure is not None else ReloadStatus.SUCCEEDED

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "appId": self.app_id,
            "tenantId": self.tenant_id,
            "userId": self.user_id,
            "created": iso(self.created),
            "starts": iso(self.starts),
            "ends": iso(self.ends),
            "failure": self.failure,
            "settled": self.settled,
            "partial": self.partial,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Reload:
        return cls(
            id=data["id"],
            app_id=data["appId"],
            tenant_id=data["tenantId"],
            user_id=data["userId"],
            created=parse_iso(data["created"]),
            starts=parse_iso(data["starts"]),
            ends=parse_iso(data["ends"]),
            failure=data["failure"],
            settled=data["settled"],
            partial=data["partial"],
        )
