"""The apps service: apps, temporary contents, items and reloads, as Qlik's content APIs serve them.

Apps live per tenant with their metadata and opaque content bytes; export writes a temporary content, import
reads one (or a request body), publish copies an app into a managed space and republish overwrites that copy
in place; ``/api/v1/items`` lists the apps; reloads advance on the emulator's clock. Shapes and codes follow
the apps, items, reloads and temporary-contents specs; what they leave open is decided in docs/emulator.md.
"""

from .backend import Apps, AppsSettings, SpaceDirectory

__all__ = ["Apps", "AppsSettings", "SpaceDirectory"]
