"""The identity providers service: JWT IdPs, ``/api/v1/identity-providers`` (identity-providers.json)."""
