"""Typed state of the themes and extensions services: an uploaded archive, its ``.qext`` metadata, its files."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...world import iso, parse_iso


@dataclass
class Bundle:
    """A theme or an extension: what its ``.qext`` (or the ``data`` part) says, and the archive's files."""

    id: str
    tenant_id: str
    user_id: str
    name: str
    qext_filename: str
    meta: dict[str, Any]
    """The theme/extension model's descriptive fields (type, version, author, description, ...)."""
    files: dict[str, bytes] = field(repr=False)
    archive: bytes = field(repr=False)
    checksum: str
    created: datetime
    updated: datetime

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "userId": self.user_id,
            "name": self.name,
            "qextFilename": self.qext_filename,
            "meta": self.meta,
            "checksum": self.checksum,
            "archive": base64.b64encode(self.archive).decode("ascii"),
            "created": iso(self.created),
            "updated": iso(self.updated),
        }

    @classmethod
    def from_state(cls, d: dict[str, Any], files_of: Any) -> Bundle:
        archive = base64.b64decode(d["archive"])
        return cls(
            id=d["id"],
            tenant_id=d["tenantId"],
            user_id=d["userId"],
            name=d["name"],
            qext_filename=d["qextFilename"],
            meta=d["meta"],
            files=files_of(archive) if archive else {},
            archive=archive,
            checksum=d["checksum"],
            created=parse_iso(d["created"]),
            updated=parse_iso(d["updated"]),
        )
