"""Temporary contents (temp-contents.json): the files export writes and upload stores, read by download and
import until they expire."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ...world import World, iso
from . import exceptions as errors
from .models import TempContent

TEMP_TTL_DEFAULT = 3600
TEMP_TTL_MAX = 259200
"""temp-contents.json: one hour by default, three days at most."""


class TempContents:
    """Every tenant's temporary contents; the apps service owns it and runs it inside its transactions."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._contents: dict[str, TempContent] = {}

    def to_state(self) -> list[dict[str, Any]]:
        return [t.to_state() for t in self._contents.values()]

    def load_state(self, rows: list[dict[str, Any]]) -> None:
        self._contents = {t.id: t for t in map(TempContent.from_state, rows)}

    def forget_tenant(self, tenant_id: str) -> None:
        self._contents = {k: t for k, t in self._contents.items() if t.tenant_id != tenant_id}

    def store(
        self, tenant_id: str, creator_id: str, name: str, data: bytes, ttl: int = TEMP_TTL_DEFAULT
    ) -> TempContent:
        now = self._world.clock.now()
        temp = TempContent(
            id=self._world.ids.hex(24),
            tenant_id=tenant_id,
            name=name,
            data=data,
            creator_id=creator_id,
            created=now,
            expires=now + timedelta(seconds=ttl),
        )
        self._contents[temp.id] = temp
        return temp

    def upload(
        self, tenant_id: str, creator_id: str, filename: str | None, ttl_text: str | None, data: bytes
    ) -> TempContent:
        """``POST /api/v1/temp-contents``: 400 when the filename or TTL is not properly set."""
        if filename is not None and not filename.strip():
            raise errors.AppBadRequest("filename must not be empty", parameter="filename")
        ttl = TEMP_TTL_DEFAULT
        if ttl_text is not None:
            if not ttl_text.isdigit() or not 1 <= int(ttl_text) <= TEMP_TTL_MAX:
                raise errors.AppBadRequest(
                    f"ttl must be an integer from 1 to {TEMP_TTL_MAX}", parameter="ttl"
                )
            ttl = int(ttl_text)
        return self.store(tenant_id, creator_id, filename or "upload", data, ttl)

    def get(self, tenant_id: str, temp_id: str) -> TempContent:
        """A tenant's temporary content: 404 when it has none of that id, 410 once it expired."""
        temp = self._contents.get(temp_id)
        if temp is None or temp.tenant_id != tenant_id:
            raise errors.TempContentNotFound(f"temporary content {temp_id} not found")
        if self._world.clock.now() >= temp.expires:
            raise errors.TempContentGone(f"temporary content {temp_id} expired at {iso(temp.expires)}")
        return temp
