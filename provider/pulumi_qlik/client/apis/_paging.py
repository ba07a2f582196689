"""Cursor paging as Qlik's list endpoints do it: follow ``links.next`` on the same host, up to a bound."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

import httpx

from .._core import ClientCore
from ..errors import QlikError
from ..models import PageLinks, ResponseModel

MAX_PAGES = 100
PAGE_SIZE = 100


_PageT = TypeVar("_PageT", bound=ResponseModel)


def pages(
    core: ClientCore, model: type[_PageT], host: str, path: str, params: dict[str, str], *, what: str
) -> Iterator[_PageT]:
    """Every page of ``GET path`` on ``host``; only the path and query of a next link are taken."""
    for _ in range(MAX_PAGES):
        page = core._parse(model, core._call("GET", host, path, params=params))
        yield page
        links = getattr(page, "links", None)
        next_link = links.next if isinstance(links, PageLinks) else None
        if next_link is None or not getattr(page, "data", None):
            return
        target = httpx.URL(next_link.href)
        path, params = target.path, dict(target.params.items())
    raise QlikError(f"more than {MAX_PAGES} pages of {what} on {host}")
