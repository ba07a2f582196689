"""The checks of `QlikSpace`'s inputs: one validator per field, naming the fix.

Nothing here talks to Qlik or Pulumi; a value not known yet (preview) never reaches a validator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from pulumi_qlik.client.models import SPACE_TYPES

from . import child_inputs

MAX_NAME_LENGTH: Final = 256
MAX_DESCRIPTION_LENGTH: Final = 4096

# Qlik's SpaceCreate pattern: none of " * ? < > / | \ :
_NAME_FORBIDDEN: Final = re.compile(r'["*?<>/|\\:]')


def space_name(value: Any) -> str:
    name = child_inputs.text(value, max_length=MAX_NAME_LENGTH, example='"Analytics"')
    bad = sorted(set(_NAME_FORBIDDEN.findall(name)))
    if bad:
        raise ValueError(
            f"{name!r} holds {' '.join(bad)}, which Qlik does not allow in a space name;"
            ' use letters, digits, spaces and punctuation other than " * ? < > / | \\ :'
        )
    return name


def space_type(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in SPACE_TYPES:
        raise ValueError(f"{value!r} is not a space type; use one of {', '.join(map(repr, SPACE_TYPES))}")
    return value.strip().lower()


def description(value: Any) -> str | None:
    return child_inputs.optional_text(value, max_length=MAX_DESCRIPTION_LENGTH)


VALIDATORS: Final[dict[str, Callable[[Any], Any]]] = {
    "tenant_hostname": child_inputs.tenant_hostname,
    "name": space_name,
    "type": space_type,
    "description": description,
    "adopt_existing": child_inputs.adopt_existing,
}
