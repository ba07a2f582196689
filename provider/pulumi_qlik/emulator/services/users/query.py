"""Listing users: the filter (a subset of SCIM), the sort fields, cursors and pages of ``GET /api/v1/users``.

Pure functions over users; what users.d.ts leaves open is decided in docs/emulator.md ("Users API").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

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
    parser = _FilterParser(_tokens(text))
    node = parser.expression()
    parser.expect_end()
    _check_status_grouping(node)
    return [node.matches]


_TOKEN_RE = re.compile(r'\s*(?:(?P<paren>[()])|"(?P<string>(?:[^"\\]|\\.)*)"|(?P<word>[^\s()"]+))')


def _bad_filter(detail: str) -> UserBadRequest:
    return UserBadRequest(f"filter: {detail}", parameter="filter")


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: ``(``/``)``, a quoted ``string`` (unescaped), or a ``word``."""
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        found = _TOKEN_RE.match(text, position)
        if found is None or found.end() == position:
            raise _bad_filter(f"cannot read {text[position:]!r} (is a quote missing?)")
        position = found.end()
        if found.group("paren"):
            tokens.append(("paren", found.group("paren")))
        elif found.group("string") is not None:
            tokens.append(("string", re.sub(r"\\(.)", r"\1", found.group("string"))))
        else:
            tokens.append(("word", found.group("word")))
    if not tokens:
        raise _bad_filter("is empty")
    return tokens


@dataclass(frozen=True)
class _Clause:
    attribute: str
    operator: str
    value: str

    def matches(self, user: User) -> bool:
        values = (v.lower() for v in _FILTER_EQ[self.attribute](user))
        if self.operator == "eq":
            return any(v == self.value for v in values)
        return any(self.value in v for v in values)

    def attributes(self) -> set[str]:
        return {self.attribute}


@dataclass(frozen=True)
class _Not:
    operand: _Node

    def matches(self, user: User) -> bool:
        return not self.operand.matches(user)

    def attributes(self) -> set[str]:
        return self.operand.attributes()


@dataclass(frozen=True)
class _Join:
    operator: str
    """``and`` or ``or``."""
    operands: tuple[_Node, ...]

    def matches(self, user: User) -> bool:
        results = (operand.matches(user) for operand in self.operands)
        return all(results) if self.operator == "and" else any(results)

    def attributes(self) -> set[str]:
        return set().union(*(operand.attributes() for operand in self.operands))


_Node = _Clause | _Not | _Join


class _FilterParser:
    """Recursive descent: expression = term {or term}; term = factor {and factor};
    factor = not factor | ( expression ) | attribute operator "value"."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self._tokens = tokens
        self._at = 0

    def _peek(self) -> tuple[str, str] | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _next(self, wanted: str) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise _bad_filter(f"ends where {wanted} was expected")
        self._at += 1
        return token

    def _keyword(self, word: str) -> bool:
        token = self._peek()
        if token is not None and token[0] == "word" and token[1].lower() == word:
            self._at += 1
            return True
        return False

    def expect_end(self) -> None:
        token = self._peek()
        if token is not None:
            raise _bad_filter(f"unexpected {token[1]!r}: join clauses with and / or")

    def expression(self) -> _Node:
        operands = [self._term()]
        while self._keyword("or"):
            operands.append(self._term())
        return operands[0] if len(operands) == 1 else _Join("or", tuple(operands))

    def _term(self) -> _Node:
        operands = [self._factor()]
        while self._keyword("and"):
            operands.append(self._factor())
        return operands[0] if len(operands) == 1 else _Join("and", tuple(operands))

    def _factor(self) -> _Node:
        if self._keyword("not"):
            return _Not(self._factor())
        token = self._next("a clause")
        if token == ("paren", "("):
            inner = self.expression()
            if self._next("')'") != ("paren", ")"):
                raise _bad_filter("a '(' is not closed")
            return inner
        if token[0] != "word":
            raise _bad_filter(f"unexpected {token[1]!r} where an attribute was expected")
        attribute = token[1].lower()
        operator_token = self._next("an operator")
        operator = operator_token[1].lower()
        value = self._next("a quoted value")
        if value[0] != "string":
            raise _bad_filter(f'the value of {token[1]} must be quoted: {token[1]} {operator} "..."')
        if attribute not in _FILTER_EQ or operator not in {"eq", "co"}:
            raise _bad_filter(
                f"cannot filter on {token[1]} with {operator_token[1]}; eq works on "
                f"{', '.join(sorted(_FILTER_EQ))}, co on {', '.join(sorted(_FILTER_CO))}"
            )
        if operator == "co" and attribute not in _FILTER_CO:
            raise _bad_filter(f"co works on {', '.join(sorted(_FILTER_CO))}, not on {token[1]}")
        return _Clause(attribute, operator, value[1].lower())


def _check_status_grouping(node: _Node) -> None:
    """Status clauses all in one group, ``and``-ed with the rest of the query (the spec's rule)."""
    if "status" not in node.attributes() or node.attributes() == {"status"}:
        return
    conjuncts = node.operands if isinstance(node, _Join) and node.operator == "and" else (node,)
    with_status = [c for c in conjuncts if "status" in c.attributes()]
    if len(with_status) != 1 or with_status[0].attributes() != {"status"}:
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
