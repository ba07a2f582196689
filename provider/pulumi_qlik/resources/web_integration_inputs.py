"""The checks of `QlikWebIntegration`'s inputs: one validator per field, naming the fix; and the one origin
normaliser, which `QlikCspOrigin` shares.

Origins are normalised to what a browser sends in its ``Origin`` header (``scheme://host[:port]``, lower-case,
no default port, no path or trailing slash), so two spellings of one origin never cause a diff.
Nothing here talks to Qlik or Pulumi; a value not known yet (preview) never reaches a validator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final
from urllib.parse import urlsplit

from pulumi_qlik.engine.unknowns import is_unknown

from . import child_inputs

MAX_NAME_LENGTH: Final = 256
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_HOST: Final = re.compile(
    r"^(?=.{1,253}$)(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
ORIGIN_EXAMPLE: Final = "https://portal.example.com or https://portal.example.com:8443"


def web_origin(value: Any) -> str:
    """An ``http(s)://host[:port]`` origin, normalised; anything more (path, query, wildcard) is refused."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not an origin; give scheme and host, e.g. {ORIGIN_EXAMPLE}")
    return normalise_origin(value.strip(), scheme_required=True, wildcard=False)


def normalise_origin(value: str, *, scheme_required: bool, wildcard: bool) -> str:
    """`value` as an origin (`scheme://host[:port]`, or `host[:port]` when no scheme is required), or `ValueError`
    naming what is wrong; a `*.` host prefix only with `wildcard`."""
    has_scheme = "://" in value
    if not has_scheme and scheme_required:
        raise ValueError(f"{value!r} has no scheme; give it as {ORIGIN_EXAMPLE}")
    parts = urlsplit(value if has_scheme else f"//{value}")
    scheme = parts.scheme.lower()
    if has_scheme and scheme not in _DEFAULT_PORTS:
        raise ValueError(f"{value!r}: the scheme must be https or http, e.g. {ORIGIN_EXAMPLE}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(
            f"{value!r} is a URL, not an origin; keep only scheme, host and port (no path, query or user),"
            f" e.g. {ORIGIN_EXAMPLE}"
        )
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{value!r} has a bad port; use a number from 1 to 65535") from None
    host = (parts.hostname or "").rstrip(".")
    if not _HOST.match(host) or (host.startswith("*.") and not wildcard):
        allowed = "a host name" + (", optionally starting with *." if wildcard else " (no wildcards)")
        raise ValueError(f"{value!r} has no valid host; give {allowed}, e.g. {ORIGIN_EXAMPLE}")
    if port is not None and port == _DEFAULT_PORTS.get(scheme):
        port = None  # browsers leave the default port out of the Origin header
    netloc = host if port is None else f"{host}:{port}"
    return f"{scheme}://{netloc}" if has_scheme else netloc


def valid_origins(value: Any) -> list[Any]:
    """Known origins normalised, de-duplicated and sorted; unknown items (preview) kept after them."""
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(f'must be a non-empty list of origins, e.g. ["{ORIGIN_EXAMPLE.split(" ")[0]}"]')
    known = {web_origin(item) for item in value if not is_unknown(item)}
    return [*sorted(known), *(item for item in value if is_unknown(item))]


VALIDATORS: Final[dict[str, Callable[[Any], Any]]] = {
    "tenant_hostname": child_inputs.tenant_hostname,
    "name": lambda value: child_inputs.text(value, max_length=MAX_NAME_LENGTH, example='"Customer portal"'),
    "valid_origins": valid_origins,
    "adopt_existing": child_inputs.adopt_existing,
}
