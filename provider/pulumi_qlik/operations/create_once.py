"""Create an object whose key Qlik does not keep unique (web-integration names, CSP origins) at most once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pulumi_qlik.client.errors import ConflictError

_T = TypeVar("_T")


def create_unless_taken(
    create: Callable[[], _T], find_existing: Callable[[], _T | None], *, what: str, host: str
) -> Callable[[], _T]:
    """`create`, preceded by a look for an object with the same key, answered as Qlik's 409 would be.

    Qlik lets two web integrations share a name (and may let two CSP entries share an origin): without the
    look, a re-run after a lost answer, or an object made by hand, would be duplicated.
    """

    def create_once() -> _T:
        if find_existing() is not None:
            raise ConflictError(
                status_code=409,
                method="POST",
                url=f"https://{host}",
                title=f"{what} exists (found before creating)",
            )
        return create()

    return create_once
