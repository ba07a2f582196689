"""Pulumi provider for Qlik Cloud tenants.

The Pulumi-facing names load lazily, so that `pulumi_qlik.client` and `pulumi_qlik.emulator` can be used
without importing the Pulumi SDK.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi_qlik.functions.entitlement import (
        EntitlementError,
        get_entitlement_key,
        get_entitlement_key_output,
        get_license_overview,
    )
    from pulumi_qlik.resources.tenant import QlikTenant, QlikTenantArgs
    from pulumi_qlik.resources.user import QlikUser, QlikUserArgs

_EXPORTS = {
    "EntitlementError": "pulumi_qlik.functions.entitlement",
    "get_entitlement_key": "pulumi_qlik.functions.entitlement",
    "get_entitlement_key_output": "pulumi_qlik.functions.entitlement",
    "get_license_overview": "pulumi_qlik.functions.entitlement",
    "QlikTenant": "pulumi_qlik.resources.tenant",
    "QlikTenantArgs": "pulumi_qlik.resources.tenant",
    "QlikUser": "pulumi_qlik.resources.user",
    "QlikUserArgs": "pulumi_qlik.resources.user",
}

_STARTS_PROVIDER = frozenset({"get_entitlement_key_output", "QlikTenant", "QlikUser"})
"""Names a program takes to declare dynamic resources: their provider process can start while they import."""

__all__ = [
    "EntitlementError",
    "QlikTenant",
    "QlikTenantArgs",
    "QlikUser",
    "QlikUserArgs",
    "get_entitlement_key",
    "get_entitlement_key_output",
    "get_license_overview",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pulumi_qlik' has no attribute {name!r}")
    if name in _STARTS_PROVIDER and "pulumi" in sys.modules:
        # In a Pulumi program: the engine starts the provider process while this import (the client, httpx,
        # pydantic) takes its share of the program's start (see engine/early_start.py).
        importlib.import_module("pulumi_qlik.engine.early_start").start_provider_early()
    return getattr(importlib.import_module(module), name)
