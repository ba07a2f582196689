"""Pulumi provider for Qlik Cloud tenants.

The Pulumi-facing names load lazily, so that `pulumi_qlik.client` and `pulumi_qlik.emulator` can be used
without importing the Pulumi SDK.
"""

from __future__ import annotations

import importlib
import sys
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
    from pulumi_qlik.resources.csp_origin import QlikCspOrigin, QlikCspOriginArgs
    from pulumi_qlik.resources.data_connection import QlikDataConnection, QlikDataConnectionArgs
    from pulumi_qlik.resources.extension import QlikExtension, QlikExtensionArgs
    from pulumi_qlik.resources.group import QlikGroup, QlikGroupArgs
    from pulumi_qlik.resources.identity_provider import QlikIdentityProvider, QlikIdentityProviderArgs
    from pulumi_qlik.resources.oauth_client import QlikOAuthClient, QlikOAuthClientArgs
    from pulumi_qlik.resources.reload_schedule import QlikReloadSchedule, QlikReloadScheduleArgs
    from pulumi_qlik.resources.space import QlikSpace, QlikSpaceArgs
    from pulumi_qlik.resources.space_assignment import QlikSpaceAssignment, QlikSpaceAssignmentArgs
    from pulumi_qlik.resources.tenant import QlikTenant, QlikTenantArgs
    from pulumi_qlik.resources.tenant_settings import QlikTenantSettings, QlikTenantSettingsArgs
    from pulumi_qlik.resources.theme import QlikTheme, QlikThemeArgs
    from pulumi_qlik.resources.user import QlikUser, QlikUserArgs
    from pulumi_qlik.resources.web_integration import QlikWebIntegration, QlikWebIntegrationArgs

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
    "QlikDataConnection": "pulumi_qlik.resources.data_connection",
    "QlikDataConnectionArgs": "pulumi_qlik.resources.data_connection",
    "QlikExtension": "pulumi_qlik.resources.extension",
    "QlikExtensionArgs": "pulumi_qlik.resources.extension",
    "QlikReloadSchedule": "pulumi_qlik.resources.reload_schedule",
    "QlikReloadScheduleArgs": "pulumi_qlik.resources.reload_schedule",
    "QlikTheme": "pulumi_qlik.resources.theme",
    "QlikThemeArgs": "pulumi_qlik.resources.theme",
    "QlikOAuthClient": "pulumi_qlik.resources.oauth_client",
    "QlikOAuthClientArgs": "pulumi_qlik.resources.oauth_client",
    "QlikCspOrigin": "pulumi_qlik.resources.csp_origin",
    "QlikCspOriginArgs": "pulumi_qlik.resources.csp_origin",
    "QlikSpace": "pulumi_qlik.resources.space",
    "QlikSpaceArgs": "pulumi_qlik.resources.space",
    "QlikSpaceAssignment": "pulumi_qlik.resources.space_assignment",
    "QlikSpaceAssignmentArgs": "pulumi_qlik.resources.space_assignment",
    "QlikWebIntegration": "pulumi_qlik.resources.web_integration",
    "QlikWebIntegrationArgs": "pulumi_qlik.resources.web_integration",
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

_STARTS_PROVIDER = frozenset({"get_entitlement_key_output", "QlikTenant", "QlikUser"})
"""Names a program takes to declare dynamic resources: their provider process can start while they import."""

__all__ = [
    "AppInfo",
    "AppLookupError",
    "EntitlementError",
    "QlikAppDeployment",
    "QlikAppDeploymentArgs",
    "QlikCspOrigin",
    "QlikCspOriginArgs",
    "QlikDataConnection",
    "QlikDataConnectionArgs",
    "QlikExtension",
    "QlikExtensionArgs",
    "QlikGroup",
    "QlikGroupArgs",
    "QlikIdentityProvider",
    "QlikIdentityProviderArgs",
    "QlikOAuthClient",
    "QlikOAuthClientArgs",
    "QlikReloadSchedule",
    "QlikReloadScheduleArgs",
    "QlikSpace",
    "QlikSpaceArgs",
    "QlikSpaceAssignment",
    "QlikSpaceAssignmentArgs",
    "QlikTenant",
    "QlikTenantArgs",
    "QlikTenantSettings",
    "QlikTenantSettingsArgs",
    "QlikTheme",
    "QlikThemeArgs",
    "QlikUser",
    "QlikUserArgs",
    "QlikWebIntegration",
    "QlikWebIntegrationArgs",
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
    if name in _STARTS_PROVIDER and "pulumi" in sys.modules:
        # In a Pulumi program: the engine starts the provider process while this import (the client, httpx,
        # pydantic) takes its share of the program's start (see engine/early_start.py).
        importlib.import_module("pulumi_qlik.engine.early_start").start_provider_early()
    return getattr(importlib.import_module(module), name)
