"""The Items API (``GET /api/v1/items``): the resources of a tenant, e.g. the apps of a space."""

from __future__ import annotations

import httpx

from .._core import ClientCore
from ..errors import QlikError
from ..models import Item, ItemList

ITEMS_PAGE_SIZE = 100
MAX_ITEM_PAGES = 100


class ItemsAPI(ClientCore):
    """Listing a tenant's items, every page."""

    def list_items(
        self,
        host: str,
        *,
        resource_type: str | None = None,
        space_id: str | None = None,
        resource_id: str | None = None,
        space_type: str | None = None,
    ) -> list[Item]:
        """The items matching every filter given, all pages (``links.next`` followed on the same host)."""
        filters = {
            "resourceType": resource_type,
            "spaceId": space_id,
            "resourceId": resource_id,
            "spaceType": space_type,
        }
        params = {key: value for key, value in filters.items() if value is not None}
        params["limit"] = str(ITEMS_PAGE_SIZE)
        path = "/api/v1/items"
        found: list[Item] = []
        for _ in range(MAX_ITEM_PAGES):
            page = self._parse(ItemList, self._call("GET", host, path, params=params))
            found.extend(page.data)
            next_link = page.links.next if page.links is not None else None
            if next_link is None or not page.data:
                return found
            target = httpx.URL(next_link.href)  # only its path and query: requests stay on this host
            path, params = target.path, dict(target.params.items())
        raise QlikError(f"more than {MAX_ITEM_PAGES} pages of items on {host}")
