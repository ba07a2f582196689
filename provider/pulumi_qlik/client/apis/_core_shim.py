"""Stand-in for the client core until the package layout of issue 15 lands (then ``.._core.ClientCore``).

Declares what the API mixins use of ``QlikClient``; ``QlikClient`` itself provides the real methods.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel

from ..errors import QlikConfigurationError
from ..retry import Idempotency

_ModelT = TypeVar("_ModelT", bound=BaseModel)


class ClientCore:
    """The calls every API mixin builds on (implemented by ``QlikClient``)."""

    def _call(
        self,
        method: str,
        host: str,
        path: str,
        *,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        idempotency: Idempotency = Idempotency.SAFE,
        authenticated: bool = True,
        follow_redirects: bool = False,
    ) -> httpx.Response:
        raise NotImplementedError

    @staticmethod
    def _parse(model: type[_ModelT], response: httpx.Response, *, empty_ok: bool = False) -> _ModelT:
        raise NotImplementedError


def segment(value: str, what: str = "tenant_id") -> str:
    """``value`` quoted as one URL path segment (ids come from state files; never let them add a path)."""
    if not value:
        raise QlikConfigurationError(f"{what} must not be empty")
    return quote(value, safe="")


def filter_value(value: str) -> str:
    """A string inside a SCIM filter's double quotes (RFC 7644: JSON string escaping)."""
    return json.dumps(value)[1:-1]
