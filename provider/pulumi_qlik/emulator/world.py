"""What every service shares: the config, the clock, id generation, the regions, one lock, and change hooks.

Each service (``services/<name>/``) owns its own state and rules and sees the others only through their public
methods; the world is the ground they stand on. A service method that reads or changes state runs inside
:meth:`World.transaction` (the :func:`~.domain.locked` decorator), which first runs the housekeeping every
service registered (the lazy purge of tenants past their purge date); after a change it calls
:meth:`World.changed`, which persists the state when a state file is configured.
"""

from __future__ import annotations

import base64
import math
import random
import secrets
import string
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from pulumi_qlik.regions import Region, resolve_region

from .settings import EmulatorConfig


def iso(moment: datetime) -> str:
    """Qlik's timestamp format: ISO 8601, UTC, milliseconds, ``Z``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


class Clock:
    """Wall-clock time plus an offset that tests advance; every time rule in the services reads it."""

    def __init__(self, offset_seconds: float = 0.0) -> None:
        self.offset_seconds = offset_seconds

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset_seconds)

    def advance(self, seconds: float) -> None:
        if seconds < 0 or not math.isfinite(seconds):
            raise ValueError("the clock only moves forward")
        self.offset_seconds += seconds


class IdGenerator:
    """Random ids and secrets: cryptographically random by default, reproducible when given a seed."""

    def __init__(self, seed: str | None = None) -> None:
        self._rng: random.Random = random.Random(seed) if seed is not None else secrets.SystemRandom()

    def _pick(self, alphabet: str, length: int) -> str:
        return "".join(self._rng.choice(alphabet) for _ in range(length))

    def hex(self, length: int) -> str:
        return self._pick("0123456789abcdef", length)

    def name(self) -> str:
        """A tenant name like Qlik's: 15 lowercase alphanumerics."""
        return self._pick(string.ascii_lowercase + string.digits, 15)

    def tenant_id(self) -> str:
        """32 URL-safe characters, like ``TZXk9rFMoKgp7sgAwvczdAlKSSWuaa3e``."""
        return self._pick(string.ascii_letters + string.digits + "-_", 32)

    def secret(self) -> str:
        return self._pick(string.ascii_letters + string.digits, 64)

    def digits(self, length: int) -> str:
        return self._pick(string.digits, length)

    def key(self) -> bytes:
        return bytes(self._rng.getrandbits(8) for _ in range(32))


def b64(data: bytes) -> str:
    """Unpadded base64url, as in JWTs and the state file's signing key."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@runtime_checkable
class StatePart(Protocol):
    """A share of the state file: a few top-level keys of ``state`` (see persistence.py).

    The world is one; a service's domain object is one when it defines both methods.
    """

    def to_state(self) -> dict[str, Any]: ...

    def load_state(self, data: dict[str, Any]) -> None: ...


class World:
    """Config, clock, ids, regions and the lock the services share; its state part is regions + clock offset."""

    def __init__(self, config: EmulatorConfig, clock: Clock | None = None) -> None:
        self.config = config
        self.clock = clock or Clock()
        self.ids = IdGenerator(config.seed)
        self.regions: dict[str, Region] = {}
        self.recorded_secrets: list[str] = []
        """Tokens and license keys handed out, when ``config.record_secrets`` is on (for leak tests)."""
        self._lock = threading.RLock()
        self._depth = 0
        self._housekeeping: list[Callable[[], bool]] = []
        self._on_change: Callable[[], None] = lambda: None

    def __repr__(self) -> str:
        return f"World(regions={sorted(self.regions)})"

    # --- locking, housekeeping, persistence hook ---------------------------------------------------------

    def add_housekeeping(self, task: Callable[[], bool]) -> None:
        """Run ``task`` at the start of every transaction; it returns whether it changed anything."""
        self._housekeeping.append(task)

    def on_change(self, save: Callable[[], None]) -> None:
        self._on_change = save

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            self._depth += 1
            try:
                if self._depth == 1 and any([task() for task in self._housekeeping]):
                    self._on_change()
                yield
            finally:
                self._depth -= 1

    def changed(self) -> None:
        """A service changed persisted state: save it (no-op without a state file)."""
        self._on_change()

    def record(self, secret: str) -> None:
        if self.config.record_secrets and secret not in self.recorded_secrets:
            self.recorded_secrets.append(secret)

    # --- regions -----------------------------------------------------------------------------------------

    def region(self, code: str) -> Region:
        return self.regions[code]

    def add_region(self, region: Region) -> None:
        self.regions[region.code] = region

    def to_state(self) -> dict[str, Any]:
        return {
            "regions": {code: {"datacenter": r.datacenter} for code, r in self.regions.items()},
            "clockOffset": self.clock.offset_seconds,
        }

    def load_state(self, data: dict[str, Any]) -> None:
        self.regions = {code: resolve_region(code, r["datacenter"]) for code, r in data["regions"].items()}
        self.clock.offset_seconds = float(data["clockOffset"])
