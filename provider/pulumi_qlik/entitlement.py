"""Kept for compatibility: the entitlement-key functions live in :mod:`pulumi_qlik.functions.entitlement`.

Programs written before the move import `pulumi_qlik.entitlement`; only re-exports here.
"""

from pulumi_qlik.functions.entitlement import (
    EntitlementError,
    get_entitlement_key,
    get_entitlement_key_output,
    get_license_overview,
)

__all__ = ["EntitlementError", "get_entitlement_key", "get_entitlement_key_output", "get_license_overview"]
