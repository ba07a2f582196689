"""Names for an imported program: Python identifiers, Pulumi resource names and config keys out of whatever
Qlik objects are called (unicode, spaces, keywords, repeats), and Python literals that hold any text."""

from __future__ import annotations

import keyword
import re
import unicodedata
from typing import Any


def slug(text: str, fallback: str) -> str:
    """Lowercase ASCII letters, digits and `_` (accents dropped, other scripts gone); `fallback` when nothing
    is left. Always a valid identifier: never starts with a digit, never a keyword."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    cleaned = cleaned[:40].rstrip("_") or fallback
    if cleaned[0].isdigit():
        cleaned = f"{fallback}_{cleaned}"
    if keyword.iskeyword(cleaned) or keyword.issoftkeyword(cleaned):
        cleaned += "_"
    return cleaned


class Names:
    """Hands out unique identifiers within one module (the same text twice gets `_2`, `_3`, ...)."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self._taken: set[str] = set(taken or ())

    def new(self, text: str, fallback: str) -> str:
        base = slug(text, fallback)
        name, n = base, 1
        while name in self._taken:
            n += 1
            name = f"{base}_{n}"
        self._taken.add(name)
        return name


def literal(value: Any) -> str:
    """A Python literal for a str, bool, int, None or a list of them; `repr` escapes what a source file cannot
    hold as is (quotes, backslashes, control characters) and keeps printable unicode readable."""
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if value is None or isinstance(value, bool | int | str):
        return repr(value)
    raise TypeError(f"no literal for {type(value).__name__}")


def resource_name(module: str, variable: str) -> str:
    """The Pulumi name: unique in the stack because the module (one per tenant) is its prefix."""
    return f"{module}-{variable}".replace("_", "-")
