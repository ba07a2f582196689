"""Listing users: the filter (a subset of SCIM), the sort fields, cursors and pages of ``GET /api/v1/users``.

Pure functions over users; what users.d.ts leaves open is decided in docs/emulator.md ("Users API").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ... import scim
from .exceptions import UserBadRequest
from .models import User, UserStatus
from .roles import ROLES

LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX = 20, 100
_SORT_FIELDS: dict[str, Callable[[User], str]] = {
    "name": lambda u: u.name.lower(),
    "id": lambda u: u.id,
    "_id": lambda u: u.id,
    "email": lambda u: (u.email or "").lower(),
    "subject": lambda u: u.subject.lower(),
    "status": lambda u: u.status.value,
    "createdAt": lambda u: u.created.isoformat(),
    # Users without one (active, bot users) sort after every invited user, as a missing value does.
    "inviteExpiry": lambda u: f"{u.invite_expiry():012d}" if u.invite_expiry() is not None else "~",
    "clientId": lambda u: u.client_id or "",
    "tenantId": lambda u: u.tenant_id,
}
_FILTER_EQ: dict[str, Callable[[User], list[str]]] = {
    "id": lambda u: [u.id],
    "subject": lambda u: [u.subject],
    "name": lambda u: [u.name],
    "email": lambda u: [u.email or ""],
    "status": lambda u: [u.status.value],
    "clientid": lambda u: [u.client_id or ""],
    "assignedroles.name": lambda u: list(u.roles),
    "assignedroles.id": lambda u: [ROLES[r].id for r in u.roles if r in ROLES],
    # The emulator's users belong to no group and hold no scope: these match nothing.
    "assignedgroups.id": lambda u: [],
    "assignedgroupsassignedroles.name": lambda u: [],
    "assignedscopes": lambda u: [],
}
_FILTER_CO = frozenset({"name", "email", "subject"})

UserPredicate = Callable[[User], bool]


@dataclass(frozen=True)
class UserQuery:
    """What a listing asks for: every predicate must match; ``sort`` as ``[+-]field``; at most one cursor."""

    predicates: Sequence[UserPredicate]
    sort: str | None
    limit: int
    next_cursor: str | None
    prev_cursor: str | None


@dataclass(frozen=True)
class UserPage:
    """One page of a user listing, with the cursors of its neighbours (None when there is none)."""

    users: list[User]
    next_cursor: str | None
    prev_cursor: str | None
    total: int


def _sort_key(sort: str) -> Callable[[User], tuple[str, str]]:
    field_name = sort.lstrip("+-")
    key = _SORT_FIELDS.get(field_name)
    if key is None:
        raise UserBadRequest(
            f"cannot sort by {field_name!r}; use one of {', '.join(_SORT_FIELDS)}", parameter="sort"
        )
    return lambda u: (key(u), u.id)


def _cursor_index(ids: list[str], cursor: str, parameter: str) -> int:
    try:
        return ids.index(cursor)
    except ValueError:
        raise UserBadRequest(f"{parameter} is not a cursor of this listing", parameter=parameter) from None


def page_of(users: Iterable[User], query: UserQuery) -> UserPage:
    """The users matching every predicate, sorted, one page after/before a cursor."""
    if query.next_cursor and query.prev_cursor:
        raise UserBadRequest("next and prev cannot be used together", parameter="next")
    matching = [u for u in users if all(p(u) for p in query.predicates)]
    sort, limit = query.sort, query.limit
    matching.sort(key=_sort_key(sort or "+name"), reverse=(sort or "+").startswith("-"))
    ids = [u.id for u in matching]
    start = 0
    if query.next_cursor:
        start = _cursor_index(ids, query.next_cursor, "next") + 1
    elif query.prev_cursor:
        start = max(0, _cursor_index(ids, query.prev_cursor, "prev") - limit)
    page = matching[start : start + limit]
    has_next = start + limit < len(matching)
    return UserPage(
        users=page,
        next_cursor=page[-1].id if page and has_next else None,
        prev_cursor=page[0].id if page and start > 0 else None,
        total=len(matching),
    )


def parse_filter(text: str) -> list[UserPredicate]:
    """The users spec's filter: SCIM (RFC 7644) clauses with ``and``, ``or``, ``not`` and parentheses.

    ``<attr> eq "<value>"`` for the spec's ``eq`` attributes, ``co`` on name/email/subject; case-insensitive
    as Qlik documents; ``and`` binds tighter than ``or``. The spec's rule for status ("any filters for status
    must be grouped together and applied to the whole query") is enforced: status clauses must all sit in
    one group that the whole query is ``and``-ed with. Anything else is a 400 naming the problem.
    """
    try:
        node = scim.parse(text, _clause)
    except scim.FilterSyntaxError as exc:
        raise _bad_filter(str(exc)) from None
    _check_status_grouping(node)
    return [node.matches]


def _bad_filter(detail: str) -> UserBadRequest:
    return UserBadRequest(f"filter: {detail}", parameter="filter")


def _clause(attribute: str, operator: str, value: str) -> UserPredicate:
    name = attribute.lower()
    if name not in _FILTER_EQ or operator not in {"eq", "co"}:
        raise _bad_filter(
            f"cannot filter on {attribute} with {operator}; eq works on "
            f"{', '.join(sorted(_FILTER_EQ))}, co on {', '.join(sorted(_FILTER_CO))}"
        )
    if operator == "co" and name not in _FILTER_CO:
        raise _bad_filter(f"co works on {', '.join(sorted(_FILTER_CO))}, not on {attribute}")
    return _predicate(_FILTER_EQ[name], operator, value.lower())


def _check_status_grouping(node: scim.Node[User]) -> None:
    """Status clauses all in one group, ``and``-ed with the rest of the query (the spec's rule)."""
    attributes = {a.lower() for a in node.attributes()}
    if "status" not in attributes or attributes == {"status"}:
        return
    with_status = [c for c in scim.conjuncts(node) if "status" in {a.lower() for a in c.attributes()}]
    if len(with_status) != 1 or {a.lower() for a in with_status[0].attributes()} != {"status"}:
        raise _bad_filter(
            "filters for status must be grouped together and applied to the whole query, e.g."
            ' (name eq "Bob" or name eq "Alice") and (status eq "active" or status eq "disabled")'
        )


def _predicate(getter: Callable[[User], list[str]], operator: str, value: str) -> UserPredicate:
    if operator == "eq":
        return lambda u: any(v.lower() == value for v in getter(u))
    return lambda u: any(value in v.lower() for v in getter(u))


def equals(attribute: str, value: str) -> UserPredicate:
    """The predicate of a deprecated single-attribute query parameter (``email=``, ``subject=``)."""
    return _predicate(_FILTER_EQ[attribute], "eq", value.lower())


def status_in(statuses: list[str]) -> UserPredicate:
    """The deprecated ``status=`` parameter: any of comma-separated statuses."""
    allowed = {s.value for s in UserStatus}
    for status in statuses:
        if status not in allowed:
            raise UserBadRequest(f"unknown status {status!r}", parameter="status")
    return lambda u: u.status.value in statuses
