"""What the providers of `QlikTenant` and `QlikUser` share in their dealings with the engine.

- Unknowns: the engine spells a value it does not know yet two ways (`pulumi.output.Unknown`, or a sentinel
  string from older SDKs); inside the package it is `spec.UNKNOWN`, and `check` hands it back as `Unknown()`.
- Secret inputs: the resource sends the *names* of its secret inputs along; while a provider works on that
  resource, their values are hidden from its log and errors (`redaction`).
- The provider process: settings from the stack config, one Qlik client per region, logging.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, TypeVar, cast

import pulumi
import pulumi.output
from pulumi.dynamic import ConfigureRequest, ResourceProvider

from pulumi_qlik.client import QlikClient
from pulumi_qlik.concurrency import widen_worker_pool
from pulumi_qlik.config import QlikSettings, load_settings
from pulumi_qlik.recovery import qlik_client
from pulumi_qlik.redaction import configure_logging, hiding
from pulumi_qlik.regions import Region
from pulumi_qlik.spec import UNKNOWN, is_unknown

UNKNOWN_SENTINEL: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def from_engine(props: Mapping[str, Any]) -> dict[str, Any]:
    """The engine's values with every unknown (in lists too) as `spec.UNKNOWN`, whichever way it was spelled."""

    def plain(value: Any) -> Any:
        if isinstance(value, pulumi.output.Unknown) or (isinstance(value, str) and value == UNKNOWN_SENTINEL):
            return UNKNOWN
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return {key: plain(value) for key, value in props.items()}


def to_engine(props: Mapping[str, Any]) -> dict[str, Any]:
    """`props` for the engine: `spec.UNKNOWN` back to `pulumi.output.Unknown`, so the value stays unknown."""

    def engine(value: Any) -> Any:
        if is_unknown(value):
            return pulumi.output.Unknown()  # type: ignore[no-untyped-call]
        if isinstance(value, list):
            return [engine(item) for item in value]
        return value

    return {key: engine(value) for key, value in props.items()}


def input_props(
    resource: str,
    args: object | None,
    kwargs: Mapping[str, Any],
    args_type: Callable[..., object],
    names: Sequence[str],
) -> dict[str, Any]:
    """A resource's inputs by name, given as its `...Args` object or as keyword arguments (one or the other)."""
    if args is not None and kwargs:
        raise TypeError(f"pass either `args` or keyword arguments to {resource}, not both")
    resolved = args if args is not None else args_type(**kwargs)
    return {name: getattr(resolved, name) for name in names}


async def secret_input_names(props: Mapping[str, Any], candidates: Sequence[str]) -> list[str]:
    """Which of `candidates` the program passed as secrets (resolved in the program, before registration)."""
    names = []
    for name in candidates:
        value = props.get(name)
        if value is not None and await pulumi.Output.from_input(value).is_secret():
            names.append(name)
    return names


_Method = TypeVar("_Method", bound=Callable[..., Any])


def hiding_secret_inputs(
    hidden_values: Callable[[Mapping[str, Any]], set[str]],
) -> Callable[[_Method], _Method]:
    """Run a provider method with the values `hidden_values` finds in its property bags hidden from logs and errors."""

    def decorate(method: _Method) -> _Method:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any) -> Any:
            values: set[str] = set()
            for arg in args:
                if isinstance(arg, Mapping):
                    values |= hidden_values(arg)
            with hiding(values):
                return method(self, *args)

        return cast(_Method, wrapper)

    return decorate


class QlikProvider(ResourceProvider):
    """A dynamic provider configured from the stack config in its own process, with one Qlik client per region.

    Instances are pickled into the state by reference to their class and hold nothing until `configure()`:
    credentials and clients never travel with the pickle.
    """

    _settings: QlikSettings | None = None

    def configure(self, req: ConfigureRequest) -> None:
        self._settings = load_settings(req.config._props)
        self._clients: dict[str, QlikClient] = {}
        self._clients_lock = threading.Lock()
        configure_logging(self._settings.log_file)
        widen_worker_pool(self._settings.provider_workers)

    def close(self) -> None:
        """Close the HTTP clients (the engine just ends the process; tests driving a provider call this)."""
        if "_clients_lock" not in self.__dict__:
            return
        with self._clients_lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()

    @property
    def settings(self) -> QlikSettings:
        if self._settings is None:
            # Only reachable if Pulumi changes how it starts dynamic providers.
            self._settings = load_settings({})
        return self._settings

    def client_for(self, region: Region) -> QlikClient:
        """The region's client (its OAuth client from the settings; tokens from the process-wide cache)."""
        if "_clients_lock" not in self.__dict__:  # configure() not called: only if Pulumi changes
            self._clients, self._clients_lock = {}, threading.Lock()
        with self._clients_lock:
            client = self._clients.get(region.code)
            if client is None:
                client = qlik_client(self.settings, self.settings.credentials_for(region.code))
                self._clients[region.code] = client
            return client
