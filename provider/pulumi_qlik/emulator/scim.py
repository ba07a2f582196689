"""SCIM filter expressions (RFC 7644 3.4.2.2) as Qlik's list APIs take them: clauses ``attr op "value"``
joined by ``and``, ``or``, ``not`` and parentheses, ``and`` binding tighter than ``or``.

The users, groups and Organization (tenants) APIs share this grammar; each says which attributes and
operators it takes through the ``clause`` callback, which turns one clause into a predicate (or raises its
API's 400). Keywords and operators are case-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

ClauseFactory = Callable[[str, str, str], Callable[[T], bool]]
"""(attribute as written, operator in lower case, value unquoted) -> the predicate of that clause."""

_TOKEN_RE = re.compile(r'\s*(?:(?P<paren>[()])|"(?P<string>(?:[^"\\]|\\.)*)"|(?P<word>[^\s()"]+))')


class FilterSyntaxError(ValueError):
    """A filter the grammar cannot read; the API turns the message into its own 400."""


@dataclass(frozen=True)
class Clause(Generic[T]):
    attribute: str
    predicate: Callable[[T], bool]

    def matches(self, item: T) -> bool:
        return self.predicate(item)

    def attributes(self) -> set[str]:
        return {self.attribute}


@dataclass(frozen=True)
class Not(Generic[T]):
    operand: Node[T]

    def matches(self, item: T) -> bool:
        return not self.operand.matches(item)

    def attributes(self) -> set[str]:
        return self.operand.attributes()


@dataclass(frozen=True)
class Join(Generic[T]):
    operator: str
    """``and`` or ``or``."""
    operands: tuple[Node[T], ...]

    def matches(self, item: T) -> bool:
        results = (operand.matches(item) for operand in self.operands)
        return all(results) if self.operator == "and" else any(results)

    def attributes(self) -> set[str]:
        return set().union(*(operand.attributes() for operand in self.operands))


Node = Clause[T] | Not[T] | Join[T]


def parse(text: str, clause: ClauseFactory[T]) -> Node[T]:
    """The expression tree of ``text``; :class:`FilterSyntaxError` (or the factory's error) when unreadable."""
    parser = _Parser(_tokens(text), clause)
    node = parser.expression()
    token = parser.peek()
    if token is not None:
        raise FilterSyntaxError(f"unexpected {token[1]!r}: join clauses with and / or")
    return node


def conjuncts(node: Node[T]) -> tuple[Node[T], ...]:
    """The parts the whole expression is ``and``-ed from (the node itself when it is no ``and``)."""
    return node.operands if isinstance(node, Join) and node.operator == "and" else (node,)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: ``(``/``)``, a quoted ``string`` (unescaped), or a ``word``."""
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        found = _TOKEN_RE.match(text, position)
        if found is None or found.end() == position:
            raise FilterSyntaxError(f"cannot read {text[position:]!r} (is a quote missing?)")
        position = found.end()
        if found.group("paren"):
            tokens.append(("paren", found.group("paren")))
        elif found.group("string") is not None:
            tokens.append(("string", re.sub(r"\\(.)", r"\1", found.group("string"))))
        else:
            tokens.append(("word", found.group("word")))
    if not tokens:
        raise FilterSyntaxError("is empty")
    return tokens


class _Parser(Generic[T]):
    """Recursive descent: expression = term {or term}; term = factor {and factor};
    factor = not factor | ( expression ) | attribute operator "value"."""

    def __init__(self, tokens: list[tuple[str, str]], clause: ClauseFactory[T]) -> None:
        self._tokens = tokens
        self._clause = clause
        self._at = 0

    def peek(self) -> tuple[str, str] | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _next(self, wanted: str) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise FilterSyntaxError(f"ends where {wanted} was expected")
        self._at += 1
        return token

    def _keyword(self, word: str) -> bool:
        token = self.peek()
        if token is not None and token[0] == "word" and token[1].lower() == word:
            self._at += 1
            return True
        return False

    def expression(self) -> Node[T]:
        operands = [self._term()]
        while self._keyword("or"):
            operands.append(self._term())
        return operands[0] if len(operands) == 1 else Join("or", tuple(operands))

    def _term(self) -> Node[T]:
        operands = [self._factor()]
        while self._keyword("and"):
            operands.append(self._factor())
        return operands[0] if len(operands) == 1 else Join("and", tuple(operands))

    def _factor(self) -> Node[T]:
        if self._keyword("not"):
            return Not(self._factor())
        token = self._next("a clause")
        if token == ("paren", "("):
            inner = self.expression()
            if self._next("')'") != ("paren", ")"):
                raise FilterSyntaxError("a '(' is not closed")
            return inner
        if token[0] != "word":
            raise FilterSyntaxError(f"unexpected {token[1]!r} where an attribute was expected")
        operator = self._next("an operator")
        if operator[0] != "word":
            raise FilterSyntaxError(f"unexpected {operator[1]!r} where an operator was expected")
        value = self._next("a quoted value")
        if value[0] != "string":
            raise FilterSyntaxError(f'the value of {token[1]} must be quoted: {token[1]} {operator[1]} "..."')
        return Clause(token[1], self._clause(token[1], operator[1].lower(), value[1]))
