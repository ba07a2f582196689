"""The rules of ``PATCH /api/v1/tenants/{id}``: JSON Patch ``replace`` on the documented paths, and aliases.

Pure functions over a tenant and its region: they validate every operation before anything changes, so a
PATCH is all-or-nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pulumi_qlik.regions import Region

from .exceptions import HostnameConflict, InvalidPatch
from .models import TENANT_FLAGS, Tenant

RESERVED_LABELS = frozenset({"register", "console", "www", "api"})
ALIAS_MIN, ALIAS_MAX = 3, 63
"""An alias label's length: the tenants spec's PATCH error example, "Subdomain should be between 3 and 63
characters"."""
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def is_label(text: str) -> bool:
    """A DNS label: what a tenant name or alias may be."""
    return _LABEL.match(text) is not None


def check_operations(
    tenant: Tenant, region: Region, operations: Any, owner_of: Callable[[str], Tenant | None]
) -> list[tuple[str, Any]]:
    """The (path, value) changes of a valid patch; ``InvalidPatch``/``HostnameConflict`` otherwise.

    ``owner_of`` finds the tenant a hostname belongs to (aliases must be free).
    """
    if not isinstance(operations, list) or not operations:
        raise InvalidPatch("body must be a non-empty JSON Patch array", pointer="")
    return [_check(tenant, region, index, op, owner_of) for index, op in enumerate(operations)]


def _check(
    tenant: Tenant,
    region: Region,
    index: int,
    operation: Any,
    owner_of: Callable[[str], Tenant | None],
) -> tuple[str, Any]:
    def bad(field_name: str, detail: str) -> InvalidPatch:
        return InvalidPatch(detail, pointer=f"/{index}/{field_name}", index=index)

    if not isinstance(operation, dict) or set(operation) - {"op", "path", "value"}:
        raise bad("op", "each operation is an object with op, path and value")
    if operation.get("op") != "replace":
        raise bad("op", f"op {operation.get('op')!r} is not supported; only 'replace'")
    path, value = operation.get("path"), operation.get("value")
    if path == "/name":
        if not isinstance(value, str) or not value.strip() or len(value) > 255:
            raise bad("value", "/name takes a non-empty string of at most 255 characters")
        return path, value
    if path == "/hostnames/1":
        if not isinstance(value, str):
            raise bad("value", "/hostnames/1 takes a hostname string")
        return path, check_alias(tenant, region, index, value, owner_of)
    if isinstance(path, str) and path.startswith("/") and path[1:] in TENANT_FLAGS:
        if not isinstance(value, bool):
            raise bad("value", f"{path} takes a boolean")
        return path, value
    raise bad("path", f"path {path!r} cannot be replaced")


def check_alias(
    tenant: Tenant, region: Region, index: int, value: str, owner_of: Callable[[str], Tenant | None]
) -> str:
    """Accept ``label`` or ``label.<region>.qlikcloud.com``; return the label."""
    label = value.strip().lower().rstrip(".")
    if "." in label:
        suffix = f".{region.domain}"
        if not label.endswith(suffix):
            raise InvalidPatch(
                f"alias must be in the tenant's region domain {region.domain}",
                pointer=f"/{index}/value",
                index=index,
            )
        label = label[: -len(suffix)]
    if not ALIAS_MIN <= len(label) <= ALIAS_MAX:
        raise InvalidPatch(
            f"{value!r}: the alias label must have {ALIAS_MIN} to {ALIAS_MAX} characters",
            pointer=f"/{index}/value",
            index=index,
            meta_title=f"Subdomain should be between {ALIAS_MIN} and {ALIAS_MAX} characters",
        )
    if not is_label(label):
        raise InvalidPatch(f"{value!r} is not a valid hostname label", pointer=f"/{index}/value", index=index)
    hostname = region.tenant_host(label)
    owner = owner_of(hostname)
    taken_as_primary = owner is not None and owner.hostnames.index(hostname) == 0
    if label in RESERVED_LABELS or taken_as_primary or (owner is not None and owner.id != tenant.id):
        raise HostnameConflict(f"hostname {hostname} is in use", pointer=f"/{index}/value", index=index)
    return label
