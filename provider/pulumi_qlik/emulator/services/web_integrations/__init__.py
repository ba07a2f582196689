"""The web integrations service: ``/api/v1/web-integrations`` (web-integrations.json)."""
