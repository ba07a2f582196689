"""The Qlik error codes (``errors[0].code``) that the client and the provider branch on, each defined once.

Branching is always on a code, never on an error's message text.
"""

from __future__ import annotations

from typing import Final

UNKNOWN_HOST: Final = "LOGIN-2"
"""401 for a hostname Qlik does not know: a purged tenant's host (or a wrong endpoint); not a token problem."""

TENANT_DEACTIVATED: Final = "TENANT_DEACTIVATED"
"""The 401 code of any call to a deactivated tenant's host, per qlik.dev (see docs/emulator.md)."""
TENANT_DEACTIVATED_CODES: Final = frozenset({TENANT_DEACTIVATED, "TENANT_DISABLED"})
"""Recognised defensively under either spelling (earlier readings of Qlik's docs gave ``TENANT_DISABLED``)."""

TENANT_NOT_FOUND: Final = "TENANTS-8"
"""404 to ``GET /api/v1/tenants/{id}``: no tenant with this id (as opposed to a host that serves no such route)."""

DATACENTER_REFUSED: Final = "TENANTS-5"
"""400 to ``POST /api/v1/tenants``: the register host does not create tenants in that datacenter."""
ALLOTMENT_EXHAUSTED: Final = "TENANTS-4"
"""403 to ``POST /api/v1/tenants``: the license has no tenant left in its allotment."""
