"""The provider process's logging, with the values a program marked secret kept out of logs and errors.

The engine hands a dynamic provider its inputs in plain text and never says which were secret, so each resource
sends the names of its secret inputs along (`secret_inputs`); while the provider works on that resource, every
log record and every error it raises has those values replaced by `[secret]`.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

REDACTED = "[secret]"
SECRET_INPUTS = "secret_inputs"
"""The input listing the *names* of a resource's secret inputs (never their values)."""

_hidden: ContextVar[tuple[str, ...]] = ContextVar("pulumi_qlik_hidden_values", default=())


class HiddenValueError(RuntimeError):
    """An error whose message carried a secret value; raised instead of it, with the value replaced."""


def checked_secret_input_names(names: Any, allowed: Collection[str]) -> Any:
    """The checked value of `SECRET_INPUTS`: the names among `allowed`, sorted. Anything that is not a list,
    a string or None is the engine's unknown (preview) and is kept as it is."""
    if not isinstance(names, list | tuple):
        return names if names is not None and not isinstance(names, str) else None
    return sorted(n for n in names if n in allowed) or None


def secret_values(props: Mapping[str, Any], *, labels_of: Collection[str] = ()) -> set[str]:
    """Every form in which a secret input of `props` may show in a message: as given, trimmed, lowercase, and
    for the inputs in `labels_of` (hostnames written as a label) the first DNS label too."""
    names = props.get(SECRET_INPUTS)
    if not isinstance(names, list | tuple):
        return set()
    values: set[str] = set()
    for name in names:
        value = props.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        values.update({value, value.strip(), value.strip().lower()})
        if name in labels_of:
            values.add(value.strip().lower().rstrip(".").split(".")[0])
    return {v for v in values if len(v) >= 3}


def redact(text: str, values: Iterable[str] | None = None) -> str:
    for value in sorted(set(_hidden.get() if values is None else values), key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


@contextmanager
def hiding(values: Iterable[str]) -> Iterator[None]:
    """Hide `values` from logs while the block runs, and from the message of any error leaving it."""
    hidden = tuple(v for v in {*values} if v)
    token = _hidden.set(hidden)
    try:
        yield
    except Exception as exc:
        message = str(exc)
        cleaned = redact(message, hidden)
        if cleaned == message:
            raise
        raise HiddenValueError(f"{type(exc).__name__}: {cleaned}") from None
    finally:
        _hidden.reset(token)


class RedactingFilter(logging.Filter):
    """A handler filter: the record's final message, with the current resource's secret values hidden."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _hidden.get():
            record.msg = redact(record.getMessage())
            record.args = None
        return True


def configure_logging(log_file: str | None) -> None:
    """Provider-process logging: warnings to stderr (the engine shows them), everything to `qlik:logFile`."""
    root = logging.getLogger("pulumi_qlik")
    if getattr(root, "_pulumi_qlik_configured", False):
        return
    root.setLevel(logging.INFO)
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.WARNING)
    stderr.setFormatter(logging.Formatter("qlik: %(message)s"))
    stderr.addFilter(RedactingFilter())
    root.addHandler(stderr)
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root._pulumi_qlik_configured = True  # type: ignore[attr-defined]
