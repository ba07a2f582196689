"""What a program asks of a tenant's settings: `QlikTenantSettings`'s inputs, checked (no Qlik, no Pulumi)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from . import child_inputs

FLAGS: Final = ("auto_create_groups", "auto_assign_professional", "auto_assign_analyzer")
"""Each changes in place; unset leaves the tenant's value as it is."""
INPUT_NAMES: Final = ("tenant_hostname", *FLAGS)
REPLACE_ON_CHANGE: Final = ("tenant_hostname",)
SECRET_CAPABLE: Final = ("tenant_hostname",)
OWNER: Final = "settings_owner"
"""An input the resource sets itself: its name, which claims the tenant (see `tenant_settings`)."""


def _optional_flag(value: Any) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false (or unset to leave the tenant's value), got {value!r}")
    return value


def _owner(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("is set by QlikTenantSettings itself; create the resource with its constructor")
    return value


VALIDATORS: Final[dict[str, Callable[[Any], Any]]] = {
    "tenant_hostname": child_inputs.tenant_hostname,
    **{flag: _optional_flag for flag in FLAGS},
    OWNER: _owner,
}
