"""A resource's inputs on their way to and from the engine: unknowns in and out, `...Args` or keywords.

The engine spells a value it does not know yet two ways (`pulumi.output.Unknown`, or a sentinel string from
older SDKs); inside the package it is `UNKNOWN`, and `check` hands it back as `Unknown()`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import pulumi
import pulumi.output

from .unknowns import UNKNOWN, is_unknown

UNKNOWN_SENTINEL: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def from_engine(props: Mapping[str, Any]) -> dict[str, Any]:
    """The engine's values with every unknown (in lists too) as `UNKNOWN`, whichever way it was spelled."""

    def plain(value: Any) -> Any:
        if isinstance(value, pulumi.output.Unknown) or (isinstance(value, str) and value == UNKNOWN_SENTINEL):
            return UNKNOWN
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return {key: plain(value) for key, value in props.items()}


def to_engine(props: Mapping[str, Any]) -> dict[str, Any]:
    """`props` for the engine: `UNKNOWN` back to `pulumi.output.Unknown`, so the value stays unknown."""

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
