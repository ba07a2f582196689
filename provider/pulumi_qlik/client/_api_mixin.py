"""What an API mixin of ``QlikClient`` calls on it, for the type checker only.

Until the layout of issue 15 gives the client its ``ClientCore``, the new API mixins (groups, identity
providers, license settings) declare here the two methods ``QlikClient`` provides them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from pydantic import BaseModel

from .retry import Idempotency

_ModelT = TypeVar("_ModelT", bound=BaseModel)


class APIMixin:
    """Base of an API mixin; ``QlikClient`` supplies ``_call`` and ``_parse`` at run time."""

    if TYPE_CHECKING:

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
        ) -> httpx.Response: ...

        @staticmethod
        def _parse(model: type[_ModelT], response: httpx.Response, *, empty_ok: bool = False) -> _ModelT: ...
