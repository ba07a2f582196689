"""The organization service's rules: the Organization API (``console.qlikcloud.com``): tenants across regions, by SCIM filter, sorted, paged.

Qlik's reference: qlik.dev "Organization APIs / core / tenants" (``GET /api/core/tenants``): ``filter``
(``subscriptionId eq`` required), ``limit`` 0-100 (default 20), ``next``/``prev`` cursors, ``sort``,
``totalResults``. Only ``and`` joins terms here (Qlik also documents ``or``/``not``: refused with a 400).
"""

from __future__ import annotations

import binascii
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...domain import Domain, locked
from ...principal import Principal, require_host
from ...world import World, b64, parse_iso, unb64
from ..licenses.rules import Licenses
from ..tenants.exceptions import TenantNotFound
from ..tenants.models import Tenant, TenantStatus
from ..tenants.rules import Tenants
from .exceptions import InvalidFilter

PAGE_DEFAULT, PAGE_MAX = 20, 100
CONSOLE_ONLY = "organization APIs are served on the console host"
STATUSES = ("active", "disabled", "deleted", "deactivated")
_TERM = re.compile(r'^\s*(\w+)\s+(eq|ne|gt|ge|lt|le|co)\s+"([^"]*)"\s*$', re.IGNORECASE)
_OPERATORS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("subscriptionId", "name", "hostnames", "id", "originalId"), frozenset({"eq"})),
    **dict.fromkeys(("regionCode", "countryCode", "status"), frozenset({"eq", "ne"})),
    **dict.fromkeys(("createdAt", "updatedAt"), frozenset({"eq", "ne", "gt", "ge", "lt", "le"})),
}
SORT_FIELDS = frozenset(
    {"name", "regionCode", "countryCode", "hostnames", "createdAt", "updatedAt", "status", "subscriptionId"}
)
COUNTRY_OF_DATACENTER = {
    "us-east-1": "US",
    "eu-west-1": "IE",
    "eu-central-1": "DE",
    "eu-west-2": "GB",
    "eu-west-3": "FR",
    "ap-southeast-1": "SG",
    "ap-southeast-2": "AU",
    "ap-northeast-1": "JP",
    "ap-south-1": "IN",
    "il-central-1": "IL",
    "me-central-1": "AE",
    "ca-central-1": "CA",
    "sa-east-1": "BR",
}
"""ISO 3166 country of each AWS datacenter (``countryCode`` is the emulator's reading of Qlik's field)."""


@dataclass(frozen=True)
class OrgTenant:
    """A tenant as the Organization API shows it."""

    tenant: Tenant
    subscription_id: str
    status: str
    country_code: str

    def attribute(self, name: str) -> Any:
        """The value a filter term or sort key compares (timestamps as datetimes, hostnames as a list)."""
        t = self.tenant
        values: dict[str, Any] = {
            "subscriptionId": self.subscription_id,
            "name": t.name,
            "hostnames": t.hostnames,
            "id": t.id,
            "originalId": t.id,
            "regionCode": t.datacenter,
            "countryCode": self.country_code,
            "status": self.status,
            "createdAt": t.created,
            "updatedAt": t.last_updated,
        }
        return values[name]


@dataclass(frozen=True)
class Page:
    items: list[OrgTenant]
    next_cursor: str | None
    prev_cursor: str | None
    total: int


