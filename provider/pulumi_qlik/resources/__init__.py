"""One module per resource (its `XArgs`, the `X` resource and `XProvider`), its input checks beside it in `X_inputs`."""

from __future__ import annotations

import importlib
from typing import Final

SPEC_MODULES: Final = (
    "user",
    "group",
    "identity_provider",
    "space",
    "space_assignment",
    "web_integration",
    "csp_origin",
    "oauth_client",
    "data_connection",
    "reload_schedule",
    "theme",
    "extension",
)
"""The resources built from a spec (`engine.object_spec.REGISTRY`), in the order the reference lists them."""


def load_specs() -> None:
    """Import every resource built from a spec, so that all of them are in the registry."""
    for name in SPEC_MODULES:
        importlib.import_module(f"{__name__}.{name}")
