"""The OAuth clients API's request bodies (``OAuthClientCreateRequest``, ``OAuthClientUpdate``) and their 400s."""

from __future__ import annotations

import re
from typing import Any

from .exceptions import OAuthClientBadRequest
from .models import APP_TYPES, AUTH_METHODS, GRANT_TYPES, MadeClient

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")
_TEXT_LIMITS = {"clientName": 512, "description": 4096, "clientUri": 2048, "logoUri": 2048}
_LISTS = ("redirectUris", "allowedOrigins", "allowedScopes", "allowedGrantTypes", "allowedAuthMethods")
PATCHABLE = ("/clientName", "/description", "/clientUri", "/logoUri", *tuple(f"/{n}" for n in _LISTS))
NOT_EMULATED = ("publicKeys", "jwksUri")


def _text(value: Any, name: str, pointer: str) -> str:
    if not isinstance(value, str):
        raise OAuthClientBadRequest(f"{name} must be a string", pointer=pointer)
    if len(value) > _TEXT_LIMITS[name]:
        raise OAuthClientBadRequest(f"{name} is longer than {_TEXT_LIMITS[name]} characters", pointer=pointer)
    return value


def _strings(value: Any, name: str, pointer: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise OAuthClientBadRequest(f"{name} must be a list of strings", pointer=pointer)
    if len(set(value)) != len(value):
        raise OAuthClientBadRequest(f"{name} must not repeat an item", pointer=pointer)
    return list(value)


def check_list(name: str, value: Any, pointer: str) -> list[str]:
    """One list field, checked alone: sizes, URLs and origins, enums (the spec's limits)."""
    items = _strings(value, name, pointer)
    if name in ("redirectUris", "allowedOrigins"):
        if len(items) > 5:
            raise OAuthClientBadRequest(f"{name} holds at most 5 items", pointer=pointer)
        pattern = _ORIGIN if name == "allowedOrigins" else _URL
        for index, item in enumerate(items):
            if len(item) > 256 or not pattern.match(item):
                kind = (
                    "an origin such as https://app.example.com"
                    if name == "allowedOrigins"
                    else "an http(s) URL"
                )
                raise OAuthClientBadRequest(
                    f"{name} item {item!r} is not {kind}", pointer=f"{pointer}/{index}"
                )
    allowed = {"allowedGrantTypes": GRANT_TYPES, "allowedAuthMethods": AUTH_METHODS}.get(name)
    for index, item in enumerate(items):
        if allowed is not None and item not in allowed:
            raise OAuthClientBadRequest(
                f"{name} item {item!r} is not one of {', '.join(allowed)}", pointer=f"{pointer}/{index}"
            )
        if name == "allowedScopes" and (not item or len(item) > 256):
            raise OAuthClientBadRequest(
                "a scope is a non-empty string of at most 256 characters", pointer=pointer
            )
    return items


def check_consistency(client: MadeClient) -> None:
    """Rules across fields: grant types only for web clients, origins only for SPAs (the spec's descriptions),
    ``private_key_jwt`` not emulated, and a confidential client authenticates with its secret."""
    if client.allowed_grant_types and client.app_type != "web":
        raise OAuthClientBadRequest(
            "allowedGrantTypes is only for appType 'web'", pointer="/allowedGrantTypes"
        )
    if client.allowed_origins and client.app_type != "spa":
        raise OAuthClientBadRequest(
            "allowedOrigins is only available with appType 'spa'", pointer="/allowedOrigins"
        )
    if "private_key_jwt" in client.allowed_auth_methods:
        raise OAuthClientBadRequest(
            "allowedAuthMethods 'private_key_jwt' is not emulated: use 'client_secret'",
            pointer="/allowedAuthMethods",
        )
    if client.confidential and client.allowed_auth_methods != ["client_secret"]:
        raise OAuthClientBadRequest(
            "a web client authenticates with 'client_secret' (allowedAuthMethods)",
            pointer="/allowedAuthMethods",
        )
    if not client.confidential and client.allowed_auth_methods:
        raise OAuthClientBadRequest(
            f"a {client.app_type} client is a public client: it has no allowedAuthMethods",
            pointer="/allowedAuthMethods",
        )


def created_fields(body: Any) -> dict[str, Any]:
    """``OAuthClientCreateRequest`` as :class:`MadeClient` keyword arguments (unknown fields ignored)."""
    if not isinstance(body, dict):
        raise OAuthClientBadRequest("the body must be an OAuthClientCreateRequest object")
    for name in NOT_EMULATED:
        if body.get(name):
            raise OAuthClientBadRequest(f"{name} is not emulated (private_key_jwt)", pointer=f"/{name}")
    app_type = body.get("appType")
    if app_type not in APP_TYPES:
        raise OAuthClientBadRequest(f"appType is required: one of {', '.join(APP_TYPES)}", pointer="/appType")
    if not isinstance(body.get("clientName"), str) or not body["clientName"].strip():
        raise OAuthClientBadRequest("clientName is required (a non-empty string)", pointer="/clientName")
    fields: dict[str, Any] = {"app_type": app_type}
    for name in _TEXT_LIMITS:
        if body.get(name) is not None:
            fields[_snake(name)] = _text(body[name], name, f"/{name}")
    for name in _LISTS:
        if body.get(name) is not None:
            fields[_snake(name)] = check_list(name, body[name], f"/{name}")
    if app_type == "web":
        fields.setdefault("allowed_auth_methods", ["client_secret"])
    return fields


def apply_patch(client: MadeClient, body: Any) -> dict[str, Any]:
    """The fields a JSON Patch (``OAuthClientUpdate[]``) sets; checked in full before anything changes."""
    if not isinstance(body, list) or not body:
        raise OAuthClientBadRequest("the body must be a non-empty array of OAuthClientUpdate operations")
    changes: dict[str, Any] = {}
    for index, operation in enumerate(body):
        if not isinstance(operation, dict) or operation.get("op") not in ("add", "remove", "replace"):
            raise OAuthClientBadRequest("op must be add, remove or replace", pointer=f"/{index}/op")
        path, op = operation.get("path"), operation["op"]
        if path not in PATCHABLE:
            raise OAuthClientBadRequest(
                f"path {path!r} cannot be patched: use one of {', '.join(PATCHABLE)}",
                pointer=f"/{index}/path",
            )
        name = path[1:]
        attr = _snake(name)
        pointer = f"/{index}/value"
        current = changes.get(attr, getattr(client, attr))
        if name in _TEXT_LIMITS:
            if op == "remove" and name == "clientName":
                raise OAuthClientBadRequest("clientName cannot be removed", pointer=f"/{index}/op")
            value = "" if op == "remove" else _text(operation.get("value"), name, pointer)
            if name == "clientName" and not value.strip():
                raise OAuthClientBadRequest("clientName must not be empty", pointer=pointer)
            changes[attr] = value
            continue
        raw = operation.get("value")
        items = [raw] if isinstance(raw, str) else raw
        if op == "replace":
            changes[attr] = check_list(name, items, pointer)
        elif op == "add":
            changes[attr] = check_list(
                name, current + [i for i in _strings(items, name, pointer) if i not in current], pointer
            )
        else:
            gone = [] if raw is None else _strings(items, name, pointer)
            changes[attr] = [i for i in current if gone and i not in gone]
    return changes


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)
