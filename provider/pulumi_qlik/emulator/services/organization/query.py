"""Listing tenants on the Organization API: the view of a tenant, its filter (a subset of SCIM), sort and cursors.

Pure functions over tenant views; the terms, operators and sort fields are qlik.dev's ("Organization APIs /
core / tenants"): terms joined by ``and``, ``or``, ``not`` and parentheses (``co`` is not emulated: 400).
"""

from __future__ import annotations

import binascii
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ... import scim
from ...world import parse_iso, unb64
from ..tenants.models import Tenant
from .exceptions import InvalidFilter

STATUSES = ("active", "disabled", "deleted", "deactivated")
_OPERATORS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("subscriptionId", "name", "hostnames", "id", "originalId"), frozenset({"eq"})),
    **dict.fromkeys(("regionCode", "countryCode", "status"), frozenset({"eq", "ne"})),
    **dict.fromkeys(("createdAt", "updatedAt"), frozenset({"eq", "ne", "gt", "ge", "lt", "le"})),
}
SORT_FIELDS = frozenset(
    {"name", "regionCode", "countryCode", "hostnames", "createdAt", "updatedAt", "status", "subscriptionId"}
)


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
    """One page of a tenant listing, with the cursors of its neighbours (None when there is none)."""

    items: list[OrgTenant]
    next_cursor: str | None
    prev_cursor: str | None
    total: int


def parse_filter(filter_text: str | None) -> list[Callable[[OrgTenant], bool]]:
    """qlik.dev's tenants filter: SCIM terms joined by ``and``, ``or``, ``not`` and parentheses; the whole
    query must be ``and``-ed with ``subscriptionId eq "<id>"`` (qlik.dev: subscriptionId is required)."""
    if not filter_text or not filter_text.strip():
        raise InvalidFilter('filter must include subscriptionId eq "<id>"')
    try:
        node = scim.parse(filter_text, _term)
    except scim.FilterSyntaxError as exc:
        raise InvalidFilter(f"filter: {exc}") from None
    parts = scim.conjuncts(node)
    if not any(p.attributes() == {"subscriptionId"} and not isinstance(p, scim.Not) for p in parts):
        raise InvalidFilter(
            'filter must include subscriptionId eq "<id>", and-ed with the rest of the query'
            ' (e.g. subscriptionId eq "s" and (name eq "a" or name eq "b"))'
        )
    return [node.matches]


def _term(attribute: str, operator: str, text: str) -> Callable[[OrgTenant], bool]:
    if operator not in _OPERATORS.get(attribute, frozenset()):
        raise InvalidFilter(
            f'unsupported filter term {attribute} {operator} "{text}"; terms are <attribute> <operator>'
            ' "<value>" (eq for subscriptionId/name/hostnames/id/originalId; eq|ne for regionCode/'
            "countryCode/status; eq|ne|gt|ge|lt|le for createdAt/updatedAt) joined by and, or, not and"
            " parentheses"
        )
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


def parse_sort(sort: str | None) -> list[tuple[str, bool]]:
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


def sort_key(attribute: str, view: OrgTenant) -> Any:
    value = view.attribute(attribute)
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, datetime):
        return value.timestamp()
    return value


def decode_cursor(cursor: str) -> int:
    try:
        return max(0, int(unb64(cursor).decode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise InvalidFilter("invalid paging cursor") from exc
