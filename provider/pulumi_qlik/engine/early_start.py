"""Start the provider process while the program is still working out the resources' inputs.

The engine starts the process that serves every dynamic resource (`python -m pulumi.dynamic`) when the first
such resource is registered, and the Python SDK registers a resource only once all its inputs are known: a
tenant whose `license_key` comes from `get_entitlement_key_output` is registered only after the lookup's two
round trips, and only then does the provider process begin to start (a Python interpreter, the Pulumi SDK,
gRPC: about half a second, all of it on the critical path of every `up`, `preview` and `destroy`).

An invoke of a function of the `pulumi-python` package makes the engine load that package's default provider,
the very process the dynamic resources will use, at once. The dynamic-provider server serves no function and
answers "not implemented"; that answer is the expected one and is dropped. Nothing is registered, nothing
reaches the state, and nothing waits for the invoke: the program goes on at once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final

import pulumi.runtime
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.settings import get_monitor

logger = logging.getLogger("pulumi_qlik.program")

START_TOKEN: Final = "pulumi-python:dynamic:startProvider"
"""A function of the dynamic-provider package; the server has none, which is fine: the call starts it."""

_started: asyncio.Task[None] | None = None


def start_provider_early() -> None:
    """Have the engine start the dynamic-provider process now (once per program; never raises, never waits)."""
    global _started
    if _started is not None:
        return
    try:
        monitor = get_monitor()
        if monitor is None or isinstance(monitor, MockMonitor):
            return  # no engine (a script, or unit tests with mocks): no provider process to start
        loop = asyncio.get_event_loop()
    except Exception as exc:  # an optimisation: anything unexpected just skips it
        logger.debug("not starting the provider early: %s", exc)
        return
    # A reference is kept so the task is not collected before it has run.
    _started = loop.create_task(_invoke_start())


async def _invoke_start() -> None:
    try:
        await pulumi.runtime.invoke_async(START_TOKEN, {})
    except Exception as exc:  # "not implemented" is the expected answer
        logger.debug("the early start's invoke answered: %s", exc)
