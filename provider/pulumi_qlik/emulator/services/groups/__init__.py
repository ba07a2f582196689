"""The groups service: ``/api/v1/groups`` and ``/api/v1/groups/settings`` (groups.json)."""
