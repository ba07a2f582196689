"""Pulumi provider for Qlik Cloud tenants."""
