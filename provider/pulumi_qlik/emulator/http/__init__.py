"""The thin HTTP layer: one route module per domain (parse, call the domain, render), and the ASGI app."""

from .app import EmulatorApp

__all__ = ["EmulatorApp"]
