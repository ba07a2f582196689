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
from .apps import (
    App,
    AppAttributes,
    AppCreateAttributes,
    AppUpdateAttributes,
    CreateAppRequest,
    Item,
    ItemList,
    PublishAppRequest,
    Reload,
    ReloadRequest,
    RepublishAppRequest,
    UpdateAppRequest,
)
from .licenses import (
    Allotment,
    LicenseKeyClaims,
    LicenseOverview,
    LicenseParameter,
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
    "App",
    "AppAttributes",
    "AppCreateAttributes",
    "AppUpdateAttributes",
    "AssignedGroup",
    "AssignedRole",
    "CreateAppRequest",
    "CreateTenantRequest",
    "CreateUserRequest",
    "DeactivateTenantRequest",
    "DeactivatedTenant",
    "ErrorBody",
    "ErrorItem",
    "ErrorSource",
    "InviteItem",
    "InviteResponse",
    "InviteResult",
    "Item",
    "ItemList",
    "LicenseKeyClaims",
    "LicenseOverview",
    "LicenseParameter",
    "Link",
    "Links",
    "OrganizationTenant",
    "OrganizationTenantPage",
    "PageLinks",
    "PatchOperation",
    "PublishAppRequest",
    "QlikModel",
    "ReactivatedTenant",
    "Reload",
    "ReloadRequest",
    "RepublishAppRequest",
    "RequestModel",
    "ResponseModel",
    "RoleRef",
    "Tenant",
    "TenantPatchPath",
    "TenantStatus",
    "UpdateAppRequest",
    "User",
    "UserList",
    "UserPatchOperation",
    "UserPatchPath",
    "read_license_key_claims",
]
