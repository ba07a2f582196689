"""Input checks every child of a tenant shares (`QlikUser`, `QlikGroup`, `QlikIdentityProvider`, ...).

Each function takes one known input value and returns it normalised, or raises `ValueError` with a message that
says what is wrong and how to fix it (the caller prefixes the field name). Nothing here talks to Qlik or Pulumi.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from pulumi_qlik.engine.object_spec import Field
from pulumi_qlik.engine.unknowns import is_unknown
from pulumi_qlik.regions import is_hostname, region_of_host


def tenant_hostname(value: Any) -> str:
    """A tenant's bare hostname, lower-cased, in a known region."""
    if value is None or value == "":
        raise ValueError("required; pass the tenant's hostname, e.g. `tenant_hostname=tenant.hostname`")
    if not isinstance(value, str):
        raise ValueError(f"must be a string, got {type(value).__name__}")
    host = value.strip().lower().rstrip(".")
    if not is_hostname(host) or region_of_host(host) is None:
        raise ValueError(
            f"{value!r} is not a tenant hostname; give it bare, as `<name>.<region>.qlikcloud.com`"
            " (no scheme, port or path), e.g. the `hostname` output of a QlikTenant"
        )
    return host


def flag(value: Any, *, default: bool) -> bool:
    """A true/false input; unset gives `default`."""
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, got {value!r}")
    return value


def adopt_existing(value: Any) -> bool:
    """Whether create may take over an object that already exists with the same unique key (default false)."""
    return flag(value, default=False)


def text(value: Any, *, max_length: int, example: str) -> str:
    """A required, non-blank string, trimmed, at most `max_length` characters."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"required and must not be blank, e.g. {example}")
    if not isinstance(value, str):
        raise ValueError(f"must be a string, got {type(value).__name__}")
    if len(value.strip()) > max_length:
        raise ValueError(f"must be at most {max_length} characters (got {len(value.strip())})")
    return value.strip()


def optional_text(value: Any, *, max_length: int) -> str | None:
    """An optional string, kept as given (a description's spaces are the user's), at most `max_length` long."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"must be a string, got {type(value).__name__}")
    if len(value) > max_length:
        raise ValueError(f"must be at most {max_length} characters (got {len(value)})")
    return value


def tenant_hostname_field(what: str) -> Field:
    """`tenant_hostname`, the same on every object on a tenant: another tenant is another object."""
    return Field(
        name="tenant_hostname",
        check=tenant_hostname,
        doc=f"The tenant's hostname, e.g. a `QlikTenant`'s `hostname` output. Changing it replaces the {what}.",
        replace=True,
        required=True,
        pending_in_place=True,  # a tenant's hostname is unknown in the plan of any update of the tenant
    )


def adopt_existing_field(what: str, key: str) -> Field:
    """`adopt_existing`, the same on every object on a tenant that can already exist."""
    article = "an" if what[0].lower() in "aeio" else "a"  # an extension, an OAuth client; a user
    return Field(
        name="adopt_existing",
        check=adopt_existing,
        doc=(
            f"On create, take over {article} {what} with the same {key} that was not made by this resource (made by"
            " hand, or by another stack) instead of failing; default false. Not needed to recover from a"
            " create whose answer was lost: that one is found and recorded on its own."
        ),
        provider_only=True,
    )


ROLE_NAME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_ -]{0,99}$")


def set_of(
    value: Any,
    item: Callable[[Any], str],
    *,
    is_unknown: Callable[[Any], bool] = is_unknown,
) -> list[Any]:
    """A list Qlik keeps as a set (roles): each known item checked and normalised by `item`, de-duplicated and
    sorted, since order and repeats carry no meaning and neither may cause a diff; items still unknown at
    preview kept after them. `value` must already be a list or tuple."""
    known: set[str] = set()
    unknown: list[Any] = []
    for each in value:
        if is_unknown(each):
            unknown.append(each)
        else:
            known.add(item(each))
    return [*sorted(known), *unknown]


def role_name(examples: str) -> Callable[[Any], str]:
    """A tenant role's name, checked (the check of `set_of`); `examples` as `"TenantAdmin" or "DataAdmin"`."""

    def check(role: Any) -> str:
        if not isinstance(role, str) or not ROLE_NAME.match(role.strip()):
            raise ValueError(f"{role!r} is not a role name; use names such as {examples}")
        return role.strip()

    return check
