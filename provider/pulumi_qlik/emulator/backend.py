"""The emulated Qlik Cloud, assembled: the world, the registered services, the control plane and the state file.

``QlikBackend`` builds every service listed in ``services/__init__.py`` (moto's backend role) and is what the
app is given; it names no service itself. To add a service, see ``services/__init__.py``.
"""

from __future__ import annotations

import logging
from typing import Any

from .control.operations import Control
from .domain import Services
from .persistence import StateFile
from .schemas import WorldInfo
from .services import SERVICES
from .settings import EmulatorConfig
from .world import Clock, World

log = logging.getLogger("pulumi_qlik.emulator")


class QlikBackend:
    """The world and one domain object per registered service (``backend.tenants``, ``backend.users``, ...)."""

    def __init__(self, config: EmulatorConfig | None = None, clock: Clock | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.world = World(self.config, clock)
        self.clock = self.world.clock
        self.services = Services(self.world, SERVICES)
        self.control = Control(self.world, self.services)
        self._state = StateFile(self.config.state_file, [self.world, *self.services.state_parts()])
        if self._state.read():
            log.info("loaded the world saved in %s", self.config.state_file)
        else:
            self.control.seed_world()
            self._state.seeded = self._state.snapshot()
            self._state.seeded["clockOffset"] = 0.0
            self._state.save()
        self.world.on_change(self._state.save)

    def __getattr__(self, name: str) -> Any:
        """A service's domain object by its registered name, e.g. ``backend.tenants`` (white-box tests)."""
        services: Services | None = self.__dict__.get("services")
        if services is None or name not in services:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return services.named(name)

    def __repr__(self) -> str:
        return f"QlikBackend(regions={sorted(self.world.regions)}, services={self.services.names()})"

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
            for domain in self.services:
                domain.forget_sessions()
            self.clock.offset_seconds = 0.0
            self._state.save()

    def world_info(self, url: str | None = None) -> WorldInfo:
        """The seeded regions, clients (with secrets) and source tenants."""
        return self.control.world_info(url)
