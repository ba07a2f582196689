"""``QlikClient``: the Qlik Cloud REST calls that tenant provisioning needs, typed, with auth and retries.

Composed of one mixin per Qlik API (:mod:`pulumi_qlik.client.apis`) over the shared core: a new API is one
more base here.
"""

from __future__ import annotations

from .apis.apps import AppsAPI
from .apis.csp_origins import CspOriginsAPI
from .apis.data_connections import DataConnectionsAPI
from .apis.groups import GroupsAPI
from .apis.identity_providers import IdentityProvidersAPI
from .apis.items import ItemsAPI
from .apis.licenses import LicensesAPI
from .apis.oauth_clients import OAuthClientsAPI
from .apis.organization import OrganizationAPI
from .apis.reloads import ReloadsAPI
from .apis.scheduling import SchedulingAPI
from .apis.spaces import SpacesAPI
from .apis.temp_contents import TempContentsAPI
from .apis.tenants import TenantsAPI
from .apis.themes import ExtensionsAPI, ThemesAPI
from .apis.users import UsersAPI
from .apis.web_integrations import WebIntegrationsAPI


class QlikClient(
    TenantsAPI,
    LicensesAPI,
    UsersAPI,
    OrganizationAPI,
    GroupsAPI,
    IdentityProvidersAPI,
    AppsAPI,
    TempContentsAPI,
    ItemsAPI,
    ReloadsAPI,
    SpacesAPI,
    WebIntegrationsAPI,
    CspOriginsAPI,
    OAuthClientsAPI,
    DataConnectionsAPI,
    SchedulingAPI,
    ThemesAPI,
    ExtensionsAPI,
):
    """Client of the Qlik Cloud REST APIs used to provision tenants; safe to share between threads.

    Every method takes the bare hostname to talk to (a tenant's ``<name>.<region>.qlikcloud.com`` or the
    region's ``register.<region>.qlikcloud.com``) and fetches, caches and refreshes that host's token itself.
    """
