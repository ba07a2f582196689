"""The control plane (``/_emulator/...``): one package for its three sides.

``client.py`` is :class:`EmulatorControl`, the typed client tests use; ``operations.py`` the test-only
operations over the services (seeding, world info, checks-free deactivate and purge, the clock);
``routes.py`` the HTTP routes that expose them, with faults, latency and the request log.
"""

from .client import EmulatorControl, EmulatorControlError

__all__ = ["EmulatorControl", "EmulatorControlError"]
