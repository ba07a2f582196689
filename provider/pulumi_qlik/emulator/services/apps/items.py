"""``GET /api/v1/items`` (items.json): the supported filters, and a tenant's apps listed as items.

Pure functions over the apps a caller sees; what the spec leaves open is decided in docs/emulator.md ("items").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import exceptions as errors
from .models import App

ITEMS_LIMIT_DEFAULT = 10
ITEMS_LIMIT_MAX = 100


@dataclass(frozen=True)
class ItemQuery:
    """The supported filters of ``GET /api/v1/items`` (items.json), already parsed."""

    resource_types: tuple[str, ...] = ()
    space_id: str | None = None
    space_type: str | None = None
    resource_id: str | None = None
    name: str | None = None
    limit: int = ITEMS_LIMIT_DEFAULT
    next_cursor: str | None = None


@dataclass(frozen=True)
class ItemPage:
    apps: list[App]
    next_cursor: str | None


SpaceTypeOf = Callable[[str], str | None]
"""A space id's type when a spaces service knows it, else None."""


def page_of_items(visible: Iterable[App], query: ItemQuery, space_type_of: SpaceTypeOf) -> ItemPage:
    """The apps a caller sees as items, oldest first, paged by a cursor (the item id)."""
    if query.resource_types and "app" not in query.resource_types:
        return ItemPage([], None)
    found = sorted(visible, key=lambda a: (a.created, a.item_id))
    if query.space_id is not None:
        found = [a for a in found if (a.space_id or "personal") == query.space_id]
    if query.space_type is not None:
        found = [a for a in found if _space_kind(a, space_type_of) == query.space_type]
    if query.resource_id is not None:
        found = [a for a in found if a.id == query.resource_id]
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
