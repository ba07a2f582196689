"""Listing shared by the services: a limit from the query, cursor paging by id, and the page links."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlencode

from .api_errors import QlikError

if TYPE_CHECKING:  # rules import this module too: keep it free of the HTTP layer at run time
    from .routing import Call

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing and the cursors of its neighbours (the id of its last / first item)."""

    items: list[T]
    next_cursor: str | None
    prev_cursor: str | None
    total: int


def parse_limit(
    call: Call,
    *,
    default: int,
    maximum: int,
    minimum: int = 1,
    error: type[QlikError],
) -> int:
    """The ``limit`` query parameter: an integer in [minimum, maximum]; 400 naming the range otherwise."""
    text = call.first("limit")
    if text is None:
        return default
    try:
        number = float(text)
    except ValueError:
        number = 0.5
    if not number.is_integer() or not minimum <= number <= maximum:
        raise error(f"limit must be an integer from {minimum} to {maximum}", parameter="limit")
    return int(number)


def paginate(
    items: Sequence[T],
    id_of: Callable[[T], str],
    limit: int,
    next_cursor: str | None,
    prev_cursor: str | None,
    error: type[QlikError],
) -> Page[T]:
    """``items`` (already filtered and sorted) cut to one page after ``next`` or before ``prev``."""
    if next_cursor and prev_cursor:
        raise error("next and prev cannot be used together", parameter="next")
    ids = [id_of(item) for item in items]

    def index(cursor: str, name: str) -> int:
        if cursor not in ids:
            raise error(f"{name} cursor {cursor!r} names no item of this listing", parameter=name)
        return ids.index(cursor)

    start = 0
    if next_cursor:
        start = index(next_cursor, "next") + 1
    elif prev_cursor:
        start = max(0, index(prev_cursor, "prev") - limit)
    page = list(items[start : start + limit])
    return Page(
        items=page,
        next_cursor=id_of(page[-1]) if page and start + limit < len(items) else None,
        prev_cursor=id_of(page[0]) if page and start > 0 else None,
        total=len(items),
    )


def page_links(call: Call, path: str, page: Page[Any], limit: int) -> dict[str, Any]:
    """``links.self/next/prev.href`` of a page, keeping the caller's other query parameters."""
    kept = {k: v[0] for k, v in call.query.items() if k not in {"next", "prev", "limit"}}

    def href(**cursor: str) -> dict[str, str]:
        return {"href": f"{call.base}{path}?{urlencode({**kept, 'limit': str(limit), **cursor})}"}

    current = {k: v for k in ("next", "prev") if (v := call.first(k))}
    links: dict[str, Any] = {"self": href(**current)}
    if page.next_cursor:
        links["next"] = href(next=page.next_cursor)
    if page.prev_cursor:
        links["prev"] = href(prev=page.prev_cursor)
    return links


def sorted_by(
    items: list[T],
    sort: str | None,
    fields: dict[str, Callable[[T], Any]],
    default: str,
    error: type[QlikError],
) -> list[T]:
    """``items`` sorted by ``[+-]field``; a field not in ``fields`` is a 400 naming the allowed ones."""
    sort = sort or default
    descending = sort.startswith("-")
    name = sort.lstrip("+-")
    key = fields.get(name)
    if key is None:
        allowed = ", ".join(fields)
        raise error(f"cannot sort by {name!r}; sort by one of: {allowed}", parameter="sort")
    return sorted(items, key=key, reverse=descending)
