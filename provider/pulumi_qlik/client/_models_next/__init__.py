"""Models of the APIs issue 16 adds; they move into ``client/models/`` with the package layout of issue 15."""
