"""Request bodies of the data-connections and data-credentials APIs, and their 400s (naming the field)."""

from __future__ import annotations

from typing import Any

from .exceptions import DataBadRequest

CONNECTION_REQUIRED = ("qName", "qConnectStatement", "qType", "datasourceID")
"""``ConnectionCreate``'s required fields."""
CONNECTION_PATCHABLE = (
    "/qName",
    "/qConnectStatement",
    "/qUsername",
    "/qPassword",
    "/qConnectionSecret",
    "/tags",
)
CREDENTIAL_PATCHABLE = ("/qName", "/qUsername", "/qPassword")
LOG_ON = ("0", "1", "LOG_ON_SERVICE_USER", "LOG_ON_CURRENT_USER")
"""``ConnectionUpdate.qLogOn``'s enum (strings)."""


def obj(body: Any, schema: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise DataBadRequest(f"the body must be a {schema} object")
    return body


def text(body: dict[str, Any], name: str, *, required: bool = False, default: str = "") -> str:
    value = body.get(name)
    if value is None:
        if required:
            raise DataBadRequest(f"{name} is required", pointer=f"/{name}")
        return default
    if not isinstance(value, str) or (required and not value.strip()):
        raise DataBadRequest(f"{name} must be a {'non-empty ' if required else ''}string", pointer=f"/{name}")
    return value


def tags(body: dict[str, Any]) -> list[str]:
    value = body.get("tags", [])
    if not isinstance(value, list) or not all(isinstance(t, str) and len(t.encode()) <= 256 for t in value):
        raise DataBadRequest("tags must be a list of strings of at most 256 bytes", pointer="/tags")
    if len(value) > 32:
        raise DataBadRequest("a connection holds at most 32 tags", pointer="/tags")
    return list(value)


def patch_ops(body: Any, allowed: tuple[str, ...]) -> list[tuple[str, Any]]:
    """``PatchRequest``: (path, value) pairs; ``replace``/``add`` set, ``remove`` clears (value None)."""
    if not isinstance(body, list) or not body:
        raise DataBadRequest("the body must be a non-empty array of patch operations")
    ops: list[tuple[str, Any]] = []
    for index, op in enumerate(body):
        if not isinstance(op, dict) or op.get("op") not in ("add", "replace", "remove"):
            raise DataBadRequest("op must be add, replace or remove", pointer=f"/{index}/op")
        if op.get("path") not in allowed:
            raise DataBadRequest(
                f"path {op.get('path')!r} cannot be patched: use one of {', '.join(allowed)}",
                pointer=f"/{index}/path",
            )
        value = None if op["op"] == "remove" else op.get("value")
        expected = list if op["path"] == "/tags" else str
        if value is not None and not isinstance(value, expected):
            raise DataBadRequest(f"{op['path'][1:]} must be a {expected.__name__}", pointer=f"/{index}/value")
        if op["op"] != "remove" and value is None:
            raise DataBadRequest("add and replace need a value", pointer=f"/{index}/value")
        if op["path"] == "/qName" and not (isinstance(value, str) and value.strip()):
            raise DataBadRequest("qName cannot be empty", pointer=f"/{index}/value")
        ops.append((op["path"], value))
    return ops
