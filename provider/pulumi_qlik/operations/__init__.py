"""Tenant operations that are not Pulumi glue: creating (lost answers resolved), adopting, reading, deactivating.

They take a `QlikClient` (and, from the stack's settings, the factories in :mod:`.factories`) and never import
the Pulumi SDK: the engine glue and the resources call them, the `python -m pulumi_qlik` CLI too.
"""
