"""The checks of `QlikOAuthClient`'s inputs: one validator per field, naming the fix (no Qlik, no Pulumi)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from pulumi_qlik.engine.unknowns import is_unknown

from . import child_inputs
from .web_integration_inputs import web_origin

APP_TYPES: Final = ("web", "native", "spa")
"""`web`: a confidential client with a secret (a backend; `client_credentials`); `spa` / `native`: public
clients of a browser or desktop app (no secret). Qlik's `anonymous-embed` is not offered."""
GRANT_TYPES: Final = ("client_credentials", "urn:qlik:oauth:user-impersonation")
MAX_NAME_LENGTH: Final = 256
MAX_DESCRIPTION_LENGTH: Final = 1024
_SCOPE: Final = re.compile(r"^[a-z][a-z0-9_.:-]{0,99}$")
_LOOPBACK: Final = ("localhost", "127.0.0.1", "[::1]")


def app_type(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in APP_TYPES:
        raise ValueError(
            f'{value!r} is not an app type; use "web" (a backend with a secret), "spa" or "native"'
        )
    return value.strip().lower()


def _items(value: Any, example: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ValueError(f"must be a list, e.g. {example}")
    return list(value)


def grant_types(value: Any) -> list[Any]:
    items = _items(value, '["client_credentials"]')
    bad = [g for g in items if not is_unknown(g) and g not in GRANT_TYPES]
    if bad:
        raise ValueError(f"{bad[0]!r} is not a grant type; use {' or '.join(map(repr, GRANT_TYPES))}")
    return [*sorted({g for g in items if not is_unknown(g)}), *(g for g in items if is_unknown(g))]


def redirect_uri(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a URL; give e.g. https://portal.example.com/callback")
    parts = urlsplit(value.strip())
    loopback = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise ValueError(f"{value!r} must use https (http only for localhost)")
    if not parts.hostname or parts.fragment:
        raise ValueError(f"{value!r} needs a host and no #fragment")
    return value.strip()


def redirect_uris(value: Any) -> list[Any]:
    items = _items(value, '["https://portal.example.com/callback"]')
    return [
        *sorted({redirect_uri(u) for u in items if not is_unknown(u)}),
        *(u for u in items if is_unknown(u)),
    ]


def origins(value: Any) -> list[Any]:
    items = _items(value, '["https://portal.example.com"]')
    return [
        *sorted({web_origin(o) for o in items if not is_unknown(o)}),
        *(o for o in items if is_unknown(o)),
    ]


def scopes(value: Any) -> list[Any]:
    items = _items(value, '["user_default"]')
    for scope in items:
        if not is_unknown(scope) and (not isinstance(scope, str) or not _SCOPE.match(scope)):
            raise ValueError(f'{scope!r} is not a scope; use names such as "user_default" or "admin_classic"')
    return [*sorted({s for s in items if not is_unknown(s)}), *(s for s in items if is_unknown(s))]


def secret_rotation(value: Any) -> str | None:
    """Any text or number: a new value rotates the secret (like `random`'s keepers)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f'must be text or a number (a counter or a date), e.g. "2026-12"; got {value!r}')
    return str(value)


def name(value: Any) -> str:
    return child_inputs.text(value, max_length=MAX_NAME_LENGTH, example='`name="Acme backend"`')


def description(value: Any) -> str | None:
    return child_inputs.optional_text(value, max_length=MAX_DESCRIPTION_LENGTH)


def across(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A public client (spa, native) has no secret, so it cannot use `client_credentials`; it needs redirects."""
    kind, grants, uris = (
        inputs.get("app_type"),
        inputs.get("allowed_grant_types"),
        inputs.get("redirect_uris"),
    )
    if kind is None or is_unknown(kind):
        return []
    failures = []
    if kind != "web" and isinstance(grants, list) and "client_credentials" in grants:
        failures.append(
            (
                "allowed_grant_types",
                f"allowed_grant_types: a {kind} client has no secret, so it cannot use client_credentials; use"
                ' app_type="web" for a backend',
            )
        )
    if kind != "web" and isinstance(uris, list) and not uris:
        failures.append(
            (
                "redirect_uris",
                f'redirect_uris: a {kind} client needs at least one, e.g. ["https://portal.example.com/callback"]',
            )
        )
    return failures
