"""Taking over an existing tenant: check that the id and hostname given are one tenant."""

from __future__ import annotations

from pulumi_qlik.client import AuthenticationError, NotFoundError, QlikClient
from pulumi_qlik.client.codes import UNKNOWN_HOST
from pulumi_qlik.client.models import Tenant

from .create_errors import TenantInputError


def adopt_tenant(client: QlikClient, tenant_id: str, hostname: str) -> Tenant:
    """The existing tenant `tenant_id` at `hostname`; a wrong id or hostname is a :class:`TenantInputError`."""
    try:
        tenant = client.get_tenant(hostname, tenant_id)
    except AuthenticationError as exc:
        if exc.code != UNKNOWN_HOST:
            raise
        raise TenantInputError(
            "adopt_hostname",
            f"no Qlik Cloud tenant answers at {hostname} (Qlik answered 401 {exc.code}). Give the tenant's own "
            "hostname, `<name>.<region>.qlikcloud.com` (`python -m pulumi_qlik orphans --stack <stack>` lists "
            "ids and hostnames).",
        ) from None
    except NotFoundError:
        raise TenantInputError(
            "adopt_tenant_id",
            f"{tenant_id!r} is not the tenant at {hostname} (Qlik answered 404). Give the id of the tenant that "
            "hostname belongs to (its `id` in the Management Console, or from `python -m pulumi_qlik orphans`).",
        ) from None
    if tenant.id != tenant_id:
        raise TenantInputError("adopt_tenant_id", f"{hostname} is tenant {tenant.id}, not {tenant_id!r}.")
    return tenant


def adopt_snippet(tenant_id: str, hostname: str) -> str:
    return f'adopt_tenant_id="{tenant_id}", adopt_hostname="{hostname}"'
