"""The emulated Qlik Cloud, assembled: the world, one object per domain, and the state file.

``QlikBackend`` wires the domains together (moto's backend role) and is what the HTTP layer is given. To
add a domain: write ``domains/<name>.py`` (a :class:`~.world.Domain` with ``to_state``/``load_state`` if it
keeps state), create it here, add it to the state parts, and give it routes in ``http/<name>.py``.
"""

from __future__ import annotations

import logging

from .config import EmulatorConfig
from .domains.control import Control
from .domains.identity import Identity
from .domains.licenses import Licenses
from .domains.organization import Organization
from .domains.tenants import Tenants
from .domains.users import Users
from .persistence import StateFile
from .schemas import WorldInfo
from .services.apps import Apps, AppsSettings
from .world import Clock, World

log = logging.getLogger("pulumi_qlik.emulator")


class QlikBackend:
    """Regions, OAuth clients, licenses, tenants, users, tokens and rate limits, one domain each."""

    def __init__(self, config: EmulatorConfig | None = None, clock: Clock | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.world = World(self.config, clock)
        self.clock = self.world.clock
        self.licenses = Licenses(self.world)
        self.users = Users(self.world)
        self.tenants = Tenants(self.world, self.licenses)
        self.tenants.on_purge(self.users.forget_tenant)
        self.apps = Apps(self.world, self.users)
        self.tenants.on_purge(self.apps.forget_tenant)
        self.identity = Identity(self.world, self.tenants, self.users)
        self.organization = Organization(self.world, self.tenants, self.licenses)
        self.control = Control(self.world, self.identity, self.licenses, self.tenants, self.users)
        self._state = StateFile(
            self.config.state_file,
            [self.world, self.identity, self.licenses, self.tenants, self.users, self.apps],
        )
        if self._state.read():
            log.info("loaded %d tenants from %s", len(self.tenants.all()), self.config.state_file)
        else:
            self.control.seed_world()
            self._state.seeded = self._state.snapshot()
            self._state.seeded["clockOffset"] = 0.0
            self._state.save()
        self.world.on_change(self._state.save)

    def __repr__(self) -> str:
        return f"QlikBackend(regions={sorted(self.world.regions)}, tenants={len(self.tenants.all())})"

    @property
    def recorded_secrets(self) -> list[str]:
        """Tokens and license keys handed out, when ``config.record_secrets`` is on (for leak tests)."""
        return self.world.recorded_secrets

    def save(self) -> None:
        with self.world.transaction():
            self._state.save()

    def reset(self) -> None:
        """Back to the world as seeded at first start: created tenants, users, tokens, clock offset go."""
        with self.world.transaction():
            self._state.restore(self._state.seeded)
            self.identity.forget_sessions()
            self.apps.settings = AppsSettings()
            self.clock.offset_seconds = 0.0
            self._state.save()

    def world_info(self, url: str | None = None) -> WorldInfo:
        """The seeded regions, clients (with secrets) and source tenants."""
        return self.control.world_info(url)
