"""One module per Qlik domain, each with its own state and rules (see docs/emulator.md for the map)."""
