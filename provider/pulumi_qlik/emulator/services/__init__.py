"""Emulator services added one folder each (models, rules, routes); see each service's ``__init__``."""
