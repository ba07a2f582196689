"""Pulumi provider for Qlik Cloud tenants.

The Pulumi-facing names load lazily, so that `pulumi_qlik.client` and `pulumi_qlik.emulator` can be used
without importing the Pulumi SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi_qlik.entitlement import (
        EntitlementError,
        get_entitlement_key,
        get_entitlement_key_output,
        get_license_overview,
    )
    from pulumi_qlik.group import QlikGroup, QlikGroupArgs
    from pulumi_qlik.identity_provider import QlikIdentityProvider, QlikIdentityProviderArgs
    from pulumi_qlik.resources.csp_origin import QlikCspOrigin, QlikCspOriginArgs
    from pulumi_qlik.resources.space import QlikSpace, QlikSpaceArgs
    from pulumi_qlik.resources.space_assignment import QlikSpaceAssignment, QlikSpaceAssignmentArgs
    from pulumi_qlik.resources.web_integration import QlikWebIntegration, QlikWebIntegrationArgs
    from pulumi_qlik.tenant import QlikTenant, QlikTenantArgs
    from pulumi_qlik.tenant_settings import QlikTenantSettings, QlikTenantSettingsArgs
    from pulumi_qlik.user import QlikUser, QlikUserArgs

_EXPORTS = {
    "EntitlementError": "pulumi_qlik.entitlement",
    "get_entitlement_key": "pulumi_qlik.entitlement",
    "get_entitlement_key_output": "pulumi_qlik.entitlement",
    "get_license_overview": "pulumi_qlik.entitlement",
    "QlikCspOrigin": "pulumi_qlik.resources.csp_origin",
    "QlikCspOriginArgs": "pulumi_qlik.resources.csp_origin",
    "QlikSpace": "pulumi_qlik.resources.space",
    "QlikSpaceArgs": "pulumi_qlik.resources.space",
    "QlikSpaceAssignment": "pulumi_qlik.resources.space_assignment",
    "QlikSpaceAssignmentArgs": "pulumi_qlik.resources.space_assignment",
    "QlikWebIntegration": "pulumi_qlik.resources.web_integration",
    "QlikWebIntegrationArgs": "pulumi_qlik.resources.web_integration",
    "QlikGroup": "pulumi_qlik.group",
    "QlikGroupArgs": "pulumi_qlik.group",
    "QlikIdentityProvider": "pulumi_qlik.identity_provider",
    "QlikIdentityProviderArgs": "pulumi_qlik.identity_provider",
    "QlikTenant": "pulumi_qlik.tenant",
    "QlikTenantArgs": "pulumi_qlik.tenant",
    "QlikTenantSettings": "pulumi_qlik.tenant_settings",
    "QlikTenantSettingsArgs": "pulumi_qlik.tenant_settings",
    "QlikUser": "pulumi_qlik.user",
    "QlikUserArgs": "pulumi_qlik.user",
}

__all__ = [
    "EntitlementError",
    "QlikCspOrigin",
    "QlikCspOriginArgs",
    "QlikGroup",
    "QlikGroupArgs",
    "QlikIdentityProvider",
    "QlikIdentityProviderArgs",
    "QlikSpace",
    "QlikSpaceArgs",
    "QlikSpaceAssignment",
    "QlikSpaceAssignmentArgs",
    "QlikTenant",
    "QlikTenantArgs",
    "QlikTenantSettings",
    "QlikTenantSettingsArgs",
    "QlikUser",
    "QlikUserArgs",
    "QlikWebIntegration",
    "QlikWebIntegrationArgs",
    "get_entitlement_key",
    "get_entitlement_key_output",
    "get_license_overview",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pulumi_qlik' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
