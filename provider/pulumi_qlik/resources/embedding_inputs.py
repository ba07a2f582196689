"""The checks of `QlikWebIntegration`'s and `QlikCspOrigin`'s inputs: one validator per field, naming the fix.

Origins are normalised to what a browser sends in its ``Origin`` header (``scheme://host[:port]``, lower-case,
no default port, no path or trailing slash), so two spellings of one origin never cause a diff.
Nothing here talks to Qlik or Pulumi; a value not known yet (preview) never reaches a validator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from pulumi_qlik.client.models import CSP_DIRECTIVES
from pulumi_qlik.engine.tenant_child import Validator
from pulumi_qlik.engine.unknowns import is_unknown

from . import child_inputs

WEB_INTEGRATION_INPUTS: Final = ("tenant_hostname", "name", "valid_origins", "adopt_existing")
WEB_INTEGRATION_IN_PLACE: Final = ("name", "valid_origins")
WEB_INTEGRATION_REPLACE: Final = ("tenant_hostname",)
WEB_INTEGRATION_SECRET_CAPABLE: Final = ("tenant_hostname",)

CSP_ORIGIN_INPUTS: Final = (
    "tenant_hostname",
    "name",
    "origin",
    "description",
    *CSP_DIRECTIVES,
    "adopt_existing",
)
CSP_ORIGIN_IN_PLACE: Final = ("name", "origin", "description", *CSP_DIRECTIVES)
"""Qlik's PUT takes the whole entry, origin included."""
CSP_ORIGIN_REPLACE: Final = ("tenant_hostname",)
CSP_ORIGIN_SECRET_CAPABLE: Final = ("tenant_hostname",)
DIRECTIVE_DEFAULTS: Final = {name: name == "frame_ancestors" for name in CSP_DIRECTIVES}
"""Only `frame_ancestors` (embedding the tenant in the origin's pages) is on unless asked."""

MAX_NAME: Final = 256
MAX_CSP_NAME: Final = 512
MAX_CSP_DESCRIPTION: Final = 1024
MAX_CSP_ORIGIN: Final = 256
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_HOST: Final = re.compile(
    r"^(?=.{1,253}$)(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
_ORIGIN_EXAMPLE: Final = "https://portal.example.com or https://portal.example.com:8443"


def web_origin(value: Any) -> str:
    """An ``http(s)://host[:port]`` origin, normalised; anything more (path, query, wildcard) is refused."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not an origin; give scheme and host, e.g. {_ORIGIN_EXAMPLE}")
    return _origin(value.strip(), scheme_required=True, wildcard=False)


def csp_origin(value: Any) -> str:
    """A CSP source: ``[scheme://]host[:port]``, the host may start with ``*.``; normalised as `web_origin`."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            f"required; give the origin the directives apply to, e.g. {_ORIGIN_EXAMPLE} or *.example.com"
        )
    origin = _origin(value.strip(), scheme_required=False, wildcard=True)
    if len(origin) > MAX_CSP_ORIGIN:
        raise ValueError(f"must be at most {MAX_CSP_ORIGIN} characters (got {len(origin)})")
    return origin


def _origin(value: str, *, scheme_required: bool, wildcard: bool) -> str:
    has_scheme = "://" in value
    if not has_scheme and scheme_required:
        raise ValueError(f"{value!r} has no scheme; give it as {_ORIGIN_EXAMPLE}")
    parts = urlsplit(value if has_scheme else f"//{value}")
    scheme = parts.scheme.lower()
    if has_scheme and scheme not in _DEFAULT_PORTS:
        raise ValueError(f"{value!r}: the scheme must be https or http, e.g. {_ORIGIN_EXAMPLE}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(
            f"{value!r} is a URL, not an origin; keep only scheme, host and port (no path, query or user),"
            f" e.g. {_ORIGIN_EXAMPLE}"
        )
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{value!r} has a bad port; use a number from 1 to 65535") from None
    host = (parts.hostname or "").rstrip(".")
    if not _HOST.match(host) or (host.startswith("*.") and not wildcard):
        allowed = "a host name" + (", optionally starting with *." if wildcard else " (no wildcards)")
        raise ValueError(f"{value!r} has no valid host; give {allowed}, e.g. {_ORIGIN_EXAMPLE}")
    if port is not None and port == _DEFAULT_PORTS.get(scheme):
        port = None  # browsers leave the default port out of the Origin header
    netloc = host if port is None else f"{host}:{port}"
    return f"{scheme}://{netloc}" if has_scheme else netloc


def valid_origins(value: Any) -> list[Any]:
    """Known origins normalised, de-duplicated and sorted; unknown items (preview) kept after them."""
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(f'must be a non-empty list of origins, e.g. ["{_ORIGIN_EXAMPLE.split(" ")[0]}"]')
    known = {web_origin(item) for item in value if not is_unknown(item)}
    return [*sorted(known), *(item for item in value if is_unknown(item))]


def _directive(name: str) -> Validator:
    def check(value: Any) -> bool:
        return child_inputs.flag(value, default=DIRECTIVE_DEFAULTS[name])

    return check


def some_directive(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """An entry that allows its origin nothing is a mistake: say so (unknown flags may yet be true)."""
    flags = [inputs.get(name) for name in CSP_DIRECTIVES]
    if any(flag is True or is_unknown(flag) for flag in flags):
        return []
    return [
        (
            "frame_ancestors",
            "frame_ancestors: every directive is false, so this entry would allow the origin nothing; set"
            " frame_ancestors=True (to embed the tenant) or another directive such as script_src",
        )
    ]


WEB_INTEGRATION_VALIDATORS: Final[Mapping[str, Validator]] = {
    "tenant_hostname": child_inputs.tenant_hostname,
    "name": lambda value: child_inputs.text(value, max_length=MAX_NAME, example='"Customer portal"'),
    "valid_origins": valid_origins,
    "adopt_existing": child_inputs.adopt_existing,
}

CSP_ORIGIN_VALIDATORS: Final[Mapping[str, Validator]] = {
    "tenant_hostname": child_inputs.tenant_hostname,
    "name": lambda value: child_inputs.text(value, max_length=MAX_CSP_NAME, example='"Customer portal"'),
    "origin": csp_origin,
    "description": lambda value: child_inputs.optional_text(value, max_length=MAX_CSP_DESCRIPTION),
    **{name: _directive(name) for name in CSP_DIRECTIVES},
    "adopt_existing": child_inputs.adopt_existing,
}
