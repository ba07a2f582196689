"""A threaded uvicorn server around :class:`EmulatorApp`, for pytest and for ``python -m``: plain HTTP, plus
HTTPS on a second port for browsers when configured."""

from __future__ import annotations

import asyncio
import socket
import tempfile
import threading
from pathlib import Path
from types import TracebackType

import uvicorn

from . import tls
from .app import EmulatorApp
from .backend import QlikBackend
from .faults import Faults, RequestLog
from .schemas import WorldInfo
from .settings import EmulatorConfig

START_TIMEOUT_SECONDS = 10.0
GRACEFUL_SHUTDOWN_SECONDS = 2
"""How long a stop waits for requests in flight to finish before cancelling them."""
LEFTOVER_TASKS_TIMEOUT_SECONDS = 1.0
"""How long the cancelled requests get to unwind before their connections are aborted."""
STOP_TIMEOUT_SECONDS = START_TIMEOUT_SECONDS + GRACEFUL_SHUTDOWN_SECONDS + LEFTOVER_TASKS_TIMEOUT_SECONDS


class EmulatorServer:
    """The emulator on ``config.host:config.port`` (0: any free port), served from a background thread."""

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.backend = QlikBackend(self.config)
        self.faults = Faults()
        self.request_log = RequestLog()
        self.app = EmulatorApp(self.backend, self.faults, self.request_log, public_url=lambda: self._url)
        self._url: str | None = None
        self._https_url: str | None = None
        self.certificate: tls.Certificate | None = None
        """The HTTPS listener's certificate, once started with ``https_port``."""
        self._tls_dir: tempfile.TemporaryDirectory[str] | None = None
        self._servers: list[tuple[uvicorn.Server, socket.socket]] = []
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``; only known once started."""
        if self._url is None:
            raise RuntimeError("the emulator is not started")
        return self._url

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    @property
    def world(self) -> WorldInfo:
        """The seeded regions, clients (with secrets) and source tenants, plus the URL."""
        return self.backend.world_info(self._url)

    @property
    def https_url(self) -> str:
        """``https://127.0.0.1:PORT`` of the HTTPS listener (config ``https_port``); only known once started."""
        if self._https_url is None:
            raise RuntimeError("the emulator serves no HTTPS: set https_port in its config")
        return self._https_url

    def start(self) -> EmulatorServer:
        """Bind, serve in a daemon thread, and return once the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("already started")
        plain, shown, port = _bind(self.config.host, self.config.port)
        listeners = [(plain, self._uvicorn_config(None))]
        https_port = None
        if self.config.https_port is not None:
            self.certificate = self._certificate()
            secure, _, https_port = _bind(self.config.host, self.config.https_port)
            listeners.append((secure, self._uvicorn_config(self.certificate)))
        self._servers = [(uvicorn.Server(config), sock) for sock, config in listeners]
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            try:
                asyncio.run(self._serve(started))
            except BaseException as exc:  # surfaced to start()
                failure.append(exc)
                started.set()

        self._thread = threading.Thread(target=run, name="qlik-emulator", daemon=True)
        self._thread.start()
        if not started.wait(START_TIMEOUT_SECONDS) or failure:
            self.stop()
            raise RuntimeError("the emulator did not start") from (failure[0] if failure else None)
        self._url = f"http://{shown}:{port}"
        self._https_url = f"https://{shown}:{https_port}" if https_port is not None else None
        return self

    def _certificate(self) -> tls.Certificate:
        if self.config.tls_cert_file is not None and self.config.tls_key_file is not None:
            return tls.load(self.config.tls_cert_file, self.config.tls_key_file)
        self._tls_dir = tempfile.TemporaryDirectory(prefix="qlik-emulator-tls-")
        codes = [region.code for region in self.config.regions]
        return tls.generate(tls.qlik_hostnames(codes), Path(self._tls_dir.name))

    def _uvicorn_config(self, certificate: tls.Certificate | None) -> uvicorn.Config:
        return uvicorn.Config(
            self.app,
            log_config=None,
            access_log=False,  # our own request log never holds secrets; keep uvicorn's out of it
            lifespan="off",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
            ssl_certfile=certificate.cert_file if certificate else None,
            ssl_keyfile=certificate.key_file if certificate else None,
        )

    async def _serve(self, started: threading.Event) -> None:
        serving = [asyncio.ensure_future(server.serve(sockets=[sock])) for server, sock in self._servers]
        while not all(server.started for server, _ in self._servers) and not any(s.done() for s in serving):
            await asyncio.sleep(0.01)
        started.set()
        try:
            await asyncio.gather(*serving)
        finally:
            for server, _ in self._servers:
                await _close_leftover_connections(server)

    def stop(self) -> None:
        """Stop serving and write the state file (when configured)."""
        self.faults.release()  # held requests go on: the test that would release them is done
        for server, _ in self._servers:
            server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=STOP_TIMEOUT_SECONDS)
            if self._thread.is_alive():
                raise RuntimeError(f"the emulator did not stop within {STOP_TIMEOUT_SECONDS:.0f} s")
        self._thread = None
        self._servers = []
        if self._tls_dir is not None:
            self._tls_dir.cleanup()
            self._tls_dir = None
        self.backend.save()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _bind(host: str, port: int) -> tuple[socket.socket, str, int]:
    """A listening socket, the host as a URL shows it, and the bound port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this: without it Nagle + delayed ACK add ~40 ms to every response.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    bound_host, bound_port = sock.getsockname()[:2]
    return sock, f"[{bound_host}]" if family == socket.AF_INET6 else bound_host, bound_port


async def _close_leftover_connections(server: uvicorn.Server) -> None:
    """Abort the connections uvicorn's graceful shutdown left open, before the event loop closes.

    A connection whose peer stops reading (a killed or busy client) keeps unsent bytes: uvicorn closes its
    transport gracefully, which waits for the peer forever, and after ``timeout_graceful_shutdown`` it gives
    up on it ("Cancel 0 running task(s)") and cancels the requests still running. The loop would then close
    with those sockets open (ResourceWarnings at garbage collection, the port's connections held); aborting
    drops the unsent bytes now.
    """
    state = server.server_state
    cancelled = [task for task in state.tasks if not task.done()]
    if cancelled:  # let the cancelled requests unwind (they may still write or close)
        await asyncio.wait(cancelled, timeout=LEFTOVER_TASKS_TIMEOUT_SECONDS)
    for connection in list(state.connections):
        transport = getattr(connection, "transport", None)
        if isinstance(transport, asyncio.Transport):
            transport.abort()
    # abort() closes the socket at once; connection_lost runs on the loop's next turns.
    for _ in range(100):
        if not state.connections:
            break
        await asyncio.sleep(0)
