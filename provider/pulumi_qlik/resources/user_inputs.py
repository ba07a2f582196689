"""What a program asks of a tenant user: the checked, normalised form of `QlikUser`'s inputs.

`normalise()` is the one place inputs are cleaned (hostname and email lower-cased, roles de-duplicated and
sorted) and checked, one failure per bad field naming the fix. A value not known yet (during preview) is passed
through untouched and checked once it is known. Nothing here talks to Qlik or to Pulumi.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pulumi_qlik.engine.redaction import SECRET_INPUTS, checked_secret_input_names, secret_values

from . import child_inputs
from .child_inputs import adopt_existing, tenant_hostname

INPUT_NAMES: Final = ("tenant_hostname", "email", "name", "roles", "subject", "send_invite", "adopt_existing")
REPLACE_ON_CHANGE: Final = ("tenant_hostname", "email", "subject")
"""A user is its tenant and its identity: changing either means another user."""

"""The names (never the values) of the inputs the program passed as secrets, so the provider can keep their
values out of its logs and errors: the engine tells a dynamic provider nothing about secrets."""
SECRET_CAPABLE: Final = ("tenant_hostname", "email", "name", "subject")
DERIVED_FROM_EMAIL: Final = ("name", "subject")
"""Outputs that show the email when not given (Qlik names an invited user by email; the subject defaults to it).
Left unset, each becomes a marker input of its own name (the value True), computed from the email, so the engine
keeps that output secret exactly when the email is (it re-marks only same-named outputs of a dynamic resource).
A secret `None` would not do: the engine drops the secret-ness of a null input."""
EMAIL_MARKER: Final = True
MAX_NAME_LENGTH: Final = 256

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class UserSpec:
    """Fully known, normalised inputs of a `QlikUser` (what create and update act on)."""

    tenant_hostname: str
    email: str
    name: str | None
    roles: tuple[str, ...]
    subject: str | None
    send_invite: bool

    @property
    def create_subject(self) -> str:
        """The subject sent on create: the given one, else the email (the person's identity until login)."""
        return self.subject or self.email

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any]) -> UserSpec:
        """From inputs that `normalise` accepted and that are all known (create and update time)."""
        return cls(
            tenant_hostname=str(inputs["tenant_hostname"]),
            email=str(inputs["email"]),
            name=given(inputs.get("name")),
            roles=tuple(inputs.get("roles") or ()),
            subject=given(inputs.get("subject")),
            send_invite=bool(inputs.get("send_invite", True)),
        )


def given(value: Any) -> Any:
    """The value of an optional input, None when unset or only a marker (see `DERIVED_FROM_EMAIL`)."""
    return None if value is None or value is EMAIL_MARKER else value


def normalise(
    inputs: Mapping[str, Any], is_unknown: Callable[[Any], bool]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The normalised inputs, and (field, message) for every bad known field; unknowns pass as they are."""
    result: dict[str, Any] = {name: inputs.get(name) for name in INPUT_NAMES}
    failures: list[tuple[str, str]] = []

    def check(name: str, fix: Callable[[Any], Any]) -> None:
        value = result[name]
        if is_unknown(value):
            return
        try:
            result[name] = fix(value)
        except ValueError as exc:
            failures.append((name, f"{name}: {exc}"))

    check("tenant_hostname", tenant_hostname)
    check("email", _email)
    check("name", _name)
    check("roles", lambda value: _roles(value, is_unknown))
    check("subject", _subject)
    check("send_invite", _send_invite)
    check("adopt_existing", adopt_existing)
    result[SECRET_INPUTS] = checked_secret_input_names(inputs.get(SECRET_INPUTS), SECRET_CAPABLE)
    return result, failures


def hidden_values(props: Mapping[str, Any]) -> set[str]:
    """Every form in which a secret input of `props` may show in a message: as given and normalised."""
    return secret_values(props)


def _email(value: Any) -> str:
    if not isinstance(value, str) or not _EMAIL.match(value.strip()):
        raise ValueError(f"{value!r} is not an email address; give the person's address, e.g. it@example.com")
    # Qlik matches emails case-insensitively: one spelling keeps diffs and adoption stable.
    return value.strip().lower()


def _name(value: Any) -> str | bool | None:
    if value is None or value is EMAIL_MARKER:
        return value  # unset (a marker stays: the engine needs it to keep the output secret)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string, or left unset to keep the name Qlik shows")
    if len(value.strip()) > MAX_NAME_LENGTH:
        raise ValueError(f"must be at most {MAX_NAME_LENGTH} characters")
    return value.strip()


def _roles(value: Any, is_unknown: Callable[[Any], bool]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ValueError('must be a list of role names, e.g. ["TenantAdmin"]')
    return child_inputs.set_of(
        value, child_inputs.role_name('"TenantAdmin" or "AnalyticsAdmin"'), is_unknown=is_unknown
    )


def _subject(value: Any) -> str | bool | None:
    if value is None or value is EMAIL_MARKER:
        return value  # unset (a marker stays: the engine needs it to keep the output secret)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string, or left unset to use the email")
    return value.strip()


def _send_invite(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, got {value!r}")
    return value
