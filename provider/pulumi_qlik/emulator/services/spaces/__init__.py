"""The spaces service: spaces and their assignments, ``/api/v1/spaces`` (spaces.json)."""