class Organization(Domain):
    """Read-only views over tenants and licenses; no state of its own."""

    def __init__(self, world: World, tenants: Tenants, licenses: Licenses) -> None:
        super().__init__(world)
        self._tenants = tenants
        self._licenses = licenses

    def _view(self, tenant: Tenant) -> OrgTenant:
        status = "deactivated" if tenant.status is TenantStatus.DISABLED else tenant.status.value
        return OrgTenant(
            tenant,
            self._licenses.subscription_of(tenant.license_number),
            status,
            COUNTRY_OF_DATACENTER.get(tenant.datacenter, ""),
        )

    @locked
    def list_tenants(
        self, principal: Principal, filter_text: str | None, limit: int, cursor: str | None, sort: str | None
    ) -> Page:
        """One page of tenants matching the filter, in ``sort`` order (default: oldest first)."""
        require_host(principal, "console", CONSOLE_ONLY)
        if not 0 <= limit <= PAGE_MAX:
            raise InvalidFilter(f"limit must be between 0 and {PAGE_MAX}")
        tests = _parse_filter(filter_text)
        matches = [v for v in map(self._view, self._tenants.all()) if all(test(v) for test in tests)]
        for key, descending in reversed(_parse_sort(sort)):
            matches.sort(key=functools.partial(_sort_key, key), reverse=descending)
        start = _decode_cursor(cursor) if cursor else 0
        items = matches[start : start + limit]
        more = limit > 0 and start + limit < len(matches)
        next_cursor = b64(str(start + limit).encode()) if more else None
        prev_cursor = b64(str(max(0, start - limit)).encode()) if start > 0 else None
        return Page(items, next_cursor, prev_cursor, len(matches))

    @locked
    def get_tenant(self, principal: Principal, tenant_id: str) -> OrgTenant:
        require_host(principal, "console", CONSOLE_ONLY)
        tenant = self._tenants.get_by_id(tenant_id)
        if tenant is None:
            raise TenantNotFound(f"tenant {tenant_id} not found")
        return self._view(tenant)


def _parse_filter(filter_text: str | None) -> list[Callable[[OrgTenant], bool]]:
    if not filter_text or not filter_text.strip():
        raise InvalidFilter('filter must include subscriptionId eq "<id>"')
    tests: list[Callable[[OrgTenant], bool]] = []
    seen: set[str] = set()
    for part in re.split(r"\s+and\s+", filter_text.strip(), flags=re.IGNORECASE):
        match = _TERM.match(part)
        attribute, operator = (match.group(1), match.group(2).lower()) if match else ("", "")
        if match is None or operator not in _OPERATORS.get(attribute, frozenset()):
            raise InvalidFilter(
                f'unsupported filter term {part!r}; terms are <attribute> <operator> "<value>" joined by'
                f" 'and' (eq for subscriptionId/name/hostnames/id/originalId; eq|ne for regionCode/countryCode/"
                f"status; eq|ne|gt|ge|lt|le for createdAt/updatedAt)"
            )
        tests.append(_term(attribute, operator, match.group(3)))
        seen.add(attribute)
    if "subscriptionId" not in seen:
        raise InvalidFilter('filter must include subscriptionId eq "<id>"')
    return tests


def _term(attribute: str, operator: str, text: str) -> Callable[[OrgTenant], bool]:
    if attribute == "status" and text not in STATUSES:
        raise InvalidFilter(f"status must be one of {', '.join(STATUSES)}")
    value: Any = text
    if attribute in {"createdAt", "updatedAt"}:
        try:
            value = parse_iso(text)
        except ValueError as exc:
            raise InvalidFilter(f"{attribute} takes an ISO 8601 timestamp") from exc
    if attribute == "hostnames":
        return lambda v: text.lower() in v.tenant.hostnames
    compare: dict[str, Callable[[Any, Any], bool]] = {
        "eq": lambda a, b: bool(a == b),
        "ne": lambda a, b: bool(a != b),
        "gt": lambda a, b: bool(a > b),
        "ge": lambda a, b: bool(a >= b),
        "lt": lambda a, b: bool(a < b),
        "le": lambda a, b: bool(a <= b),
    }
    return lambda v: compare[operator](v.attribute(attribute), value)


def _parse_sort(sort: str | None) -> list[tuple[str, bool]]:
    keys: list[tuple[str, bool]] = []
    for raw in (sort or "").split(","):
        field_name = raw.strip()
        if not field_name:
            continue
        descending = field_name.startswith("-")
        field_name = field_name.lstrip("+-")
        if field_name not in SORT_FIELDS:
            raise InvalidFilter(f"cannot sort by {field_name!r}; use one of {', '.join(sorted(SORT_FIELDS))}")
        keys.append((field_name, descending))
    return keys


def _sort_key(attribute: str, view: OrgTenant) -> Any:
    value = view.attribute(attribute)
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, datetime):
        return value.timestamp()
    return value


def _decode_cursor(cursor: str) -> int:
    try:
        return max(0, int(unb64(cursor).decode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise InvalidFilter("invalid paging cursor") from exc
