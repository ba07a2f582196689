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
    from pulumi_qlik.resources.csp_origin import QlikCspOrigin, QlikCspOriginArgs
    from pulumi_qlik.resources.space import QlikSpace, QlikSpaceArgs
    from pulumi_qlik.resources.space_assignment import QlikSpaceAssignment, QlikSpaceAssignmentArgs
    from pulumi_qlik.resources.web_integration import QlikWebIntegration, QlikWebIntegrationArgs
    from pulumi_qlik.tenant import QlikTenant, QlikTenantArgs
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
    "QlikTenant": "pulumi_qlik.tenant",
    "QlikTenantArgs": "pulumi_qlik.tenant",
    "QlikUser": "pulumi_qlik.user",
    "QlikUserArgs": "pulumi_qlik.user",
}

__all__ = [
    "EntitlementError",
    "QlikCspOrigin",
    "QlikCspOriginArgs",
    "QlikSpace",
    "QlikSpaceArgs",
    "QlikSpaceAssignment",
    "QlikSpaceAssignmentArgs",
    "QlikTenant",
    "QlikTenantArgs",
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
