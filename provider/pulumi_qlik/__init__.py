"""Pulumi provider for Qlik Cloud tenants.

The Pulumi-facing names load lazily, so that `pulumi_qlik.client` and `pulumi_qlik.emulator` can be used
without importing the Pulumi SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi_qlik.functions.entitlement import (
        EntitlementError,
        get_entitlement_key,
        get_entitlement_key_output,
        get_license_overview,
    )
    from pulumi_qlik.resources.group import QlikGroup, QlikGroupArgs
    from pulumi_qlik.resources.identity_provider import QlikIdentityProvider, QlikIdentityProviderArgs
    from pulumi_qlik.resources.tenant import QlikTenant, QlikTenantArgs
    from pulumi_qlik.resources.tenant_settings import QlikTenantSettings, QlikTenantSettingsArgs
    from pulumi_qlik.resources.user import QlikUser, QlikUserArgs

_EXPORTS = {
    "EntitlementError": "pulumi_qlik.functions.entitlement",
    "get_entitlement_key": "pulumi_qlik.functions.entitlement",
    "get_entitlement_key_output": "pulumi_qlik.functions.entitlement",
    "get_license_overview": "pulumi_qlik.functions.entitlement",
    "QlikGroup": "pulumi_qlik.resources.group",
    "QlikGroupArgs": "pulumi_qlik.resources.group",
    "QlikIdentityProvider": "pulumi_qlik.resources.identity_provider",
    "QlikIdentityProviderArgs": "pulumi_qlik.resources.identity_provider",
    "QlikTenant": "pulumi_qlik.resources.tenant",
    "QlikTenantArgs": "pulumi_qlik.resources.tenant",
    "QlikTenantSettings": "pulumi_qlik.resources.tenant_settings",
    "QlikTenantSettingsArgs": "pulumi_qlik.resources.tenant_settings",
    "QlikUser": "pulumi_qlik.resources.user",
    "QlikUserArgs": "pulumi_qlik.resources.user",
}

__all__ = [
    "EntitlementError",
    "QlikGroup",
    "QlikGroupArgs",
    "QlikIdentityProvider",
    "QlikIdentityProviderArgs",
    "QlikTenant",
    "QlikTenantArgs",
    "QlikTenantSettings",
    "QlikTenantSettingsArgs",
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
    return getattr(importlib.import_module(module), name)
