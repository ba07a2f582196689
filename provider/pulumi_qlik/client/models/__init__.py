"""Pydantic models of the Qlik Cloud resources used for tenant provisioning: one module per Qlik API.

Field names follow Qlik's published types (npm ``@qlik/api``: ``tenants.d.ts``, ``licenses.d.ts``,
``users.d.ts``), camelCase on the wire and snake_case in Python. Response models ignore unknown fields so a
new server field never breaks a ``pulumi up``; request models refuse unknown fields and loose types.
Everything is re-exported here: ``from pulumi_qlik.client.models import Tenant`` is the import to use.
"""

from __future__ import annotations

from ._common import (
    ErrorBody,
    ErrorItem,
    ErrorSource,
    Link,
    Links,
    PageLinks,
    QlikModel,
    RequestModel,
    ResponseModel,
)
from .groups import (
    CreateGroupRequest,
    Group,
    GroupList,
    GroupPatchOperation,
    GroupPatchPath,
    GroupSettings,
    GroupSettingsPatchOperation,
    GroupSettingsPatchPath,
)
from .identity_providers import (
    CreateJWTIdentityProviderRequest,
    IdentityProvider,
    IdentityProviderList,
    IdentityProviderOptions,
    IdentityProviderPatchOperation,
    IdentityProviderProtocol,
    JWTAuthOptions,
    StaticKey,
)
from .licenses import (
    Allotment,
    LicenseKeyClaims,
    LicenseOverview,
    LicenseParameter,
    LicenseSettings,
    LicenseSettingsRequest,
    read_license_key_claims,
)
from .oauth import AccessToken
from .organization import OrganizationTenant, OrganizationTenantPage
from .tenants import (
    CreateTenantRequest,
    DeactivatedTenant,
    DeactivateTenantRequest,
    PatchOperation,
    ReactivatedTenant,
    Tenant,
    TenantPatchPath,
    TenantStatus,
)
from .users import (
    AssignedGroup,
    AssignedRole,
    CreateUserRequest,
    InviteItem,
    InviteResponse,
    InviteResult,
    RoleRef,
    User,
    UserList,
    UserPatchOperation,
    UserPatchPath,
)

__all__ = [
    "AccessToken",
    "Allotment",
    "AssignedGroup",
    "AssignedRole",
    "CreateGroupRequest",
    "CreateJWTIdentityProviderRequest",
    "CreateTenantRequest",
    "CreateUserRequest",
    "DeactivateTenantRequest",
    "DeactivatedTenant",
    "ErrorBody",
    "ErrorItem",
    "ErrorSource",
    "Group",
    "GroupList",
    "GroupPatchOperation",
    "GroupPatchPath",
    "GroupSettings",
    "GroupSettingsPatchOperation",
    "GroupSettingsPatchPath",
    "IdentityProvider",
    "IdentityProviderList",
    "IdentityProviderOptions",
    "IdentityProviderPatchOperation",
    "IdentityProviderProtocol",
    "InviteItem",
    "InviteResponse",
    "InviteResult",
    "JWTAuthOptions",
    "LicenseKeyClaims",
    "LicenseOverview",
    "LicenseParameter",
    "LicenseSettings",
    "LicenseSettingsRequest",
    "Link",
    "Links",
    "OrganizationTenant",
    "OrganizationTenantPage",
    "PageLinks",
    "PatchOperation",
    "QlikModel",
    "ReactivatedTenant",
    "RequestModel",
    "ResponseModel",
    "RoleRef",
    "StaticKey",
    "Tenant",
    "TenantPatchPath",
    "TenantStatus",
    "User",
    "UserList",
    "UserPatchOperation",
    "UserPatchPath",
    "read_license_key_claims",
]
