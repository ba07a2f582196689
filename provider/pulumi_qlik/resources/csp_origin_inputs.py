"""The checks of `QlikCspOrigin`'s inputs: one validator per field, naming the fix.

The origin is normalised as a web integration's are (`web_integration_inputs.normalise_origin`), except that the
scheme may be left out and the host may start with `*.`, as Qlik's CSP entries allow.
Nothing here talks to Qlik or Pulumi; a value not known yet (preview) never reaches a validator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from pulumi_qlik.client.models import CSP_DIRECTIVES
from pulumi_qlik.engine.unknowns import is_unknown

from . import child_inputs
from .web_integration_inputs import ORIGIN_EXAMPLE, normalise_origin

DIRECTIVE_DEFAULTS: Final = {name: name == "frame_ancestors" for name in CSP_DIRECTIVES}
"""Only `frame_ancestors` (embedding the tenant in the origin's pages) is on unless asked."""
MAX_NAME_LENGTH: Final = 512
MAX_DESCRIPTION_LENGTH: Final = 1024
MAX_ORIGIN_LENGTH: Final = 256


def csp_origin(value: Any) -> str:
    """A CSP source: ``[scheme://]host[:port]``, the host may start with ``*.``; normalised as `web_origin`."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            f"required; give the origin the directives apply to, e.g. {ORIGIN_EXAMPLE} or *.example.com"
        )
    origin = normalise_origin(value.strip(), scheme_required=False, wildcard=True)
    if len(origin) > MAX_ORIGIN_LENGTH:
        raise ValueError(f"must be at most {MAX_ORIGIN_LENGTH} characters (got {len(origin)})")
    return origin


def _directive(name: str) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return child_inputs.flag(value, default=DIRECTIVE_DEFAULTS[name])

    return check


def some_directive(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """An entry that allows its origin nothing is a mistake: say so (unknown flags may yet be true)."""
    flags = [inputs.get(name) for name in CSP_DIRECTIVES]
    if any(flag is True or is_unknown(flag) for flag in flags):
        return []
    return [
        (
            "frame_ancestors",
            "frame_ancestors: every directive is false, so this entry would allow the origin nothing; set"
            " frame_ancestors=True (to embed the tenant) or another directive such as script_src",
        )
    ]


VALIDATORS: Final[dict[str, Callable[[Any], Any]]] = {
    "tenant_hostname": child_inputs.tenant_hostname,
    "name": lambda value: child_inputs.text(value, max_length=MAX_NAME_LENGTH, example='"Customer portal"'),
    "origin": csp_origin,
    "description": lambda value: child_inputs.optional_text(value, max_length=MAX_DESCRIPTION_LENGTH),
    **{name: _directive(name) for name in CSP_DIRECTIVES},
    "adopt_existing": child_inputs.adopt_existing,
}
