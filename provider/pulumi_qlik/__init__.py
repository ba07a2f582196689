"""Pulumi provider for Qlik Cloud tenants.

The Pulumi-facing names load lazily, so that `pulumi_qlik.client` and `pulumi_qlik.emulator` can be used
without importing the Pulumi SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi_qlik.functions.app import AppInfo, AppLookupError, get_app, get_app_output
    from pulumi_qlik.functions.entitlement import (
        EntitlementError,
        get_entitlement_key,
        get_entitlement_key_output,
        get_license_overview,
    )
    from pulumi_qlik.resources.app_deployment import QlikAppDeployment, QlikAppDeploymentArgs
    from pulumi_qlik.resources.tenant import QlikTenant, QlikTenantArgs
    from pulumi_qlik.resources.user import QlikUser, QlikUserArgs

_EXPORTS = {
    "AppInfo": "pulumi_qlik.functions.app",
    "AppLookupError": "pulumi_qlik.functions.app",
    "get_app": "pulumi_qlik.functions.app",
    "get_app_output": "pulumi_qlik.functions.app",
    "QlikAppDeployment": "pulumi_qlik.resources.app_deployment",
    "QlikAppDeploymentArgs": "pulumi_qlik.resources.app_deployment",
    "EntitlementError": "pulumi_qlik.functions.entitlement",
    "get_entitlement_key": "pulumi_qlik.functions.entitlement",
    "get_entitlement_key_output": "pulumi_qlik.functions.entitlement",
    "get_license_overview": "pulumi_qlik.functions.entitlement",
    "QlikTenant": "pulumi_qlik.resources.tenant",
    "QlikTenantArgs": "pulumi_qlik.resources.tenant",
    "QlikUser": "pulumi_qlik.resources.user",
    "QlikUserArgs": "pulumi_qlik.resources.user",
}

__all__ = [
    "AppInfo",
    "AppLookupError",
    "EntitlementError",
    "QlikAppDeployment",
    "QlikAppDeploymentArgs",
    "QlikTenant",
    "QlikTenantArgs",
    "QlikUser",
    "QlikUserArgs",
    "get_app",
    "get_app_output",
    "get_entitlement_key",
    "get_entitlement_key_output",
    "get_license_overview",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pulumi_qlik' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
