"""Kept for compatibility: `QlikTenant` lives in :mod:`pulumi_qlik.resources.tenant`.

Every state written before the move pickles its provider as `pulumi_qlik.tenant.QlikTenantProvider` (the engine
hands that object back for `read` and `delete`), and programs import `pulumi_qlik.tenant`: this module keeps both
working. Only re-exports here.
"""

from pulumi_qlik.resources.tenant import QlikTenant, QlikTenantArgs, QlikTenantProvider

__all__ = ["QlikTenant", "QlikTenantArgs", "QlikTenantProvider"]
