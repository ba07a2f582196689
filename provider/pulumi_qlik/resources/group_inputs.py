"""What a program asks of a tenant group: `QlikGroup`'s inputs, checked and normalised (no Qlik, no Pulumi)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from pulumi_qlik.engine.unknowns import is_unknown

from . import child_inputs

MAX_NAME_LENGTH: Final = 256
MAX_DESCRIPTION_LENGTH: Final = 256
MAX_ROLES: Final = 100

_ROLE = re.compile(r"^[A-Za-z][A-Za-z0-9_ -]{0,99}$")


def _name(value: Any) -> str:
    name = child_inputs.text(value, max_length=MAX_NAME_LENGTH, example='`name="Customers"`')
    if name != value:
        raise ValueError(
            f"must not start or end with spaces: Qlik matches group names exactly, so write {name!r}"
        )
    return name


def _roles(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ValueError('must be a list of role names, e.g. `assigned_roles=["AnalyticsAdmin"]`')
    known: set[str] = set()
    unknown: list[Any] = []
    for role in value:
        if is_unknown(role):
            unknown.append(role)
        elif not isinstance(role, str) or not _ROLE.match(role.strip()):
            raise ValueError(
                f'{role!r} is not a role name; use names such as "AnalyticsAdmin" or "DataAdmin"'
            )
        else:
            known.add(role.strip())
    if len(known) + len(unknown) > MAX_ROLES:
        raise ValueError(f"Qlik allows at most {MAX_ROLES} roles per group")
    # Qlik keeps roles as a set: order and repeats carry no meaning, so neither may cause a diff.
    return [*sorted(known), *unknown]


VALIDATORS: Final[dict[str, Callable[[Any], Any]]] = {
    "tenant_hostname": child_inputs.tenant_hostname,
    "name": _name,
    "assigned_roles": _roles,
    "description": lambda value: child_inputs.optional_text(value, max_length=MAX_DESCRIPTION_LENGTH),
    "adopt_existing": child_inputs.adopt_existing,
}
