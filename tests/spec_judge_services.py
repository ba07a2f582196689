"""The spec judge's corrections for the OAuth clients, data connections, scheduling tasks, themes and
extensions specs (issue 23), kept apart from ``spec_judge.CORRECTIONS`` which adds them.

Each entry is ``(api, pointer, change, reason)``; each is a row of docs/emulator.md's fidelity table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Change = Callable[[dict[str, Any]], None]


def _one_of_to_any_of(node: dict[str, Any]) -> None:
    node["anyOf"] = node.pop("oneOf")


def _not_required(name: str) -> Change:
    return lambda node: node.__setitem__("required", [r for r in node["required"] if r != name])


def _declare(status: str, errors: str) -> Change:
    answer = {
        "description": "Error",
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{errors}"}}},
    }
    return lambda responses: responses.setdefault(status, answer)


def _date_time(node: dict[str, Any]) -> None:
    node["format"] = "date-time"


_ADMIN_OR_NOT = (
    "The answer is declared oneOf the admin shape and the plain one, but the admin shape only adds optional"
    " fields to the plain one (neither forbids extra properties): every answer matches both, so oneOf fails"
    " for any client. The judge reads it as anyOf."
)
_PUBLIC_CLIENT = (
    "OAuthClientCreateResponse requires clientSecret, yet spa, native and anonymous-embed clients are public"
    " clients (qlik.dev: they use PKCE, no secret) and the secret endpoints serve confidential clients; the"
    " emulator makes no secret for them. The judge drops clientSecret from required."
)
_DATES = (
    "createdAt and updateAt are declared `format: date` and readOnly, set by the service: timestamps, as"
    " every other Qlik API answers them. The judge reads them as date-time."
)

SERVICE_CORRECTIONS: tuple[tuple[str, tuple[str, ...], Change, str], ...] = (
    (
        "oauth-clients",
        (
            "paths",
            "/api/v1/oauth-clients/{id}",
            "get",
            "responses",
            "200",
            "content",
            "application/json",
            "schema",
        ),
        _one_of_to_any_of,
        _ADMIN_OR_NOT,
    ),
    (
        "oauth-clients",
        (
            "paths",
            "/api/v1/oauth-clients",
            "get",
            "responses",
            "200",
            "content",
            "application/json",
            "schema",
        ),
        _one_of_to_any_of,
        _ADMIN_OR_NOT,
    ),
    (
        "oauth-clients",
        ("paths", "/api/v1/oauth-clients", "get", "responses"),
        _declare("400", "ErrorResponse"),
        "The listing takes a SCIM filter, a sort enum, limit 1-100 and cursors, but declares no 400: a filter"
        " or limit it cannot read has no other answer. The judge adds 400 with the API's ErrorResponse.",
    ),
    (
        "oauth-clients",
        ("components", "schemas", "OAuthClientCreateResponse"),
        _not_required("clientSecret"),
        _PUBLIC_CLIENT,
    ),
    (
        "data-connections",
        ("components", "parameters", "limit", "schema"),
        lambda node: node.pop("default"),
        "The limit parameter's schema is an int32 whose default is a sentence ('All resources will be returned"
        " if limit is not defined'): not valid OpenAPI. The judge drops the default; the emulator returns every"
        " connection when no limit is given, as the sentence says.",
    ),
    *(
        (
            api,
            ("paths", f"/api/v1/{api}/{{id}}/file", "get", "responses", "200", "content", media),
            lambda node: node.pop("schema"),
            "The archive download declares `type: string, format: binary`, the OpenAPI 3.0 spelling of a file;"
            " in OpenAPI 3.1+ (these files say 3.2.0) binary content is a media type without a schema, as the"
            " judge already reads GET /api/v1/temp-contents/{id}.",
        )
        for api in ("themes", "extensions")
        for media in ("application/zip", "application/octet-stream")
    ),
    *(
        (api, ("components", "schemas", schema, "properties", field), _date_time, _DATES)
        for api, schema in (("themes", "theme"), ("extensions", "extension"))
        for field in ("createdAt", "updateAt")
    ),
)
