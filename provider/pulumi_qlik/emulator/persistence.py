"""The state file: one JSON document, written atomically after every change, read at start.

Format (``version`` 1): ``{"version": 1, "seeded": STATE, "state": STATE}`` where ``seeded`` is the world as
first seeded (what ``reset`` returns to) and ``STATE`` is the union of every part's keys: ``signingKey``,
``regions``, ``clients``, ``licenses``, ``tenants``, ``users``, ``tokens``, ``regionClients``,
``regionLicenses``, ``regionSources``, ``orgClient``, ``clockOffset``, and the keys the tenant-configuration
services added (``groups``, ``groupSettings``, ``licenseSettings``, ``identityProviders``, ``spaces``,
``spaceAssignments``, ``webIntegrations``, ``cspOrigins``, ``jwtLogin``), which older files lack and which
load as empty.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .world import StatePart

STATE_VERSION = 1


class StateFile:
    """Collects the state parts (the world and the services that keep state) into one document, and loads it
    back into them."""

    def __init__(self, path: Path | None, parts: Sequence[StatePart]) -> None:
        self.path = path
        self._parts = parts
        self.seeded: dict[str, Any] = {}

    def snapshot(self) -> dict[str, Any]:
        state: dict[str, Any] = {}
        for part in self._parts:
            state.update(part.to_state())
        return state

    def restore(self, state: dict[str, Any]) -> None:
        for part in self._parts:
            part.load_state(state)

    def read(self) -> bool:
        """Load the saved world into the parts; False when there is no state file to load."""
        if self.path is None or not self.path.exists():
            return False
        saved = json.loads(self.path.read_text(encoding="utf-8"))
        if saved.get("version") != STATE_VERSION:
            raise ValueError(f"{self.path}: unsupported state version {saved.get('version')!r}")
        self.seeded = saved["seeded"]
        self.restore(saved["state"])
        return True

    def save(self) -> None:
        """Write the state file atomically (temp file, fsync, rename); no-op without a state file."""
        path = self.path
        if path is None:
            return
        payload = {"version": STATE_VERSION, "seeded": self.seeded, "state": self.snapshot()}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)  # the file holds client secrets: mkstemp made it 0600
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
