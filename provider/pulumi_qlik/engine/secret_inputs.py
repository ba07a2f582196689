"""A resource's secret inputs: their names sent along, their values hidden while a provider works on it.

The engine hands a dynamic provider its inputs in plain text and never says which were secret (see
:mod:`.redaction`), and it keeps an output secret only when the input *of the same name* was: derived outputs
get a marker input of their own name (:func:`secret_markers`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

import pulumi

from .redaction import hiding


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
            with hiding(hidden_in(args, hidden_values)):
                return method(self, *args)

        return cast(_Method, wrapper)

    return decorate


def hidden_in(args: Sequence[Any], hidden_values: Callable[[Mapping[str, Any]], set[str]]) -> set[str]:
    """The values `hidden_values` finds in the property bags among a provider method's arguments."""
    values: set[str] = set()
    for arg in args:
        if isinstance(arg, Mapping):
            values |= hidden_values(arg)
    return values


def secret_markers(
    props: Mapping[str, Any], markers: Mapping[str, Sequence[str]]
) -> dict[str, pulumi.Output[bool]]:
    """One input per derived output (`markers`: output -> its sources), secret exactly when a source is."""
    found: dict[str, pulumi.Output[bool]] = {}
    for marker, sources in markers.items():
        given = [props[source] for source in sources if props[source] is not None]
        if given:
            found[marker] = pulumi.Output.all(*given).apply(lambda _: True)
    return found
