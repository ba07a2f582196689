"""Past the dynamic provider's ceiling of four concurrent calls, in the provider process itself.

Pulumi's Python dynamic-provider server (`python -m pulumi.dynamic`) serves gRPC from a
`ThreadPoolExecutor(max_workers=4)`: whatever `--parallel` says, at most four creates, updates or reads run at
once, and a fleet of 40 tenants takes ten rounds of round trips. Nothing in the server holds a thread between
calls, and a `ThreadPoolExecutor` starts a new thread for a submitted call while it has fewer than
`_max_workers`, so raising that number on the running executor lets the engine's calls run side by side.

Why this rather than sharding tenants over several explicit `pulumi-python` provider instances (one process
each): it changes nothing in the program or the state (no provider references to move, nothing that could
plan a replace, nothing to migrate), it costs one process instead of one per shard (each is ~0.5 s of CPU to
start and ~60 MB of memory, paid again at every `preview` and `refresh`), and one process shares one token cache
and one rate-limit pacer, so the fleet's requests are paced as a whole.

It touches a private attribute of the standard library's executor: when the executor cannot be found (another
Python, another SDK layout, or not running under the dynamic-provider server at all) this does nothing and the
provider runs with four workers, as before.
"""

from __future__ import annotations

import logging
import sys
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Final

logger = logging.getLogger("pulumi_qlik.provider")

DYNAMIC_PROVIDER_MAIN: Final = "pulumi.dynamic.__main__"
STOCK_WORKERS: Final = 4


def running_as_dynamic_provider() -> bool:
    """Whether this process is Pulumi's dynamic-provider server (`python -m pulumi.dynamic`)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return getattr(spec, "name", None) == DYNAMIC_PROVIDER_MAIN


def current_executor() -> ThreadPoolExecutor | None:
    """The `ThreadPoolExecutor` whose worker thread is running this call, if any."""
    # A worker thread's arguments start with a weak reference to its executor (CPython 3.8 to 3.14).
    args = getattr(threading.current_thread(), "_args", None)
    if not isinstance(args, tuple) or not args or not isinstance(args[0], weakref.ReferenceType):
        return None
    executor = args[0]()
    return executor if isinstance(executor, ThreadPoolExecutor) else None


def widen_worker_pool(workers: int) -> int | None:
    """Let the dynamic-provider server run up to `workers` calls at once (never fewer than it has).

    Call it from a provider method (it runs on one of the server's worker threads). Returns the executor's
    maximum afterwards, or None when this is not the dynamic-provider server or its executor was not found.
    """
    if not running_as_dynamic_provider():
        return None
    executor = current_executor()
    if executor is None or not isinstance(getattr(executor, "_max_workers", None), int):
        logger.info("dynamic-provider worker pool not found; running with its default of %d", STOCK_WORKERS)
        return None
    if workers > executor._max_workers:
        executor._max_workers = workers
        logger.info("dynamic-provider worker pool widened to %d", workers)
        _start_threads_for_backlog(executor)
    return executor._max_workers


def _start_threads_for_backlog(executor: ThreadPoolExecutor) -> None:
    """Start threads for calls that queued up while the pool was still four wide.

    An executor starts a thread only when a call is submitted. Calls the engine sent while this provider was
    being unpickled and configured (every `read` of a `refresh` comes at once) are already queued behind the
    four workers: each no-op submitted here starts one more thread, and the queue being first in, first out,
    the new threads take the waiting calls first.
    """
    queue = getattr(executor, "_work_queue", None)
    backlog = queue.qsize() if queue is not None else 0
    for _ in range(backlog):
        executor.submit(_nothing)


def _nothing() -> None:
    return None
