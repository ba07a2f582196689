"""``GET /api/v1/items`` (items.json): the supported filters, and a tenant's apps listed as items.

Pure functions over the apps a caller sees; what the spec leaves open is decided in docs/emulator.md ("items").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from . import exceptions as errors
from .models import App

ITEMS_LIMIT_DEFAULT = 10
ITEMS_LIMIT_MAX = 100
SPACE_TYPES = ("shared", "managed", "personal", "data")
"""items.json ``spaceTypeEnum``."""
_SORT: dict[str, Callable[[App], Any]] = {
    "createdAt": lambda a: (a.created, a.item_id),
    "updatedAt": lambda a: (a.modified, a.item_id),
    # The emulator records no use of an app: its last change stands in for its last use (*ours*).
    "recentlyUsed": lambda a: (a.modified, a.item_id),
    "name": lambda a: (a.name.lower(), a.item_id),
}
"""items.json ``sort``: +/- createdAt (the default), updatedAt, recentlyUsed, name."""


@dataclass(frozen=True)
class ItemQuery:
    """The supported filters of ``GET /api/v1/items`` (items.json), already parsed."""

    resource_types: tuple[str, ...] = ()
    space_id: str | None = None
    space_type: str | None = None
    resource_id: str | None = None
    resource_link: str | None = None
    name: str | None = None
    sort: str | None = None
    limit: int = ITEMS_LIMIT_DEFAULT
    next_cursor: str | None = None
    prev_cursor: str | None = None

    def check(self) -> None:
        """The rules items.json states for its parameters (400 naming the parameter)."""
        if self.resource_id is not None and self.resource_link is not None:
            raise errors.ItemsBadRequest(
                "provide either resourceId or resourceLink, not both", parameter="resourceLink"
            )
        if (self.resource_id is not None or self.resource_link is not None) and not self.resource_types:
            # items.json: "If resourceId is provided, then resourceType must be provided." (resourceLink too)
            raise errors.ItemsBadRequest(
                "resourceId and resourceLink need resourceType", parameter="resourceType"
            )
        if self.next_cursor is not None and self.prev_cursor is not None:
            raise errors.ItemsBadRequest(
                "provide either the next or the prev cursor, not both", parameter="prev"
            )
        for space_type in self.space_types:
            if space_type not in SPACE_TYPES:
                raise errors.ItemsBadRequest(
                    f"spaceType {space_type!r} is none of {', '.join(SPACE_TYPES)}", parameter="spaceType"
                )
        if self.sort is not None and (self.sort[:1] not in ("+", "-") or self.sort[1:] not in _SORT):
            allowed = ", ".join(f"{sign}{name}" for name in _SORT for sign in "+-")
            raise errors.ItemsBadRequest(f"sort {self.sort!r} is not one of {allowed}", parameter="sort")

    @property
    def space_types(self) -> tuple[str, ...]:
        """``spaceType`` as items.json's example has it: a comma-separated list (``shared,personal``)."""
        return tuple(t.strip() for t in (self.space_type or "").split(",") if t.strip())


@dataclass(frozen=True)
class ItemPage:
    apps: list[App]
    next_cursor: str | None


SpaceTypeOf = Callable[[str], str | None]
"""A space id's type when a spaces service knows it, else None."""


def page_of_items(visible: Iterable[App], query: ItemQuery, space_type_of: SpaceTypeOf) -> ItemPage:
    """The apps a caller sees as items, oldest first, paged by a cursor (the item id)."""
    query.check()
    if query.resource_types and "app" not in query.resource_types:
        return ItemPage([], None)
    sort = query.sort or "+createdAt"
    found = sorted(visible, key=_SORT[sort[1:]], reverse=sort.startswith("-"))
    if query.space_id is not None:
        found = [a for a in found if (a.space_id or "personal") == query.space_id]
    if query.space_types:
        found = [a for a in found if _space_kind(a, space_type_of) in query.space_types]
    if query.resource_id is not None:
        found = [a for a in found if a.id == query.resource_id]
    if query.resource_link is not None:  # the emulator's apps have no resource link
        found = []
    if query.name is not None:
        found = [a for a in found if a.name == query.name]
    if query.next_cursor:
        ids = [a.item_id for a in found]
        if query.next_cursor not in ids:
            raise errors.ItemsBadRequest("next is not a cursor of this listing", parameter="next")
        found = found[ids.index(query.next_cursor) :]
    page = found[: query.limit]
    more = found[query.limit] if len(found) > query.limit else None
    return ItemPage(page, more.item_id if more else None)


def _space_kind(app: App, space_type_of: SpaceTypeOf) -> str:
    """``spaceType`` of an item: without a spaces service every non-personal space counts as shared."""
    if app.space_id is None:
        return "personal"
    return space_type_of(app.space_id) or "shared"
