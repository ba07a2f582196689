"""What a program asks of a tenant group: `QlikGroup`'s inputs, checked and normalised (no Qlik, no Pulumi)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from . import child_inputs

MAX_NAME_LENGTH: Final = 256
MAX_DESCRIPTION_LENGTH: Final = 256
MAX_ROLES: Final = 100


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
    roles = child_inputs.set_of(value, child_inputs.role_name('"AnalyticsAdmin" or "DataAdmin"'))
    if len(roles) > MAX_ROLES:
        raise ValueError(f"Qlik allows at most {MAX_ROLES} roles per group")
    return roles


VALIDATORS: Final[dict[str, Callable[[Any], Any]]] = {
    "tenant_hostname": child_inputs.tenant_hostname,
    "name": _name,
    "assigned_roles": _roles,
    "description": lambda value: child_inputs.optional_text(value, max_length=MAX_DESCRIPTION_LENGTH),
    "adopt_existing": child_inputs.adopt_existing,
}
