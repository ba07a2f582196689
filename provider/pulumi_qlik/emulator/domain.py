"""What a Qlik service is to the rest of the emulator: a domain object over the world, and its registration.

A service package (``services/<name>/``) exposes ``SERVICE = Service(name, build, routes)``; the registry in
``services/__init__.py`` lists them. :class:`Services` builds every domain object in registry order, so a
service's ``build`` finds the services it depends on (listed before it) with :meth:`Services.get`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

from .routing import RouteSpec
from .world import StatePart, World


class Domain:
    """Base of a service's domain object: it holds the world; its public methods are the only way in."""

    def __init__(self, world: World) -> None:
        self.world = world

    def now(self) -> datetime:
        return self.world.clock.now()

    def forget_sessions(self) -> None:
        """A reset happened: drop what is not in the state file (sessions, counters). Default: nothing."""


_D = TypeVar("_D", bound=Domain)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def locked(method: Callable[Concatenate[_D, _P], _R]) -> Callable[Concatenate[_D, _P], _R]:
    """Run a domain method inside the world's transaction (lock + housekeeping)."""

    def wrapper(self: _D, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self.world.transaction():
            return method(self, *args, **kwargs)

    functools.update_wrapper(wrapper, method)
    return wrapper


@dataclass(frozen=True)
class Service(Generic[_D]):
    """One Qlik service: its name, how to build its domain object, and its Qlik API routes."""

    name: str
    """The backend attribute it is reached by (``backend.<name>``); unique."""
    build: Callable[[World, Services], _D]
    """Creates the domain object; takes the services it depends on from ``Services.get``."""
    routes: Callable[[_D], list[RouteSpec]]


class Services:
    """The domain objects of the registered services, built once in registry order."""

    def __init__(self, world: World, registry: Iterable[Service[Any]]) -> None:
        self._built: dict[str, tuple[Service[Any], Domain]] = {}
        for service in registry:
            if service.name in self._built:
                raise ValueError(f"service {service.name!r} is registered twice")
            self._built[service.name] = (service, service.build(world, self))

    def get(self, kind: type[_D]) -> _D:
        """The built domain object of this class: how a service's ``build`` reaches its dependencies."""
        for _, domain in self._built.values():
            if isinstance(domain, kind):
                return domain
        raise LookupError(
            f"no service of type {kind.__name__} is built yet: register it before the services that use it"
            " (services/__init__.py)"
        )

    def named(self, name: str) -> Domain:
        return self._built[name][1]

    def names(self) -> list[str]:
        return list(self._built)

    def __contains__(self, name: object) -> bool:
        return name in self._built

    def __iter__(self) -> Iterator[Domain]:
        return (domain for _, domain in self._built.values())

    def state_parts(self) -> list[StatePart]:
        """The domain objects that keep state in the state file (those with ``to_state``/``load_state``)."""
        return [domain for domain in self if isinstance(domain, StatePart)]

    def routes(self) -> list[RouteSpec]:
        """Every service's Qlik API routes, in registry order."""
        return [route for service, domain in self._built.values() for route in service.routes(domain)]
