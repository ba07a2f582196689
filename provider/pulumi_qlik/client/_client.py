"""``QlikClient``: the Qlik Cloud REST calls that tenant provisioning needs, typed, with auth and retries.

Composed of one mixin per Qlik API (:mod:`pulumi_qlik.client.apis`) over the shared core: a new API is one
more base here.
"""

from __future__ import annotations

from .apis.groups import GroupsAPI
from .apis.identity_providers import IdentityProvidersAPI
from .apis.licenses import LicensesAPI
from .apis.organization import OrganizationAPI
from .apis.tenants import TenantsAPI
from .apis.users import UsersAPI


class QlikClient(TenantsAPI, LicensesAPI, UsersAPI, OrganizationAPI, GroupsAPI, IdentityProvidersAPI):
    """Client of the Qlik Cloud REST APIs used to provision tenants; safe to share between threads.

    Every method takes the bare hostname to talk to (a tenant's ``<name>.<region>.qlikcloud.com`` or the
    region's ``register.<region>.qlikcloud.com``) and fetches, caches and refreshes that host's token itself.
    """
