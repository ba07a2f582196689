"""The checks of `QlikSpaceAssignment`'s inputs: one validator per field, naming the fix, and the roles a space
type accepts (checked at preview when the space's type is known).

Nothing here talks to Qlik or Pulumi; a value not known yet (preview) never reaches a validator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from pulumi_qlik.client.models import ASSIGNABLE_ROLES
from pulumi_qlik.engine.unknowns import is_unknown

from . import child_inputs
from .space_inputs import space_type

ASSIGNEE_TYPES: Final = ("group", "user")
ALL_ROLES: Final = frozenset(role for roles in ASSIGNABLE_ROLES.values() for role in roles)

_ID: Final = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def optional_space_type(value: Any) -> str | None:
    return None if value is None else space_type(value)


def object_id(example: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value is None or value == "":
            raise ValueError(f"required; pass the id output of the object, e.g. `{example}`")
        if not isinstance(value, str) or not _ID.match(value.strip()):
            raise ValueError(
                f"{value!r} is not a Qlik id; pass the id output of the object, e.g. `{example}`"
            )
        return value.strip()

    return check


def assignee_type(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in ASSIGNEE_TYPES:
        raise ValueError(
            f'{value!r} is not an assignee type; use "group" (assignee_id=group.group_id)'
            ' or "user" (assignee_id=user.user_id)'
        )
    return value.strip().lower()


def roles(value: Any) -> list[Any]:
    """Known role names lower-cased, de-duplicated and sorted; unknown items (preview) kept after them."""
    if not isinstance(value, list | tuple) or not value:
        raise ValueError('must be a non-empty list of space roles, e.g. ["consumer"]')
    return child_inputs.set_of(value, _space_role)


def _space_role(role: Any) -> str:
    if not isinstance(role, str) or role.strip().lower() not in ALL_ROLES:
        raise ValueError(
            f"{role!r} is not a space role; Qlik's space roles are {', '.join(sorted(ALL_ROLES))}"
        )
    return role.strip().lower()


def roles_outside(space_kind: str, wanted: list[Any]) -> list[str]:
    """The known roles of `wanted` that a space of type `space_kind` does not accept."""
    allowed = ASSIGNABLE_ROLES.get(space_kind, ())
    return [role for role in wanted if isinstance(role, str) and role not in allowed]


def roles_message(space_kind: str, bad: list[str], where: str) -> str:
    allowed = ", ".join(ASSIGNABLE_ROLES.get(space_kind, ()))
    return (
        f"roles: {', '.join(bad)} cannot be assigned in a {space_kind} space ({where}); a {space_kind} space"
        f" takes {allowed}"
    )


def roles_fit_space_type(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Roles against `space_type` when both are known: the earliest check there is (preview)."""
    kind, wanted = inputs.get("space_type"), inputs.get("roles")
    if kind is None or is_unknown(kind) or not isinstance(wanted, list):
        return []
    bad = roles_outside(kind, wanted)
    return [("roles", roles_message(kind, bad, "space_type"))] if bad else []


VALIDATORS: Final[dict[str, Callable[[Any], Any]]] = {
    "tenant_hostname": child_inputs.tenant_hostname,
    "space_id": object_id("space_id=space.space_id"),
    "assignee_type": assignee_type,
    "assignee_id": object_id("assignee_id=group.group_id"),
    "roles": roles,
    "space_type": optional_space_type,
    "adopt_existing": child_inputs.adopt_existing,
}
