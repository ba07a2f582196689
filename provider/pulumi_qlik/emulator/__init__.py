"""A local Qlik Cloud emulator: tenant provisioning APIs on virtual hosts, plus a test control plane.

Use :class:`EmulatorServer` from tests, :class:`EmulatorControl` to steer a running emulator, or
``python -m pulumi_qlik.emulator`` / ``qlik-emulator`` from a shell. See docs/emulator.md.
"""

from .backend import QlikBackend
from .control import EmulatorControl, EmulatorControlError
from .schemas import WorldInfo
from .server import EmulatorServer
from .settings import EmulatorConfig, RegionSeed
from .world import Clock

__all__ = [
    "Clock",
    "EmulatorConfig",
    "EmulatorControl",
    "EmulatorControlError",
    "EmulatorServer",
    "QlikBackend",
    "RegionSeed",
    "WorldInfo",
]
