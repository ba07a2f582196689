"""`UNKNOWN`: a value the engine will only know at `up`, as the whole package spells it (see :mod:`.props`)."""

from __future__ import annotations

from typing import Any, Final


class UnknownValue:
    """A value the engine will only know at `up` (an input computed from another resource's output)."""

    _instance: UnknownValue | None = None

    def __new__(cls) -> UnknownValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN: Final = UnknownValue()


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN
